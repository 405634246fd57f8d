//! ISBN-10 and ISBN-13: the digits and whether the check digit is right,
//! for the error at `book.toml` and for the records.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Isbn {
    /// As written.
    pub given: String,
    /// Digits (and a final X) only.
    pub compact: String,
    /// Has ISBN-10 or ISBN-13 length and check digit.
    pub valid: bool,
}

impl Isbn {
    pub fn parse(s: &str) -> Self {
        let compact: String = s
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == 'X' || *c == 'x')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let valid = isbn_valid(&compact);
        Isbn {
            given: s.to_string(),
            compact,
            valid,
        }
    }
}

pub fn isbn_valid(c: &str) -> bool {
    let digits: Vec<u32> = c.chars().filter_map(|ch| ch.to_digit(10)).collect();
    match c.len() {
        10 => {
            let last = match c.chars().last() {
                Some('X') => 10,
                Some(ch) => match ch.to_digit(10) {
                    Some(d) => d,
                    None => return false,
                },
                None => return false,
            };
            let body = &c[..9];
            if !body.bytes().all(|b| b.is_ascii_digit()) {
                return false;
            }
            let sum: u32 = digits
                .iter()
                .take(9)
                .enumerate()
                .map(|(i, d)| (10 - i as u32) * d)
                .sum();
            (sum + last).is_multiple_of(11)
        }
        13 if digits.len() == 13 => {
            let sum: u32 = digits
                .iter()
                .enumerate()
                .map(|(i, d)| if i % 2 == 0 { *d } else { 3 * d })
                .sum();
            sum.is_multiple_of(10)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isbn_check_digits() {
        assert!(Isbn::parse("0-306-40615-2").valid);
        assert!(Isbn::parse("978-0-306-40615-7").valid);
        assert!(Isbn::parse("080442957X").valid);
        assert!(!Isbn::parse("978-0-306-40615-8").valid);
        assert!(!Isbn::parse("0-306-40615-3").valid);
        assert!(!Isbn::parse("12345").valid);
    }
}
