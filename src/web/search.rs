//! The offline search index: every word of the edition, normalised, with
//! the paragraphs it occurs in, stored as a script (`search.js`) that sets
//! `window.TSIGNI_SEARCH`. A script and not JSON: browsers refuse `fetch`
//! from `file://`, and a `<script src>` loads from anywhere.
//!
//! The words are sorted, so the page's script finds every word that starts
//! with what was typed by binary search: ჩინეთ finds ჩინეთის, ჩინეთმა….

use super::page::Page;
use serde_json::json;
use std::collections::BTreeMap;

/// How much of a paragraph a result shows.
const SNIPPET_CHARS: usize = 160;

/// Words as the index and the search box compare them: lower case, split at
/// anything that is neither a letter nor a digit (the script splits the
/// query the same way, with `[\p{Alphabetic}\p{N}]+`).
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphabetic() || c.is_numeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The index of `pages` (their anchors: id and text, in reading order) as
/// the contents of `search.js`.
pub fn script(pages: &[&Page], anchors: &[Vec<(String, String)>]) -> Vec<u8> {
    let mut paras = Vec::new();
    let mut index: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (page, list) in anchors.iter().enumerate() {
        for (id, text) in list {
            let n = paras.len();
            let snippet: String = text.chars().take(SNIPPET_CHARS).collect();
            let cut = if snippet.len() < text.len() {
                "…"
            } else {
                ""
            };
            paras.push(json!([page, id, format!("{snippet}{cut}")]));
            for w in words(text) {
                let list = index.entry(w).or_default();
                if list.last() != Some(&n) {
                    list.push(n);
                }
            }
        }
    }
    let pages: Vec<_> = pages.iter().map(|p| json!([p.file, p.title])).collect();
    let words: Vec<_> = index.into_iter().map(|(w, l)| json!([w, l])).collect();
    let data = json!({ "pages": pages, "paras": paras, "words": words });
    format!("window.TSIGNI_SEARCH = {data};\n").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_case_and_split_at_punctuation() {
        let w: Vec<String> = words("ჩინეთ-საბჭოთა „ურთიერთობები“ 1950, Mao’s").collect();
        assert_eq!(w, ["ჩინეთ", "საბჭოთა", "ურთიერთობები", "1950", "mao", "s"]);
    }

    #[test]
    fn the_index_is_sorted_and_points_at_paragraphs() {
        let pages = [Page {
            file: "ch01.html".into(),
            title: "ერთი".into(),
        }];
        let anchors = vec![vec![
            ("p1".to_string(), "ჩინეთის ისტორია".to_string()),
            ("p2".to_string(), "ჩინეთმა ჩინეთმა".to_string()),
        ]];
        let js =
            String::from_utf8(script(&pages.iter().collect::<Vec<_>>(), &anchors)).expect("utf-8");
        let json = js
            .strip_prefix("window.TSIGNI_SEARCH = ")
            .and_then(|s| s.strip_suffix(";\n"))
            .expect("the script sets one variable");
        let v: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
        let words: Vec<&str> = v["words"]
            .as_array()
            .expect("words")
            .iter()
            .filter_map(|e| e[0].as_str())
            .collect();
        assert_eq!(words, ["ისტორია", "ჩინეთის", "ჩინეთმა"]);
        // A word twice in one paragraph lists the paragraph once.
        assert_eq!(v["words"][2][1], json!([1]));
        assert_eq!(v["paras"][1], json!([0, "p2", "ჩინეთმა ჩინეთმა"]));
    }
}
