//! A cheap pass over a YAML references file before serde_yaml reads it:
//! libyaml's cost grows with the square of flow nesting (`[[[[…`), so 200 KB
//! of brackets took half a minute. References need a few levels; anything
//! deeper is refused at the bracket that goes too deep.

use super::Problem;

/// Deepest nesting of flow collections (`[`, `{`) and of sequences opened
/// on one line (`- - -`); hayagriva's own structures need fewer than ten.
pub const MAX_NESTING: usize = 64;

/// The first place where nesting passes [`MAX_NESTING`], if any.
///
/// Quoted scalars and comments are skipped; a quote opens a scalar only where
/// a token can start, so the apostrophe in `Snow's` does not hide what
/// follows. Brackets inside plain scalars are counted, which can only make
/// the check stricter, never let deep nesting through.
pub fn check(src: &str) -> Option<Problem> {
    let bytes = src.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    let mut line_start = true;
    while i < bytes.len() {
        let b = bytes[i];
        let token_start = i == 0
            || matches!(
                bytes[i - 1],
                b' ' | b'\t' | b'\n' | b'\r' | b'[' | b'{' | b',' | b':'
            );
        match b {
            b'\n' => {
                line_start = true;
                i += 1;
                continue;
            }
            b'#' if token_start => {
                i = bytes[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(bytes.len(), |n| i + n);
                continue;
            }
            b'\'' | b'"' if token_start => {
                i = skip_quoted(bytes, i);
                line_start = false;
                continue;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(too_deep(i, "[ and {"));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'-' if line_start || token_start => {
                let dashes = count_dashes(&bytes[i..]);
                if dashes > MAX_NESTING {
                    return Some(too_deep(i, "sequences"));
                }
            }
            _ => {}
        }
        if !matches!(b, b' ' | b'\t') {
            line_start = false;
        }
        i += 1;
    }
    None
}

fn too_deep(at: usize, what: &str) -> Problem {
    Problem::new(
        at..at + 1,
        format!("references nested deeper than {MAX_NESTING} levels of {what}"),
    )
}

/// `- - - x`: sequences opened one inside the other on one line.
fn count_dashes(bytes: &[u8]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i + 1 < bytes.len() && bytes[i] == b'-' && matches!(bytes[i + 1], b' ' | b'\t') {
        n += 1;
        i += 2;
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
            i += 1;
        }
    }
    n
}

/// The index after a quoted scalar starting at `start` ('' and \" escapes).
fn skip_quoted(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            c if c == quote => {
                if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                    i += 2;
                } else {
                    return i + 1;
                }
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_references_pass() {
        let src = "snow1961:\n  type: book\n  title: \"Snow's [1] {x}\"\n  author: [\"Snow, E.\", 'O''Brien']\n  note: a # comment [[[[\n";
        assert!(check(src).is_none());
    }

    #[test]
    fn deep_brackets_are_found_where_they_pass_the_limit() {
        let src = format!("a: {}", "[".repeat(100_000));
        let p = check(&src).expect("too deep");
        assert_eq!(p.range.start, 3 + MAX_NESTING);
        let dashes = format!("a:\n  {}x\n", "- ".repeat(1000));
        assert!(check(&dashes).is_some());
    }

    #[test]
    fn brackets_in_quotes_and_comments_do_not_count() {
        let src = format!("a: '{0}'\nb: \"{0}\"\n# {0}\n", "[".repeat(1000));
        assert!(check(&src).is_none());
    }
}
