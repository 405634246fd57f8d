//! Georgian quotation marks. A `ka` book quotes „like this“ and, inside a
//! quotation, «like this». Marks already in the text are the author's and stay;
//! straight `"` pairs become the right Georgian pair for their depth. English
//! “smart” quotes are never produced.

/// Tracks quotation depth across the text pieces of one paragraph.
#[derive(Debug)]
pub struct Quoter {
    /// Open marks, innermost last: `„` or `«`.
    stack: Vec<char>,
    prev: Option<char>,
    /// Outer opening and closing, inner opening and closing
    /// ([`crate::locale::quote_marks`]).
    marks: [char; 4],
}

impl Default for Quoter {
    fn default() -> Self {
        Quoter {
            stack: Vec::new(),
            prev: None,
            marks: ['„', '“', '«', '»'],
        }
    }
}

impl Quoter {
    /// Georgian marks.
    pub fn new() -> Self {
        Self::default()
    }

    /// The marks of the language `tag`, if tsigni knows them (a language
    /// span's quotation: «…» in Russian).
    pub fn for_lang(tag: &str) -> Option<Self> {
        crate::locale::quote_marks(tag).map(|marks| Quoter {
            marks,
            ..Self::default()
        })
    }

    /// Rewrites straight double quotes in `text`, continuing from what came before.
    pub fn convert(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let [outer_open, outer_close, inner_open, inner_close] = self.marks;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                _ if c == outer_open || c == inner_open => {
                    self.stack.push(c);
                    out.push(c);
                }
                // The author's closing mark closes whatever is open.
                _ if c == outer_close || c == inner_close => {
                    self.stack.pop();
                    out.push(c);
                }
                '"' => {
                    let opening = match self.prev {
                        None => true,
                        Some(p) => {
                            p.is_whitespace()
                                || "([{—–-/".contains(p)
                                || p == outer_open
                                || p == inner_open
                        }
                    };
                    let next_is_word = chars.peek().is_some_and(|n| !n.is_whitespace());
                    if opening && next_is_word {
                        let mark = if self.stack.is_empty() {
                            outer_open
                        } else {
                            inner_open
                        };
                        self.stack.push(mark);
                        out.push(mark);
                    } else {
                        match self.stack.pop() {
                            Some(m) if m == inner_open => out.push(inner_close),
                            _ => out.push(outer_close),
                        }
                    }
                }
                _ => out.push(c),
            }
            self.prev = Some(c);
        }
        out
    }

    /// Pieces of text that are not converted (code) still separate words.
    pub fn skip(&mut self, last: Option<char>) {
        if last.is_some() {
            self.prev = last;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> String {
        Quoter::new().convert(s)
    }

    #[test]
    fn straight_pairs_become_georgian() {
        assert_eq!(q(r#"ის "მეგობარი" იყო"#), "ის „მეგობარი“ იყო");
    }

    #[test]
    fn nested_pairs_use_guillemets() {
        assert_eq!(
            q(r#"თქვა: "ეს "უფროსი ძმა" არის""#),
            "თქვა: „ეს «უფროსი ძმა» არის“"
        );
    }

    #[test]
    fn existing_marks_stay_and_set_depth() {
        assert_eq!(q(r#"„ჩვენ "ძმები" ვართ“"#), "„ჩვენ «ძმები» ვართ“");
    }

    #[test]
    fn never_english_curly_opening() {
        let s = q(r#""a" and "b""#);
        assert!(!s.contains('”'));
        assert_eq!(s, "„a“ and „b“");
    }

    #[test]
    fn russian_quotes_by_its_own_marks() {
        let mut ru = Quoter::for_lang("ru").expect("ru marks");
        assert_eq!(ru.convert(r#""Война "и" мир""#), "«Война „и“ мир»");
        assert!(Quoter::for_lang("xx").is_none());
    }

    #[test]
    fn depth_carries_across_pieces() {
        let mut qt = Quoter::new();
        let a = qt.convert(r#"ის "ჩემი "#);
        let b = qt.convert(r#"მეგობარი""#);
        assert_eq!(format!("{a}{b}"), "ის „ჩემი მეგობარი“");
    }
}
