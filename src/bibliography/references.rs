//! The references file (hayagriva YAML or BibLaTeX) into a library, after the
//! checks that keep hostile files from crashing or exhausting the parsers.

use super::{biblatex_check, yaml_check, Problem};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Span;
use hayagriva::Entry;
use hayagriva::Library;
use serde::de::value::MapAccessDeserializer;
use serde::de::{DeserializeSeed, Error as _, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::collections::HashSet;

/// Most references one file may hold; a book cites hundreds.
pub const MAX_REFERENCES: usize = 100_000;

/// Parses `text` (file id `file`) as BibLaTeX when `is_bib`, else YAML.
pub fn parse(text: &str, is_bib: bool, file: usize, diags: &mut Diagnostics) -> Option<Library> {
    let problems = if is_bib {
        biblatex_check::check(text)
    } else {
        yaml_check::check(text).into_iter().collect()
    };
    if !problems.is_empty() {
        report(problems, file, diags);
        return None;
    }
    let library = if is_bib {
        from_biblatex(text, file, diags)?
    } else {
        from_yaml(text, file, diags)?
    };
    if library.len() > MAX_REFERENCES {
        diags.push(
            Diagnostic::error(
                "references",
                format!(
                    "the references hold {} entries; at most {MAX_REFERENCES}",
                    library.len()
                ),
            )
            .at(Span {
                file,
                start: 0,
                end: 0,
            }),
        );
        return None;
    }
    Some(library)
}

fn report(problems: Vec<Problem>, file: usize, diags: &mut Diagnostics) {
    for p in problems {
        diags.push(
            Diagnostic::error(
                "references",
                format!("cannot read references: {}", p.message),
            )
            .at(Span {
                file,
                start: p.range.start,
                end: p.range.end,
            }),
        );
    }
}

fn from_biblatex(text: &str, file: usize, diags: &mut Diagnostics) -> Option<Library> {
    match hayagriva::io::from_biblatex_str(text) {
        Ok(lib) => Some(lib),
        Err(errors) => {
            let problems = errors
                .iter()
                .map(|e| match e {
                    hayagriva::io::BibLaTeXError::Parse(p) => {
                        Problem::new(p.span.clone(), format!("{:?}", p.kind))
                    }
                    hayagriva::io::BibLaTeXError::Type(t) => {
                        Problem::new(t.span.clone(), format!("{:?}", t.kind))
                    }
                })
                .collect();
            report(problems, file, diags);
            None
        }
    }
}

fn from_yaml(text: &str, file: usize, diags: &mut Diagnostics) -> Option<Library> {
    match serde_yaml::Deserializer::from_str(text).deserialize_map(EntryByEntry) {
        Ok(entries) => Some(entries.into_iter().collect()),
        Err(e) => {
            let start = e.location().map(|l| l.index()).unwrap_or(0);
            let msg = e.to_string();
            // serde_yaml appends " at line X column Y"; the snippet says that.
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            report(vec![Problem::new(start..start + 1, msg)], file, diags);
            None
        }
    }
}

/// The top-level map of a YAML library, handed to hayagriva one entry at a
/// time: hayagriva checks each key against every earlier key of its map, so
/// 60,000 references took 21 s. Values are still read from the stream, so
/// an error keeps its line and column.
struct EntryByEntry;

impl<'de> Visitor<'de> for EntryByEntry {
    type Value = Vec<Entry>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a map between cite keys and entries")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<Entry>, A::Error> {
        let mut seen = HashSet::new();
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(A::Error::custom(format!("duplicate key {key}")));
            }
            let one = OneEntry {
                key: Some(key),
                rest: &mut map,
            };
            entries.extend(Library::deserialize(MapAccessDeserializer::new(one))?);
        }
        Ok(entries)
    }
}

/// A map of one entry whose value is the next value of the outer map.
struct OneEntry<'a, A> {
    key: Option<String>,
    rest: &'a mut A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for OneEntry<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.key.take() {
            Some(k) => seed.deserialize(k.into_deserializer()).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.rest.next_value_seed(seed)
    }
}
