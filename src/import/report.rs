//! The report of an import: every guess the importer made, with where in
//! the input it made it, so that an author can check each one.

use std::fmt;

/// One guess: the input line it was made at and what was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guess {
    /// The input file's name, as given.
    pub file: String,
    /// 1-based line in the input.
    pub line: usize,
    /// A short kind (`heading`, `note`, `citation`, `hyphen`, `dropped`…).
    pub kind: &'static str,
    pub message: String,
}

/// All guesses of one import, in input order, and where the manuscript went.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub guesses: Vec<Guess>,
}

impl Report {
    pub fn guess(&mut self, file: &str, line: usize, kind: &'static str, message: String) {
        self.guesses.push(Guess {
            file: file.to_string(),
            line,
            kind,
            message,
        });
    }

    /// Guesses of one kind.
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Guess> + 'a {
        self.guesses.iter().filter(move |g| g.kind == kind)
    }
}

/// Guesses made by the hundred that are rarely wrong (a page number
/// dropped, a word broken at a line end joined): one line each kind, with
/// their input lines, so that the guesses worth reading stand out.
fn routine(g: &Guess) -> bool {
    g.kind == "dropped" || (g.kind == "hyphen" && g.message.starts_with("joined"))
}

/// First the counts, then each guess worth checking with its place, then
/// the routine ones in one line a kind.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sorted: Vec<&Guess> = self.guesses.iter().collect();
        sorted.sort_by_key(|g| g.line);
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for g in &sorted {
            match counts.iter_mut().find(|(k, _)| *k == g.kind) {
                Some((_, n)) => *n += 1,
                None => counts.push((g.kind, 1)),
            }
        }
        if counts.is_empty() {
            return Ok(());
        }
        let said: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
        writeln!(f, "guesses: {}", said.join(", "))?;
        for g in sorted.iter().filter(|g| !routine(g)) {
            let message = crate::diagnostics::escape_controls(&g.message);
            writeln!(f, "{}:{}: {}: {}", g.file, g.line, g.kind, message)?;
        }
        for (kind, _) in &counts {
            let all: Vec<&&Guess> = sorted
                .iter()
                .filter(|g| g.kind == *kind && routine(g))
                .collect();
            let Some(first) = all.first() else { continue };
            let lines: Vec<String> = all.iter().map(|g| g.line.to_string()).collect();
            let message = crate::diagnostics::escape_controls(&first.message);
            writeln!(
                f,
                "{}: {kind}: {} routine, at lines {} (e.g. {message})",
                first.file,
                all.len(),
                lines.join(", ")
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_first_then_what_to_check_then_routine_lines() {
        let mut r = Report::default();
        r.guess("a.txt", 9, "hyphen", "joined ab-cd (Default)".into());
        r.guess("a.txt", 3, "heading", "chapter: One".into());
        r.guess("a.txt", 5, "dropped", "page number \"2\"".into());
        r.guess("a.txt", 7, "hyphen", "joined ef-gh (Default)".into());
        r.guess(
            "a.txt",
            8,
            "hyphen",
            "kept the hyphen in x-y (Compound)".into(),
        );
        assert_eq!(
            r.to_string(),
            "guesses: 1 heading, 1 dropped, 3 hyphen\n\
             a.txt:3: heading: chapter: One\n\
             a.txt:8: hyphen: kept the hyphen in x-y (Compound)\n\
             a.txt: dropped: 1 routine, at lines 5 (e.g. page number \"2\")\n\
             a.txt: hyphen: 2 routine, at lines 7, 9 (e.g. joined ef-gh (Default))\n"
        );
    }
}
