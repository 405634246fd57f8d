//! The page: paper size, margins, and which side the binding is on, around
//! the text column the flow is set in.

use crate::config::PdfConfig;
use crate::diagnostics::Diagnostic;
use crate::pdf::flow::Column;

const MM: f32 = 72.0 / 25.4;

/// Page size and margins, in points, and the column of text they leave.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Geometry {
    pub page_width: f32,
    pub page_height: f32,
    pub inner: f32,
    pub outer: f32,
    pub top: f32,
    pub bottom: f32,
    pub column: Column,
}

impl Geometry {
    pub fn new(config: &PdfConfig) -> Result<Geometry, Box<Diagnostic>> {
        let (w, h) = paper_size(&config.paper).ok_or_else(|| {
            Box::new(
                Diagnostic::error(
                    "pdf-paper",
                    format!("unknown paper size `{}` in [pdf]", config.paper),
                )
                .note("use A5, A4, B5, letter or WIDTHxHEIGHT in millimetres, e.g. 148x210"),
            )
        })?;
        let g = Geometry {
            page_width: w * MM,
            page_height: h * MM,
            inner: config.margin_inner * MM,
            outer: config.margin_outer * MM,
            top: config.margin_top * MM,
            bottom: config.margin_bottom * MM,
            column: Column {
                measure: (w - config.margin_inner - config.margin_outer) * MM,
                height: (h - config.margin_top - config.margin_bottom) * MM,
                size: config.font_size,
                leading: config.leading,
                note_size: config.font_size * 0.8,
                note_leading: config.leading * 0.8,
                hyphenate: config.hyphenate,
            },
        };
        let c = &g.column;
        let sane = |v: f32| v.is_finite() && v > 0.0;
        if !(sane(c.size)
            && sane(c.leading)
            && c.measure > c.size * 10.0
            && c.height > c.leading * 8.0)
            || [g.inner, g.outer, g.top, g.bottom]
                .iter()
                .any(|m| !m.is_finite() || *m < 0.0)
        {
            return Err(Box::new(Diagnostic::error(
                "pdf-geometry",
                format!(
                    "the [pdf] settings leave no room for text: a {:.0}×{:.0} mm text block for {} pt type on {} pt leading",
                    c.measure / MM,
                    c.height / MM,
                    c.size,
                    c.leading
                ),
            )));
        }
        Ok(g)
    }

    /// Left edge of the text block: the inner margin is on the binding side.
    pub fn left(&self, recto: bool) -> f32 {
        if recto {
            self.inner
        } else {
            self.outer
        }
    }
}

fn paper_size(name: &str) -> Option<(f32, f32)> {
    match name.trim().to_ascii_lowercase().as_str() {
        "a4" => Some((210.0, 297.0)),
        "a5" => Some((148.0, 210.0)),
        "a6" => Some((105.0, 148.0)),
        "b5" => Some((176.0, 250.0)),
        "letter" => Some((215.9, 279.4)),
        other => {
            let (w, h) = other.split_once('x')?;
            let w: f32 = w.trim().parse().ok()?;
            let h: f32 = h.trim().parse().ok()?;
            (w > 0.0 && h > 0.0 && w.is_finite() && h.is_finite()).then_some((w, h))
        }
    }
}
