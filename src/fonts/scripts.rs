//! Scripts of the characters no font draws: one name per gap, so that a
//! missing font is reported once per script rather than once per character,
//! and a suggestion of a free face that covers it.

pub use unicode_script::Script;
use unicode_script::UnicodeScript;

/// The script a character belongs to (Unicode's Scripts.txt, through the
/// unicode-script crate). Characters shared by many scripts (punctuation,
/// symbols, digits) and combining marks are `Common` and `Inherited`.
pub fn of(c: char) -> Script {
    c.script()
}

/// `n` characters of `script`, as the error counts them: "37 characters of
/// the Armenian script", "1 private-use or unassigned character".
pub fn counted(script: Script, n: usize) -> String {
    let s = if n == 1 { "" } else { "s" };
    match script {
        Script::Common => format!("{n} punctuation mark{s} or symbol{s}"),
        Script::Inherited => format!("{n} combining mark{s}"),
        Script::Unknown => format!("{n} private-use or unassigned character{s}"),
        other => format!(
            "{n} character{s} of the {} script",
            other.full_name().replace('_', " ")
        ),
    }
}

/// Short name for the build output and the hint: "Armenian".
pub fn name(script: Script) -> String {
    match script {
        Script::Common => "symbols".into(),
        Script::Inherited => "combining marks".into(),
        Script::Unknown => "private use".into(),
        s => s.full_name().replace('_', " "),
    }
}

/// A free (SIL OFL) family known to cover `script`, serif where one exists;
/// `None` for a script without one we can name with confidence.
pub fn suggestion(script: Script) -> Option<&'static str> {
    Some(match script {
        Script::Armenian => "Noto Serif Armenian",
        Script::Han | Script::Hiragana | Script::Katakana | Script::Bopomofo => {
            "Noto Serif CJK (Debian: fonts-noto-cjk)"
        }
        Script::Hangul => "Noto Serif CJK KR (Debian: fonts-noto-cjk)",
        Script::Greek | Script::Latin | Script::Cyrillic => "Noto Serif",
        Script::Hebrew => "Noto Serif Hebrew",
        Script::Arabic => "Noto Naskh Arabic",
        Script::Syriac => "Noto Sans Syriac",
        Script::Ethiopic => "Noto Serif Ethiopic",
        Script::Devanagari => "Noto Serif Devanagari",
        Script::Bengali => "Noto Serif Bengali",
        Script::Tamil => "Noto Serif Tamil",
        Script::Telugu => "Noto Serif Telugu",
        Script::Kannada => "Noto Serif Kannada",
        Script::Malayalam => "Noto Serif Malayalam",
        Script::Gujarati => "Noto Serif Gujarati",
        Script::Gurmukhi => "Noto Serif Gurmukhi",
        Script::Sinhala => "Noto Serif Sinhala",
        Script::Thai => "Noto Serif Thai",
        Script::Lao => "Noto Serif Lao",
        Script::Khmer => "Noto Serif Khmer",
        Script::Myanmar => "Noto Serif Myanmar",
        Script::Tibetan => "Noto Serif Tibetan",
        Script::Mongolian => "Noto Sans Mongolian",
        Script::Coptic => "Noto Sans Coptic",
        Script::Glagolitic => "Noto Sans Glagolitic",
        Script::Gothic => "Noto Sans Gothic",
        Script::Runic => "Noto Sans Runic",
        Script::Common => "Noto Sans Symbols, Noto Sans Symbols 2 or Noto Sans Math",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_come_from_unicode_data() {
        assert_eq!(of('Ա'), Script::Armenian);
        assert_eq!(of('毛'), Script::Han);
        assert_eq!(of('ა'), Script::Georgian);
        assert_eq!(of('。'), Script::Common);
        assert_eq!(
            counted(Script::Armenian, 37),
            "37 characters of the Armenian script"
        );
        assert_eq!(
            counted(Script::Unknown, 1),
            "1 private-use or unassigned character"
        );
        assert_eq!(name(Script::Han), "Han");
        assert_eq!(suggestion(Script::Armenian), Some("Noto Serif Armenian"));
        assert_eq!(suggestion(Script::Cherokee), None);
    }
}
