//! Georgian quotation marks. A `ka` book quotes „like this“ and, inside a
//! quotation, «like this». Marks already in the text are the author's and stay;
//! straight `"` pairs become the right Georgian pair for their depth. English
//! “smart” quotes are never produced.

/// Tracks quotation depth across the text pieces of one paragraph.
#[derive(Debug, Default)]
pub struct Quoter {
    /// Open marks, innermost last: `„` or `«`.
    stack: Vec<char>,
    prev: Option<char>,
}

impl Quoter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Rewrites straight double quotes in `text`, continuing from what came before.
    pub fn convert(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '„' => {
                    self.stack.push('„');
                    out.push(c);
                }
                '«' => {
                    self.stack.push('«');
                    out.push(c);
                }
                '“' | '»' => {
                    // The author's closing mark closes whatever is open.
                    self.stack.pop();
                    out.push(c);
                }
                '"' => {
                    let opening = match self.prev {
                        None => true,
                        Some(p) => p.is_whitespace() || "([{—–-/„«".contains(p),
                    };
                    let next_is_word = chars.peek().is_some_and(|n| !n.is_whitespace());
                    if opening && next_is_word {
                        let mark = if self.stack.is_empty() { '„' } else { '«' };
                        self.stack.push(mark);
                        out.push(mark);
                    } else {
                        match self.stack.pop() {
                            Some('«') => out.push('»'),
                            _ => out.push('“'),
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
    fn depth_carries_across_pieces() {
        let mut qt = Quoter::new();
        let a = qt.convert(r#"ის "ჩემი "#);
        let b = qt.convert(r#"მეგობარი""#);
        assert_eq!(format!("{a}{b}"), "ის „ჩემი მეგობარი“");
    }
}
