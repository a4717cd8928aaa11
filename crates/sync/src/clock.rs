//! Hybrid logical clocks as devices send them:
//! `<wall ms, 15 digits>-<counter, 5 digits>-<device, 1–32 of [a-z0-9]>`.
//! Fixed widths make the text order the clock order, so the database and
//! every client compare clocks as plain strings.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Clock(String);

impl Clock {
    /// A clock in the documented form, or `None`.
    pub fn parse(text: &str) -> Option<Clock> {
        let mut parts = text.splitn(3, '-');
        let (wall, counter, device) = (parts.next()?, parts.next()?, parts.next()?);
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let device_ok =
            (1..=32).contains(&device.len()) && device.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        (digits(wall, 15) && digits(counter, 5) && device_ok).then(|| Clock(text.to_string()))
    }

    /// The clock of a change made on the server at `ms` (the regular API).
    pub fn server(ms: i64) -> Clock {
        Clock(format!("{:015}-00000-server", ms.max(0)))
    }

    /// The wall-clock part, in epoch milliseconds.
    pub fn wall_ms(&self) -> i64 {
        self.0[..15].parse().unwrap_or_default()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_documented_form_is_a_clock() {
        assert!(Clock::parse("001764601230000-00002-3f9a1c").is_some());
        for bad in [
            "",
            "1764601230000-00002-a",
            "001764601230000-2-a",
            "001764601230000-00002-",
            "001764601230000-00002-ABC",
            "001764601230000-00002-a-b",
            "001764601230000-00002-a\u{0}",
            &format!("001764601230000-00002-{}", "a".repeat(33)),
        ] {
            assert!(Clock::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn text_order_is_clock_order() {
        let a = Clock::parse("001764601230000-00009-zz").unwrap();
        let b = Clock::parse("001764601230000-00010-aa").unwrap();
        let c = Clock::parse("001764601230001-00000-aa").unwrap();
        assert!(a < b && b < c);
        assert!(Clock::server(1_764_601_230_000) < a);
        assert_eq!(c.wall_ms(), 1_764_601_230_001);
    }
}
