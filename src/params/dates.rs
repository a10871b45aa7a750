//! The date and time layouts Thrive documents, and their checks.

use super::*;

/// Date and time formats that Thrive's endpoints document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFormat {
    /// ISO 8601: a date (`2024-04-02`) or a date-time with optional
    /// fraction and zone (`2021-08-19T18:00:00.000Z`).
    Iso8601,
    /// `YYYY-MM-DD hh:mm:ss` (activities and CPD entries); a bare date is accepted too.
    SpaceSeparated,
    /// `YYYY-MM-DDThh:mm:ss` with no zone (CPD user summaries).
    LocalDateTime,
}

/// Checks an optional date input; a violation names the field and the format.
pub fn check_date(field: &str, value: Option<&str>, format: DateFormat, out: &mut Vec<Violation>) {
    let Some(value) = value else { return };
    let ok = match format {
        DateFormat::Iso8601 => is_iso8601(value),
        DateFormat::SpaceSeparated => {
            is_date(value)
                || value
                    .split_once(' ')
                    .is_some_and(|(d, t)| is_date(d) && is_hms(t))
        }
        DateFormat::LocalDateTime => value
            .split_once('T')
            .is_some_and(|(d, t)| is_date(d) && is_hms(t)),
    };
    if !ok {
        let expected = match format {
            DateFormat::Iso8601 => "an ISO 8601 date or date-time such as 2024-04-02T13:45:00Z",
            DateFormat::SpaceSeparated => "a date-time in the form YYYY-MM-DD hh:mm:ss",
            DateFormat::LocalDateTime => "a date-time in the form YYYY-MM-DDThh:mm:ss",
        };
        out.push(Violation::new(
            format!("/{field}"),
            format!("{field} must be {expected}, got {value:?}"),
        ));
    }
}

/// Whether `value` is a date or date-time in one of the layouts Thrive
/// documents ([`DateFormat`]).
pub fn is_date_text(value: &str) -> bool {
    let value = value.trim();
    is_iso8601(value)
        || value
            .split_once(' ')
            .is_some_and(|(d, t)| is_date(d) && is_hms(t))
}

pub(super) fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

pub(super) fn is_date(s: &str) -> bool {
    let mut parts = s.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Some(y), Some(m), Some(d)) = (digits(y, 4), digits(m, 2), digits(d, 2)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

pub(super) fn is_hms(s: &str) -> bool {
    let mut parts = s.split(':');
    let (Some(h), Some(m), Some(sec), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    matches!((digits(h, 2), digits(m, 2), digits(sec, 2)), (Some(h), Some(m), Some(s)) if h < 24 && m < 60 && s < 61)
}

pub(super) fn is_iso8601(s: &str) -> bool {
    let Some((date, time)) = s.split_once(['T', 't']) else {
        return is_date(s);
    };
    if !is_date(date) {
        return false;
    }
    // Split off the zone: Z, +hh:mm or -hh:mm.
    let (clock, zone) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
        (c, None)
    } else if let Some(i) = time.rfind(['+', '-']) {
        (&time[..i], Some(&time[i + 1..]))
    } else {
        (time, None)
    };
    if let Some(zone) = zone {
        let ok = match zone.split_once(':') {
            Some((h, m)) => {
                digits(h, 2).is_some_and(|h| h < 24) && digits(m, 2).is_some_and(|m| m < 60)
            }
            None => digits(zone, 4).is_some() || digits(zone, 2).is_some(),
        };
        if !ok {
            return false;
        }
    }
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, f)) => (hms, Some(f)),
        None => (clock, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    is_hms(hms) || (fraction.is_none() && hms.len() == 5 && is_hms(&format!("{hms}:00")))
}
