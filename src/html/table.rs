//! A table as XHTML: `<table>` in a wrapper that scrolls sideways on a
//! narrow screen (rather than squeezing or losing columns), its numbered
//! `<caption>`, a `<thead>` of `<th scope="col">` and a `<tbody>`; columns
//! aligned by class, wide tables' column shares in a `<colgroup>`.

use super::{esc, Writer};
use crate::model::table::{Align, Row, Table};
use std::fmt::Write;

impl Writer<'_> {
    pub(super) fn table(&mut self, t: &Table) {
        let id = esc(&t.id());
        let word = crate::locale::words(&self.book.config.book.language).table;
        // A focusable region, so that a keyboard can scroll it too.
        let _ = writeln!(
            self.out,
            "<div class=\"table\" role=\"region\" tabindex=\"0\" aria-labelledby=\"{id}-caption\">\n<table id=\"{id}\">"
        );
        let _ = write!(
            self.out,
            "<caption id=\"{id}-caption\"><span class=\"table-number\">{} {}</span>",
            esc(word),
            t.number
        );
        if !t.caption.is_empty() {
            self.raw(". ");
            self.inlines(&t.caption);
        }
        self.raw("</caption>\n");
        if t.columns.iter().any(|c| c.width.is_some()) {
            self.raw("<colgroup>");
            for c in &t.columns {
                let pct = c.width.unwrap_or(0.0) * 100.0;
                let _ = write!(self.out, "<col style=\"width: {pct:.1}%\"/>");
            }
            self.raw("</colgroup>\n");
        }
        if !t.head.is_empty() {
            self.raw("<thead>\n");
            for r in &t.head {
                self.row(t, r, true);
            }
            self.raw("</thead>\n");
        }
        self.raw("<tbody>\n");
        for r in &t.body {
            self.row(t, r, false);
        }
        self.raw("</tbody>\n</table>\n</div>\n");
    }

    fn row(&mut self, t: &Table, r: &Row, head: bool) {
        // A body row is one search result of the web edition.
        let id = if head {
            String::new()
        } else {
            let mut text = Vec::new();
            for c in &r.cells {
                if !text.is_empty() {
                    text.push(crate::model::Inline::Space);
                }
                text.extend(c.content.iter().cloned());
            }
            self.anchor(&text)
        };
        let _ = write!(self.out, "<tr{id}>");
        for (i, cell) in r.cells.iter().enumerate() {
            let class = match t.columns.get(i).map(|c| c.align) {
                Some(Align::Left) => " class=\"left\"",
                Some(Align::Center) => " class=\"center\"",
                Some(Align::Right) => " class=\"right\"",
                Some(Align::Default) | None => "",
            };
            if head {
                let _ = write!(self.out, "<th scope=\"col\"{class}>");
                self.inlines(&cell.content);
                self.raw("</th>");
            } else {
                let _ = write!(self.out, "<td{class}>");
                self.inlines(&cell.content);
                self.raw("</td>");
            }
        }
        self.raw("</tr>\n");
    }
}

/// The tables' style, shared by the EPUB and the web edition and added to
/// their style sheets only when the book has a table (the others' stay as
/// they were). Rules in the booktabs manner: heavier above and below, a
/// thin one under the head, no verticals.
pub const TABLE_CSS: &str = "
div.table + p { text-indent: 0; }
div.table { overflow-x: auto; margin: 1.2em 0; max-width: 100%; }
div.table table { border-collapse: collapse; margin: 0 auto; border-top: 1.5px solid currentColor; border-bottom: 1.5px solid currentColor; font-size: 0.9em; line-height: 1.4; }
div.table caption { caption-side: top; text-align: left; padding: 0 0 0.5em; }
div.table .table-number { font-weight: bold; }
div.table th, div.table td { padding: 0.3em 0.6em; text-align: left; vertical-align: top; text-indent: 0; hyphens: manual; -webkit-hyphens: manual; }
div.table thead th { border-bottom: 0.75px solid currentColor; vertical-align: bottom; }
div.table .left { text-align: left; }
div.table .center { text-align: center; }
div.table .right { text-align: right; }
";

/// Whether any chapter or note of the book holds a table.
pub fn has_tables(book: &crate::model::Book) -> bool {
    !crate::model::table::tables(book).is_empty()
}
