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

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sorted: Vec<&Guess> = self.guesses.iter().collect();
        sorted.sort_by_key(|g| g.line);
        for g in sorted {
            let message = crate::diagnostics::escape_controls(&g.message);
            writeln!(f, "{}:{}: {}: {}", g.file, g.line, g.kind, message)?;
        }
        Ok(())
    }
}
