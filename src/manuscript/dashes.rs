//! Georgian dashes in a `ka` book: `---` is an em dash, `--` an en dash, and
//! a hyphen-minus with a space on both sides (how a typewriter writes a
//! dash) a spaced en dash. The space before a spaced dash becomes a
//! no-break space, so that no line starts with the dash. URLs are left
//! as written; code never reaches here (it is its own event).
//!
//! Year ranges (`1950–1980`) are left as written here; the writers keep
//! them whole ([`joins_range`]).

/// Rewrites the dashes of one piece of text; `prev` is the character that
/// came before it in the paragraph (a space ending the previous piece).
pub fn convert(text: &str, prev: Option<char>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut prev = prev;
    while let Some(c) = rest.chars().next() {
        // A URL written in the text keeps its `--`.
        if prev.is_none_or(char::is_whitespace) && starts_url(rest) {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            out.push_str(&rest[..end]);
            prev = rest[..end].chars().last();
            rest = &rest[end..];
            continue;
        }
        let (dash, len) = if rest.starts_with("---") {
            (Some('—'), 3)
        } else if rest.starts_with("--") {
            (Some('–'), 2)
        } else {
            (None, c.len_utf8())
        };
        let after = rest[len..].chars().next();
        let spaced = prev.is_some_and(char::is_whitespace) && after.is_none_or(char::is_whitespace);
        let dash = match (dash, c) {
            (Some(d), _) => Some(d),
            (None, '-') if spaced => Some('–'),
            (None, '–' | '—') => Some(c),
            _ => None,
        };
        match dash {
            Some(d) => {
                if spaced && out.ends_with(' ') {
                    out.pop();
                    out.push('\u{A0}');
                }
                out.push(d);
                prev = Some(d);
            }
            None => {
                out.push(c);
                prev = Some(c);
            }
        }
        rest = &rest[len..];
    }
    out
}

fn starts_url(s: &str) -> bool {
    let word = &s[..s.find(char::is_whitespace).unwrap_or(s.len())];
    word.contains("://") || word.starts_with("www.")
}

/// Whether the dash at byte `i` of `text` joins two numbers (`1950–1980`,
/// `1950-1980`): a line must not break after it.
pub fn joins_range(text: &str, i: usize) -> bool {
    let Some(c) = text[i..].chars().next() else {
        return false;
    };
    matches!(c, '-' | '–')
        && text[..i]
            .chars()
            .next_back()
            .is_some_and(|p| p.is_ascii_digit())
        && text[i + c.len_utf8()..]
            .chars()
            .next()
            .is_some_and(|n| n.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_and_triple_hyphens_become_dashes() {
        assert_eq!(convert("ა--ბ და გ---დ", None), "ა–ბ და გ—დ");
    }

    #[test]
    fn a_spaced_hyphen_is_a_dash_held_to_the_word_before() {
        assert_eq!(convert("წლები - პერიოდი", None), "წლები\u{A0}– პერიოდი");
        assert_eq!(convert("ა — ბ", None), "ა\u{A0}— ბ");
        // A hyphen inside a word or a range stays.
        assert_eq!(
            convert("ჩინეთ-საბჭოთა 1950-1958", None),
            "ჩინეთ-საბჭოთა 1950-1958"
        );
        // A list item's text begins with the dash's own space gone.
        assert_eq!(convert("- ბ", Some(' ')), "– ბ");
    }

    #[test]
    fn urls_keep_their_hyphens() {
        let s = "see https://example.org/a--b and www.x--y.ge -- ok";
        assert_eq!(
            convert(s, None),
            "see https://example.org/a--b and www.x--y.ge\u{A0}– ok"
        );
    }

    #[test]
    fn ranges_are_found() {
        let s = "1950-1980 და 1950–1980, ა-ბ";
        let dashes: Vec<usize> = s
            .char_indices()
            .filter(|&(i, _)| joins_range(s, i))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(dashes.len(), 2);
    }
}
