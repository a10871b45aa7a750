//! Timestamps: milliseconds since the Unix epoch, ISO 8601 formatting and the
//! handful of date/time input formats the Thrive API documents.
//!
//! The sandbox stores every instant as [`Millis`] (UTC) and renders it as
//! `YYYY-MM-DDThh:mm:ss.sssZ`, the form most Thrive response timestamps use.
//! Zone-less inputs are read as UTC (behaviour.md §19: "not documented; assume
//! UTC").

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since 1970-01-01T00:00:00Z.
pub(crate) type Millis = i64;

/// One day in milliseconds.
pub(crate) const DAY_MS: Millis = 86_400_000;

/// The wall clock, in milliseconds.
pub(crate) fn now_millis() -> Millis {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Days since the epoch for a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(month);
    let d = i64::from(day);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date for a day count since the epoch (inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // Both values are small and positive by construction.
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Milliseconds for a UTC date and time.
pub(crate) fn millis_from_parts(
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
) -> Millis {
    days_from_civil(year, month, day) * DAY_MS
        + i64::from(hour) * 3_600_000
        + i64::from(minute) * 60_000
        + i64::from(second) * 1000
}

/// Renders an instant as `YYYY-MM-DDThh:mm:ss.sssZ`.
pub(crate) fn format_millis(ms: Millis) -> String {
    let days = ms.div_euclid(DAY_MS);
    let rem = ms.rem_euclid(DAY_MS);
    let (y, m, d) = civil_from_days(days);
    let h = rem / 3_600_000;
    let mi = rem / 60_000 % 60;
    let s = rem / 1000 % 60;
    let milli = rem % 1000;
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

/// Renders an optional instant, `null` when absent.
pub(crate) fn format_opt(ms: Option<Millis>) -> serde_json::Value {
    ms.map_or(serde_json::Value::Null, |v| {
        serde_json::Value::String(format_millis(v))
    })
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// A parsed date or date-time, with the facts needed to check a format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ParsedTime {
    /// The instant (UTC; zone offsets applied).
    pub millis: Millis,
    /// The input was a bare `YYYY-MM-DD`.
    pub date_only: bool,
    /// The date/time separator: `b'T'` or `b' '` (absent for a bare date).
    pub separator: Option<u8>,
    /// The time part had seconds.
    pub has_seconds: bool,
    /// The input carried `Z` or a numeric offset.
    pub has_zone: bool,
}

fn digits(bytes: &[u8], from: usize, len: usize) -> Option<u32> {
    let slice = bytes.get(from..from + len)?;
    let mut value = 0u32;
    for b in slice {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u32::from(b - b'0');
    }
    Some(value)
}

/// Parses `YYYY-MM-DD`, optionally followed by `T` or a space and
/// `hh:mm[:ss[.fraction]]`, optionally followed by `Z` or `±hh[:]mm`.
pub(crate) fn parse_datetime(input: &str) -> Option<ParsedTime> {
    let b = input.as_bytes();
    let year = i64::from(digits(b, 0, 4)?);
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let date_ms = days_from_civil(year, month, day) * DAY_MS;
    if b.len() == 10 {
        return Some(ParsedTime {
            millis: date_ms,
            date_only: true,
            separator: None,
            has_seconds: false,
            has_zone: false,
        });
    }
    let separator = match b[10] {
        b'T' | b't' => b'T',
        b' ' => b' ',
        _ => return None,
    };
    let hour = digits(b, 11, 2)?;
    if b.get(13) != Some(&b':') {
        return None;
    }
    let minute = digits(b, 14, 2)?;
    let mut pos = 16;
    let mut second = 0;
    let mut has_seconds = false;
    if b.get(pos) == Some(&b':') {
        second = digits(b, pos + 1, 2)?;
        has_seconds = true;
        pos += 3;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut millis = date_ms
        + i64::from(hour) * 3_600_000
        + i64::from(minute) * 60_000
        + i64::from(second) * 1000;
    if has_seconds && matches!(b.get(pos), Some(b'.') | Some(b',')) {
        pos += 1;
        let start = pos;
        let mut frac_ms = 0i64;
        while let Some(d) = b.get(pos).filter(|d| d.is_ascii_digit()) {
            if pos - start < 3 {
                frac_ms = frac_ms * 10 + i64::from(d - b'0');
            }
            pos += 1;
        }
        if pos == start {
            return None;
        }
        for _ in (pos - start)..3 {
            frac_ms *= 10;
        }
        millis += frac_ms;
    }
    let mut has_zone = false;
    match b.get(pos) {
        None => {}
        Some(b'Z') | Some(b'z') => {
            has_zone = true;
            pos += 1;
        }
        Some(sign @ (b'+' | b'-')) => {
            let sign = if *sign == b'+' { 1 } else { -1 };
            let oh = digits(b, pos + 1, 2)?;
            let mut p = pos + 3;
            if b.get(p) == Some(&b':') {
                p += 1;
            }
            let om = digits(b, p, 2)?;
            if oh > 23 || om > 59 {
                return None;
            }
            millis -= sign * (i64::from(oh) * 3_600_000 + i64::from(om) * 60_000);
            has_zone = true;
            pos = p + 2;
        }
        Some(_) => return None,
    }
    if pos != b.len() {
        return None;
    }
    Some(ParsedTime {
        millis,
        date_only: false,
        separator: Some(separator),
        has_seconds,
        has_zone,
    })
}

/// Parses an ISO 8601 date or date-time (`T` separator), the form used by
/// `updatedSince`, `updatedAtFrom/To`, completion ranges and body dates.
pub(crate) fn parse_iso(input: &str) -> Option<ParsedTime> {
    parse_datetime(input).filter(|p| p.date_only || p.separator == Some(b'T'))
}

/// Parses the documented `YYYY-MM-DD hh:mm:ss` filter format (activities and
/// CPD entries). A bare `YYYY-MM-DD` is also accepted, because the docs'
/// own CPD examples use bare dates.
pub(crate) fn parse_space_format(input: &str) -> Option<ParsedTime> {
    parse_datetime(input)
        .filter(|p| p.date_only || (p.separator == Some(b' ') && p.has_seconds && !p.has_zone))
}

/// Parses the documented `YYYY-MM-DDThh:mm:ss` format of the CPD user
/// summaries filters. Fractional seconds and a trailing `Z` are tolerated;
/// a bare date or a space separator is not.
pub(crate) fn parse_t_format(input: &str) -> Option<ParsedTime> {
    parse_datetime(input).filter(|p| p.separator == Some(b'T') && p.has_seconds)
}

/// The inclusive upper bound an input denotes: a bare date covers its whole
/// day, anything else is the instant itself.
pub(crate) fn upper_bound(parsed: ParsedTime) -> Millis {
    if parsed.date_only {
        parsed.millis + DAY_MS - 1
    } else {
        parsed.millis
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_dates() {
        let ms = millis_from_parts(2024, 2, 29, 13, 45, 7) + 123;
        assert_eq!(format_millis(ms), "2024-02-29T13:45:07.123Z");
        assert_eq!(
            parse_iso("2024-02-29T13:45:07.123Z").map(|p| p.millis),
            Some(ms)
        );
        assert_eq!(format_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_millis(-1), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn parses_offsets_and_formats() {
        let base = parse_iso("2020-09-25T19:34:23Z").map(|p| p.millis);
        assert_eq!(
            parse_iso("2020-09-25T20:34:23+01:00").map(|p| p.millis),
            base
        );
        assert_eq!(
            parse_iso("2020-09-25T20:34:23+0100").map(|p| p.millis),
            base
        );
        assert!(parse_iso("2020-09-25 19:34:23").is_none());
        assert!(parse_space_format("2020-09-25 19:34:23").is_some());
        assert!(parse_space_format("2020-09-25").is_some());
        assert!(parse_space_format("2020-09-25T19:34:23").is_none());
        assert!(parse_t_format("2020-11-17T09:50:00").is_some());
        assert!(parse_t_format("2020-11-17").is_none());
        assert!(parse_t_format("2020-11-17 09:50:00").is_none());
        assert!(parse_iso("2021-02-29").is_none());
        assert!(parse_iso("2021-13-01").is_none());
        assert!(parse_iso("yesterday").is_none());
        assert!(parse_iso("2021-01-01T25:00:00Z").is_none());
    }

    #[test]
    fn date_only_upper_bound_covers_the_day() {
        let p = parse_iso("2024-04-02").expect("date");
        assert_eq!(format_millis(upper_bound(p)), "2024-04-02T23:59:59.999Z");
    }
}
