//! Numbers and times as tracks write them, read from an element's text or
//! an attribute's value.

use crate::error::{Location, TrackError};

/// Parses a number from an element's text, naming the element when it is not one.
pub(crate) fn number(text: &str, what: &str, at: Location) -> Result<f64, TrackError> {
    let trimmed = trim(text);
    plain_decimal(trimmed.as_bytes())
        .or_else(|| trimmed.parse::<f64>().ok())
        .filter(|v| v.is_finite())
        .ok_or_else(|| TrackError::malformed(at, format!("<{what}> holds `{text}`, not a number")))
}

/// `str::trim`, without its look at either end when neither is a space
/// of any kind (a byte below 0x80 that is not ASCII whitespace), as in
/// nearly every value of a track.
pub(crate) fn trim(text: &str) -> &str {
    let plain = |b: Option<&u8>| b.is_none_or(|&b| b < 0x80 && !char::from(b).is_whitespace());
    if plain(text.as_bytes().first()) && plain(text.as_bytes().last()) {
        return text;
    }
    text.trim()
}

/// The most digits a decimal may have to be read by [`plain_decimal`]: its
/// digits as an integer stay below 2^53, so the integer is exact as a float.
const PLAIN_DIGITS: usize = 15;

/// The powers of ten exact as floats, up to the most fraction digits [`plain_decimal`] reads.
const POWERS_OF_TEN: [f64; PLAIN_DIGITS + 1] =
    [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/// The form nearly every number in a track takes, `-12.345` (a sign, digits,
/// a point and digits, at most 15 digits in all), read directly: its
/// digits make an integer exact as a float, as is the power of ten to
/// divide it by, and a division of exact floats is rounded correctly, so
/// this is the float `str::parse` gives, to the bit (Clinger's fast path,
/// which `parse` itself takes for these). `None` for any other form.
fn plain_decimal(text: &[u8]) -> Option<f64> {
    let (negative, unsigned) = match text {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, text),
    };
    if unsigned.len() > PLAIN_DIGITS + 1 {
        return None;
    }
    // One pass: the digits as an integer, and how many follow the point.
    let (mut integer, mut point) = (0u64, None);
    for (at, &b) in unsigned.iter().enumerate() {
        match b {
            b'0'..=b'9' => integer = integer * 10 + u64::from(b - b'0'),
            b'.' if point.is_none() && at > 0 && at + 1 < unsigned.len() => point = Some(at),
            _ => return None,
        }
    }
    let fraction_digits = point.map_or(0, |at| unsigned.len() - at - 1);
    let digits = unsigned.len() - usize::from(point.is_some());
    if digits == 0 || digits > PLAIN_DIGITS {
        return None;
    }
    let magnitude = integer as f64 / POWERS_OF_TEN[fraction_digits];
    Some(if negative { -magnitude } else { magnitude })
}

/// Parses an ISO 8601 / RFC 3339 time to epoch milliseconds. Times without
/// an offset are taken as UTC, as GPX requires.
pub(crate) fn time_ms(text: &str) -> Option<i64> {
    let text = trim(text);
    plain_utc_ms(text.as_bytes()).or_else(|| parsed_ms(text))
}

/// Any form of time `time_ms` takes, through the `time` crate's parsers.
fn parsed_ms(text: &str) -> Option<i64> {
    use time::format_description::well_known::Rfc3339;
    use time::macros::format_description;
    if let Ok(t) = time::OffsetDateTime::parse(text, &Rfc3339) {
        return Some((t.unix_timestamp_nanos() / 1_000_000) as i64);
    }
    let local = format_description!(
        version = 2,
        "[year]-[month]-[day][first [T] [ ]][hour]:[minute]:[second][optional [.[subsecond]]]"
    );
    let t = time::PrimitiveDateTime::parse(text.trim_end_matches('Z'), &local).ok()?;
    Some((t.assume_utc().unix_timestamp_nanos() / 1_000_000) as i64)
}

/// The form nearly every file writes, `2024-05-01T06:00:00Z` (a fraction
/// of a second allowed), read directly, several times faster than the
/// general parsers and to the same millisecond; `None` for any other form,
/// and for any date or time out of range, which the general parsers judge.
fn plain_utc_ms(text: &[u8]) -> Option<i64> {
    let (date_time, rest) = (text.get(..19)?, &text[19..]);
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(at, c)| date_time[at] != c) {
        return None;
    }
    let number = |at: usize, len: usize| -> Option<i64> {
        date_time[at..at + len].iter().try_fold(0, |n, &b| b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0')))
    };
    let (year, month, day) = (number(0, 4)?, number(5, 2)?, number(8, 2)?);
    let (hour, minute, second) = (number(11, 2)?, number(14, 2)?, number(17, 2)?);
    let in_range = (1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day);
    if !in_range || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let nanosecond = match rest {
        b"Z" => 0,
        [b'.', fraction @ .., b'Z'] => nanoseconds(fraction)?,
        _ => return None,
    };
    let seconds = days_since_1970(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second;
    if seconds >= 0 {
        // The same milliseconds as below, without 128-bit division.
        return Some(seconds * 1_000 + nanosecond / 1_000_000);
    }
    Some(((i128::from(seconds) * 1_000_000_000 + i128::from(nanosecond)) / 1_000_000) as i64)
}

/// The nanoseconds of a fraction's digits (at least one); digits past the
/// ninth are dropped, as RFC 3339 parsers do.
fn nanoseconds(digits: &[u8]) -> Option<i64> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let nine = digits.iter().chain(std::iter::repeat(&b'0')).take(9);
    Some(nine.fold(0, |n, &b| n * 10 + i64::from(b - b'0')))
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given date (negative before it), Gregorian throughout.
fn days_since_1970(year: i64, month: i64, day: i64) -> i64 {
    // Leap days in the years before `year`, counted from year 1.
    let leap_days = |year: i64| (year - 1).div_euclid(4) - (year - 1).div_euclid(100) + (year - 1).div_euclid(400);
    let before_year = 365 * (year - 1970) + leap_days(year) - leap_days(1970);
    const BEFORE_MONTH: [i64; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let leap_day = i64::from(month > 2 && is_leap(year));
    before_year + BEFORE_MONTH[(month - 1) as usize] + leap_day + day - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A repeatable stream of numbers below the one asked for each time.
    fn random_below(mut seed: u64) -> impl FnMut(u64) -> u64 {
        move |below| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % below
        }
    }

    /// Numbers in the form read directly, and near it, at random: wherever
    /// the direct reading answers, `str::parse` answers the same, to the bit.
    #[test]
    fn plain_decimals_read_as_parse_reads_them() {
        let mut next = random_below(17);
        let mut read_directly = 0;
        for _ in 0..300_000 {
            let mut text = String::new();
            let sign = next(8);
            text.push_str(if sign == 0 {
                "-"
            } else if sign == 1 {
                "+"
            } else {
                ""
            });
            for _ in 0..next(12) {
                text.push(char::from(b'0' + next(10) as u8));
            }
            if next(4) > 0 {
                text.push('.');
                for _ in 0..next(14) {
                    text.push(char::from(b'0' + next(10) as u8));
                }
            }
            if next(20) == 0 {
                text.push(['e', 'x', ' ', '.'][next(4) as usize]);
            }
            if let Some(direct) = plain_decimal(text.as_bytes()) {
                let parsed: f64 = text.parse().unwrap();
                assert_eq!(direct.to_bits(), parsed.to_bits(), "{text}");
                read_directly += 1;
            }
        }
        assert!(read_directly > 100_000, "only {read_directly} read directly");
        for text in ["46.0000300", "-0", "-0.0", "0.1", "999999999999999", "0.00000000000001", "123456789.012345"] {
            assert_eq!(plain_decimal(text.as_bytes()).map(f64::to_bits), Some(text.parse::<f64>().unwrap().to_bits()));
        }
        for text in ["", "-", ".", "1.", ".5", "1e5", "+1", "1234567890123456", "1.2.3", "--1"] {
            assert_eq!(plain_decimal(text.as_bytes()), None, "{text}");
        }
    }

    /// Whatever a text begins or ends with (every ASCII byte, and the
    /// spaces beyond it), the quick trim is `str::trim`.
    #[test]
    fn trim_is_str_trim() {
        let ends = (0u8..0x80).map(char::from).chain(['\u{85}', '\u{a0}', '\u{2028}', '\u{3000}', 'é']);
        for end in ends {
            for text in [format!("{end}1.5"), format!("1.5{end}"), format!("{end}"), format!("{end}{end}x{end}")] {
                assert_eq!(trim(&text), text.trim(), "{text:?}");
            }
        }
        assert_eq!(trim(""), "");
    }

    /// Times in the form read directly, and near it, at random: wherever
    /// the direct reading answers, the general parsers answer the same.
    #[test]
    fn plain_times_read_as_the_general_parsers_read_them() {
        let mut next = random_below(11);
        let mut read_directly = 0;
        for _ in 0..200_000 {
            let year = match next(4) {
                0 => next(10_000),
                _ => 1_890 + next(250),
            };
            let (month, day) = (next(14), next(33));
            let (hour, minute, second) = (next(25), next(61), next(61));
            let fraction: String =
                (0..[0, 0, 1, 3, 6, 9, 11][next(7) as usize]).map(|_| char::from(b'0' + next(10) as u8)).collect();
            let dot = if fraction.is_empty() && next(3) > 0 { "" } else { "." };
            let end = ["Z", "Z", "Z", "z", "+01:00", ""][next(6) as usize];
            let text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{dot}{fraction}{end}");
            if let Some(ms) = plain_utc_ms(text.as_bytes()) {
                assert_eq!(Some(ms), parsed_ms(&text), "{text}");
                read_directly += 1;
            }
        }
        assert!(read_directly > 50_000, "only {read_directly} read directly");
        assert_eq!(time_ms("1969-12-31T23:59:59.9995Z"), Some(0));
        assert_eq!(time_ms("2024-02-29T12:00:00Z"), Some(1_709_208_000_000));
    }
}
