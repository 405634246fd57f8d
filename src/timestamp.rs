//! The one build time every output carries (zip entries, `dcterms:modified`,
//! the PDF's dates, the records): `SOURCE_DATE_EPOCH` when set, else the
//! book's date, else 1980-01-01 (the zip epoch), so the same manuscript
//! always gives the same bytes.

use crate::model::Book;

/// Year, month, day, hour, minute, second (UTC).
pub type Civil = (u16, u8, u8, u8, u8, u8);

/// The build time of `book` (see the module docs).
pub fn build_time(book: &Book) -> Civil {
    if let Some(secs) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
    {
        return civil_from_unix(secs.max(315_532_800));
    }
    if let Some(d) = &book.config.book.date {
        let mut parts = d.split('-').map(|p| p.parse::<u32>().unwrap_or(1));
        let y = parts.next().unwrap_or(1980).clamp(1980, 2107) as u16;
        let m = parts.next().unwrap_or(1).clamp(1, 12) as u8;
        let day = parts.next().unwrap_or(1).clamp(1, 28) as u8;
        return (y, m, day, 0, 0, 0);
    }
    (1980, 1, 1, 0, 0, 0)
}

/// Days-to-civil conversion (Howard Hinnant's algorithm), UTC.
fn civil_from_unix(secs: i64) -> Civil {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    (
        y.clamp(1980, 2107) as u16,
        m as u8,
        d as u8,
        (rem / 3600) as u8,
        ((rem % 3600) / 60) as u8,
        (rem % 60) as u8,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn unix_time_becomes_civil_time() {
        assert_eq!(
            super::civil_from_unix(1_700_000_000),
            (2023, 11, 14, 22, 13, 20)
        );
        // Before the zip epoch is clamped to its year.
        assert_eq!(super::civil_from_unix(0).0, 1980);
    }
}
