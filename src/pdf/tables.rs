//! The one PDF question asked while the book is read, before any writer
//! runs: does every table fit the page's measure? A table whose columns do
//! not fit even at their narrowest is set in smaller type (nothing is
//! lost), and the author is told where, with what to do instead.

use super::flow::plan_table;
use super::pages::Geometry;
use super::text::Shaper;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fonts::FontSet;
use crate::model::table::tables;
use crate::model::Book;

/// Below this size (in points) a table's type is past reading.
const READABLE: f32 = 5.0;

/// A warning at each table the PDF must set smaller to fit.
pub fn check_tables(book: &Book, fonts: &FontSet, diags: &mut Diagnostics) {
    let all = tables(book);
    if all.is_empty() {
        return;
    }
    // A bad geometry is reported by the PDF writer itself.
    let Ok(geo) = Geometry::new(&book.config.pdf) else {
        return;
    };
    let col = geo.column;
    let mut shaper = Shaper::new(fonts);
    for t in all {
        let size = col.size * super::flow::TABLE_SIZE;
        let plan = plan_table(&mut shaper, book, t, col.measure, (size, col.hyphenate));
        if plan.shrunk {
            let mut d = Diagnostic::warning(
                    "table-too-wide",
                    format!(
                        "table {} has {} columns that do not fit the page even at their narrowest; the PDF sets it in {:.2} pt type instead of {size:.1} pt",
                        t.number,
                        t.columns.len(),
                        plan.size
                    ),
                )
                .at(t.span)
                .note("split the table, give it fewer columns, or shorten its longest words");
            if plan.size < READABLE {
                d = d.note(
                    "at that size no reader can read it: nothing is lost, but it must be split",
                );
            }
            diags.push(d);
        }
    }
}
