//! A caption's own label ("Table 1:", "ცხრილი 2.", "Figure 3 –") comes off:
//! tsigni numbers tables and figures itself, and a kept label would print
//! "ცხრილი 1. ცხრილი 1: …".

/// Words that open a caption's label, lower case.
const LABELS: &[&str] = &[
    "table",
    "figure",
    "fig.",
    "illustration",
    "ცხრილი",
    "სურათი",
    "ილუსტრაცია",
    "таблица",
    "рисунок",
    "рис.",
    "tabelle",
    "abbildung",
];

/// The caption without its label, or `None` when it has none.
pub fn label_off(caption: &str) -> Option<&str> {
    let (word, rest) = caption.trim_start().split_once(' ')?;
    if !LABELS.contains(&word.to_lowercase().as_str()) {
        return None;
    }
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    let after = rest[digits..].trim_start_matches([':', '.', '–', '—', '-', ' ']);
    // A separator must stand between number and text: "Table 1950s" is text.
    (after.len() < rest[digits..].len() && !after.is_empty()).then_some(after)
}

#[cfg(test)]
mod tests {
    use super::label_off;

    #[test]
    fn labels_come_off_and_text_stays() {
        assert_eq!(label_off("ცხრილი 1: მოვლენები"), Some("მოვლენები"));
        assert_eq!(label_off("Figure 12 – A map"), Some("A map"));
        assert_eq!(label_off("Table 1950s in review"), None);
        assert_eq!(label_off("Tables of 1950"), None);
        assert_eq!(label_off("Table 3"), None);
    }
}
