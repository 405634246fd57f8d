//! The book's language: the one test of "is this Georgian" and every word
//! tsigni itself prints (contents, cover, note labels), so that no writer
//! keeps its own copy.

/// Whether a BCP 47 tag names Georgian: its primary subtag is `ka`, in any
/// case (`ka`, `ka-GE`, `KA`), and not merely starting with it (`kab` is
/// Kabyle).
pub fn is_georgian(tag: &str) -> bool {
    primary(tag).eq_ignore_ascii_case("ka")
}

/// The primary language subtag of a BCP 47 tag (`ka` of `ka-GE`).
pub fn primary(tag: &str) -> &str {
    tag.split(['-', '_']).next().unwrap_or("")
}

/// Whether `tag` is a well-formed BCP 47 language tag (`ru`, `en-GB`,
/// `sr-Latn`); `_` separators are not BCP 47 and are refused.
pub fn is_valid_tag(tag: &str) -> bool {
    !tag.contains('_') && tag.parse::<unic_langid::LanguageIdentifier>().is_ok()
}

/// Quotation marks of a language: outer opening and closing, inner opening
/// and closing; `None` for a language whose marks tsigni does not know.
pub fn quote_marks(tag: &str) -> Option<[char; 4]> {
    let p = primary(tag).to_ascii_lowercase();
    Some(match p.as_str() {
        "ka" => ['„', '“', '«', '»'],
        "ru" | "uk" | "be" => ['«', '»', '„', '“'],
        "en" => ['“', '”', '‘', '’'],
        "de" => ['„', '“', '‚', '‘'],
        "fr" => ['«', '»', '“', '”'],
        "el" => ['«', '»', '“', '”'],
        _ => return None,
    })
}

/// The words tsigni prints in a book of one language.
#[derive(Debug)]
pub struct Words {
    pub contents: &'static str,
    pub cover: &'static str,
    pub landmarks: &'static str,
    pub title_page: &'static str,
    pub start: &'static str,
    pub fonts_note: &'static str,
    pub pages: &'static str,
    /// Before a note number in a link's description: "სქოლიო 3".
    pub note: &'static str,
    /// Before a note number on the link back to the text.
    pub back_to_text: &'static str,
    pub search: &'static str,
    pub search_none: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub page: &'static str,
    /// Before a figure's number: "ნახ. 1".
    pub figure: &'static str,
    /// Before a table's number: "ცხრილი 1".
    pub table: &'static str,
    /// Before a section's number: "§ 2.1".
    pub section: &'static str,
    /// Before an appendix's letter: "დანართი ა".
    pub appendix: &'static str,
    /// Before a part's number: "ნაწილი I".
    pub part: &'static str,
}

const GEORGIAN: Words = Words {
    contents: "სარჩევი",
    cover: "ყდა",
    landmarks: "ორიენტირები",
    title_page: "სატიტულო გვერდი",
    start: "ტექსტის დასაწყისი",
    pages: "გვერდები",
    fonts_note:
        "აწყობილია შრიფტებით Noto Serif Georgian და Noto Serif (SIL Open Font License 1.1).",
    note: "სქოლიო",
    back_to_text: "ტექსტში დაბრუნება, სქოლიო",
    search: "ძიება",
    search_none: "ვერაფერი მოიძებნა",
    previous: "წინა",
    next: "შემდეგი",
    page: "გვ.",
    figure: "ნახ.",
    table: "ცხრილი",
    section: "§",
    appendix: "დანართი",
    part: "ნაწილი",
};

const ENGLISH: Words = Words {
    contents: "Contents",
    cover: "Cover",
    landmarks: "Landmarks",
    title_page: "Title page",
    start: "Start of text",
    fonts_note: "Set in Noto Serif Georgian and Noto Serif (SIL Open Font License 1.1).",
    pages: "Pages",
    note: "Note",
    back_to_text: "Back to the text, note",
    search: "Search",
    search_none: "Nothing found",
    previous: "Previous",
    next: "Next",
    page: "p.",
    figure: "Figure",
    table: "Table",
    section: "§",
    appendix: "Appendix",
    part: "Part",
};

/// Georgian words for a Georgian book, English for any other.
pub fn words(tag: &str) -> &'static Words {
    if is_georgian(tag) {
        &GEORGIAN
    } else {
        &ENGLISH
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn georgian_is_the_primary_subtag_not_a_prefix() {
        for tag in ["ka", "ka-GE", "KA", "ka_GE", "ka-Geor-GE"] {
            assert!(is_georgian(tag), "{tag}");
        }
        for tag in ["kab", "kaa", "kam", "en", "", "k", "ru-ka"] {
            assert!(!is_georgian(tag), "{tag}");
        }
        assert_eq!(words("kab").contents, "Contents");
        assert_eq!(words("ka-GE").contents, "სარჩევი");
    }

    #[test]
    fn tags_are_checked_and_marks_found_by_primary_subtag() {
        for tag in ["ru", "en-GB", "sr-Latn", "ka-GE", "grc"] {
            assert!(is_valid_tag(tag), "{tag}");
        }
        for tag in ["", "russian-", "ru_RU", "12", "r"] {
            assert!(!is_valid_tag(tag), "{tag}");
        }
        assert_eq!(quote_marks("ru-RU").map(|m| m[0]), Some('«'));
        assert_eq!(quote_marks("rue"), None);
    }
}
