//! pdf — placeholder until the typesetter lands (the PDF helper replaces this file).

pub struct PdfOutput {
    pub bytes: Vec<u8>,
    pub pages: usize,
}

pub fn render(
    _book: &crate::model::Book,
    _fonts: &crate::fonts::FontSet,
    _cover: &crate::cover::Cover,
) -> Result<PdfOutput, crate::diagnostics::Diagnostics> {
    let mut d = crate::diagnostics::Diagnostics::default();
    d.push(crate::diagnostics::Diagnostic::error(
        "pdf",
        "the PDF writer is not built yet",
    ));
    Err(d)
}
