//! A thin walk over an XML stream for the GPX and TCX readers: elements by
//! local name (namespaces and prefixes vary between writers, the names do
//! not), each closing element with the text it held.

use std::borrow::Cow;
use std::io::{self, BufRead, Read};
use std::ops::Range;

use quick_xml::encoding::EncodingError;
use quick_xml::errors::SyntaxError;
use quick_xml::events::{BytesRef, BytesStart, BytesText, Event};
use quick_xml::name::QName;
use quick_xml::Reader;

use crate::error::{Location, TrackError};

/// How deep elements may nest. TCX, the deepest, goes nine levels down to a
/// point's power (database, activities, activity, lap, track, trackpoint,
/// extensions, TPX, Watts); GPX extensions about as far.
const MAX_DEPTH: usize = 64;
/// The longest one piece of a document may be: a tag with its attributes,
/// an element's text, a comment. A long `<desc>` is a few KiB.
const MAX_PIECE: usize = 64 * 1024;
/// Element and attribute names, prefix included; real ones are under 40 bytes.
const MAX_NAME: usize = 256;
/// Attributes on one element; a GPX root declaring many namespaces has ten.
const MAX_ATTRIBUTES: usize = 64;

/// What the walk came to; what it holds (names, text, attributes) is read
/// from the walk, whose buffers are reused from step to step, so a
/// document costs no allocation per element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// An element opens: see [`XmlWalk::name`] and [`XmlWalk::attribute`].
    Open,
    /// An element closes: see [`XmlWalk::name`] and [`XmlWalk::text`].
    Close,
    End,
}

/// A walk over a document, refusing it with [`TrackError::BeyondLimits`]
/// as soon as it goes beyond the bounds above: what the walk holds (the
/// open elements, the text of one, one piece of markup) stays a few hundred
/// KiB at most, whatever the document.
pub(crate) struct XmlWalk<R: BufRead> {
    reader: Reader<Metered<R>>,
    buf: Vec<u8>,
    held: Held,
}

/// What the walk holds between steps, apart from the event being read.
struct Held {
    /// The local names of the open elements, one after the other, and where each ends.
    path: String,
    path_ends: Vec<usize>,
    /// The element that opened or closed last.
    name: String,
    /// The text of the open element so far, and of the element that closed last.
    text: String,
    closed_text: String,
    /// The attributes of the element that opened last, by local name:
    /// keys and values one after the other in `attribute_text`.
    attributes: Vec<(Range<usize>, Range<usize>)>,
    attribute_text: String,
    /// An empty element (`<a/>`) opens and closes at once.
    pending_close: bool,
    /// The element the document must start with, and whether it did.
    root: &'static str,
    seen_root: bool,
}

impl<R: BufRead> XmlWalk<R> {
    /// A walk over a document whose root element must be `root`; any other
    /// root, or no element at all, is an error.
    pub fn new(source: R, root: &'static str) -> Self {
        let mut reader = Reader::from_reader(Metered::new(source));
        reader.config_mut().trim_text(false);
        let held = Held {
            path: String::new(),
            path_ends: Vec::new(),
            name: String::new(),
            text: String::new(),
            closed_text: String::new(),
            attributes: Vec::new(),
            attribute_text: String::new(),
            pending_close: false,
            root,
            seen_root: false,
        };
        Self { reader, buf: Vec::with_capacity(512), held }
    }

    pub fn position(&self) -> Location {
        Location::Byte(self.reader.buffer_position())
    }

    /// The element that opened or closed at the last step.
    pub fn name(&self) -> &str {
        &self.held.name
    }

    /// The text of the element that closed at the last step, trimmed.
    pub fn text(&self) -> &str {
        self.held.closed_text.trim()
    }

    /// The first attribute named `key` (its local name) of the element that opened at the last step.
    pub fn attribute(&self, key: &str) -> Option<&str> {
        let text = &self.held.attribute_text;
        self.held.attributes.iter().find(|(k, _)| &text[k.clone()] == key).map(|(_, v)| &text[v.clone()])
    }

    /// The innermost open element: the one that opened at the last step,
    /// or, at a close, the element around the one that closed.
    pub fn parent(&self) -> Option<&str> {
        self.held.path_names().next_back()
    }

    /// Whether `name` is one of the open elements.
    pub fn within(&self, name: &str) -> bool {
        self.held.path_names().any(|p| p == name)
    }

    pub fn next(&mut self) -> Result<Step, TrackError> {
        let Self { reader, buf, held } = self;
        if std::mem::take(&mut held.pending_close) {
            held.pop_path();
            held.closed_text.clear();
            return Ok(Step::Close);
        }
        loop {
            buf.clear();
            reader.get_mut().allow_one_piece();
            let position = reader.buffer_position();
            let at = || Location::Byte(position);
            let event = match reader.read_event_into(buf) {
                Ok(event) => event,
                Err(_) if reader.get_ref().overran => return Err(piece_too_long(at())),
                Err(e) => return Err(error(e, Location::Byte(reader.error_position()))),
            };
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    held.open(e, matches!(event, Event::Empty(_)), at())?;
                    return Ok(Step::Open);
                }
                Event::End(_) => {
                    held.close();
                    return Ok(Step::Close);
                }
                Event::Text(t) => {
                    let content = text_content(&t).map_err(|e| TrackError::malformed(at(), e.to_string()))?;
                    add_text(&mut held.text, &content, at())?;
                }
                Event::CData(t) => {
                    let content = t.decode().map_err(|e| TrackError::malformed(at(), e.to_string()))?;
                    add_text(&mut held.text, &content, at())?;
                }
                Event::GeneralRef(r) => {
                    if let Some(c) = reference(&r) {
                        add_text(&mut held.text, c.encode_utf8(&mut [0; 4]), at())?;
                    }
                }
                Event::Eof => {
                    if !held.seen_root {
                        return Err(TrackError::UnknownFormat);
                    }
                    if !held.path_ends.is_empty() {
                        return Err(TrackError::Truncated { at: at() });
                    }
                    return Ok(Step::End);
                }
                _ => {}
            }
        }
    }
}

impl Held {
    fn path_names(&self) -> impl DoubleEndedIterator<Item = &str> {
        let ends = &self.path_ends;
        ends.iter().enumerate().map(|(i, &end)| &self.path[if i == 0 { 0 } else { ends[i - 1] }..end])
    }

    fn pop_path(&mut self) {
        self.path_ends.pop();
        self.path.truncate(self.path_ends.last().copied().unwrap_or(0));
    }

    /// An element opens: its name and attributes are checked and kept, and it goes on the path.
    fn open(&mut self, element: &BytesStart, empty: bool, at: Location) -> Result<(), TrackError> {
        if self.path_ends.len() >= MAX_DEPTH {
            let detail = format!("the file nests elements deeper than {MAX_DEPTH} levels");
            return Err(TrackError::BeyondLimits { at, detail });
        }
        self.name.clear();
        name_of(element.name(), "an element", at.clone(), &mut self.name)?;
        if !self.seen_root {
            if self.name != self.root {
                let detail = format!("the root element is <{}>, not <{}>", self.name, self.root);
                return Err(TrackError::malformed(Location::File, detail));
            }
            self.seen_root = true;
        }
        attributes(element, at, &mut self.attributes, &mut self.attribute_text)?;
        self.text.clear();
        self.pending_close = empty;
        self.path.push_str(&self.name);
        self.path_ends.push(self.path.len());
        Ok(())
    }

    /// The innermost element closes (quick-xml checks that the names
    /// match), with the text it held.
    fn close(&mut self) {
        let name_start = self.path_ends.iter().rev().nth(1).copied().unwrap_or(0);
        self.name.clear();
        self.name.push_str(&self.path[name_start..]);
        self.pop_path();
        std::mem::swap(&mut self.text, &mut self.closed_text);
        self.text.clear();
    }
}

/// A run of text as quick-xml's `xml_content` gives it. Its line-end
/// normalisation only ever changes text holding a `\r` or the first byte
/// of NEL or LS (0xC2, 0xE2), so text without them (a track's numbers and
/// times) is taken as it is, without a second scan and a call for each run.
fn text_content<'a>(text: &'a BytesText) -> Result<Cow<'a, str>, EncodingError> {
    let raw: &[u8] = text;
    if !raw.iter().any(|b| matches!(b, b'\r' | 0xC2 | 0xE2)) {
        if let Ok(plain) = std::str::from_utf8(raw) {
            return Ok(Cow::Borrowed(plain));
        }
    }
    text.xml_content()
}

/// The character a reference (`&amp;`, `&#233;`) stands for; none for an
/// entity the document would have to declare.
fn reference(r: &BytesRef) -> Option<char> {
    match r.resolve_char_ref() {
        Ok(Some(c)) => Some(c),
        _ => match r.as_ref() {
            b"amp" => Some('&'),
            b"lt" => Some('<'),
            b"gt" => Some('>'),
            b"quot" => Some('"'),
            b"apos" => Some('\''),
            _ => None,
        },
    }
}

/// Writes the local name (namespaces and prefixes vary between writers, the
/// names do not) of `what` into `into`, refused when it is longer than any real one.
fn name_of(name: QName, what: &str, at: Location, into: &mut String) -> Result<(), TrackError> {
    if name.as_ref().len() > MAX_NAME {
        let detail = format!("{what} has a name longer than {MAX_NAME} bytes");
        return Err(TrackError::BeyondLimits { at, detail });
    }
    match std::str::from_utf8(name.local_name().into_inner()) {
        Ok(local) => into.push_str(local),
        Err(_) => into.push_str(&String::from_utf8_lossy(name.local_name().as_ref())),
    }
    Ok(())
}

/// An element's attributes by local name, unescaped, into `ranges` of
/// `text`. Counting them as they come also stops quick-xml's check for
/// repeated names, which compares each attribute with every one before it,
/// from running long.
fn attributes(
    element: &BytesStart,
    at: Location,
    ranges: &mut Vec<(Range<usize>, Range<usize>)>,
    text: &mut String,
) -> Result<(), TrackError> {
    let damaged = |e: &dyn std::fmt::Display| TrackError::malformed(at.clone(), e.to_string());
    ranges.clear();
    text.clear();
    for attribute in element.attributes() {
        if ranges.len() == MAX_ATTRIBUTES {
            let detail = format!("an element has more than {MAX_ATTRIBUTES} attributes");
            return Err(TrackError::BeyondLimits { at, detail });
        }
        let attribute = attribute.map_err(|e| damaged(&e))?;
        let key_start = text.len();
        name_of(attribute.key, "an attribute", at.clone(), text)?;
        let value_start = text.len();
        // A value without `&` has nothing to unescape: it is kept as it is
        // (what `unescape_value` gives for it), without the scan for references.
        match std::str::from_utf8(&attribute.value) {
            Ok(plain) if !plain.contains('&') => text.push_str(plain),
            _ => text.push_str(&attribute.unescape_value().map_err(|e| damaged(&e))?),
        }
        ranges.push((key_start..value_start, value_start..text.len()));
    }
    Ok(())
}

/// Adds to the text of the open element; the text of one element is one
/// piece, and bounded as one, however many references it is split at.
fn add_text(text: &mut String, more: &str, at: Location) -> Result<(), TrackError> {
    if text.len() + more.len() > MAX_PIECE {
        return Err(piece_too_long(at));
    }
    text.push_str(more);
    Ok(())
}

fn piece_too_long(at: Location) -> TrackError {
    let detail = format!("one tag, or the text of one element, is longer than {} KiB", MAX_PIECE / 1024);
    TrackError::BeyondLimits { at, detail }
}

/// The source as quick-xml sees it: at most [`MAX_PIECE`] bytes from the
/// start of the event being read, then an error. quick-xml holds a whole tag
/// or run of text in memory before it hands it over, so without this one
/// unclosed tag, or a gigabyte of text, would be read into memory whole.
struct Metered<R> {
    source: R,
    consumed: u64,
    allowed_until: u64,
    overran: bool,
}

impl<R: BufRead> Metered<R> {
    fn new(source: R) -> Self {
        Self { source, consumed: 0, allowed_until: MAX_PIECE as u64, overran: false }
    }

    fn allow_one_piece(&mut self) {
        self.allowed_until = self.consumed + MAX_PIECE as u64;
    }
}

impl<R: BufRead> BufRead for Metered<R> {
    // Inlined: quick-xml asks for the buffer several times for every event.
    #[inline]
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let room = self.allowed_until.saturating_sub(self.consumed) as usize;
        if room == 0 {
            self.overran = true;
            return Err(io::Error::other("one piece of the document is too long"));
        }
        let available = self.source.fill_buf()?;
        Ok(&available[..available.len().min(room)])
    }

    #[inline]
    fn consume(&mut self, n: usize) {
        self.source.consume(n);
        self.consumed += n as u64;
    }
}

impl<R: BufRead> Read for Metered<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

fn error(e: quick_xml::Error, at: Location) -> TrackError {
    match e {
        quick_xml::Error::Io(e) => TrackError::Io(e.to_string()),
        // Only the end of the input leaves a tag, comment or section open.
        quick_xml::Error::Syntax(
            SyntaxError::UnclosedTag
            | SyntaxError::UnclosedComment
            | SyntaxError::UnclosedCData
            | SyntaxError::UnclosedDoctype
            | SyntaxError::UnclosedPIOrXmlDecl,
        ) => TrackError::Truncated { at },
        e => TrackError::malformed(at, e.to_string()),
    }
}

/// Parses a number from an element's text, naming the element when it is not one.
pub(crate) fn number(text: &str, what: &str, at: Location) -> Result<f64, TrackError> {
    let trimmed = text.trim();
    plain_decimal(trimmed.as_bytes())
        .or_else(|| trimmed.parse::<f64>().ok())
        .filter(|v| v.is_finite())
        .ok_or_else(|| TrackError::malformed(at, format!("<{what}> holds `{text}`, not a number")))
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
    let (whole, fraction) = match unsigned.iter().position(|&b| b == b'.') {
        Some(point) => (&unsigned[..point], &unsigned[point + 1..]),
        None => (unsigned, &[][..]),
    };
    let digits = whole.len() + fraction.len();
    if whole.is_empty() || (fraction.is_empty() && whole.len() < unsigned.len()) || digits > PLAIN_DIGITS {
        return None;
    }
    let integer = whole
        .iter()
        .chain(fraction)
        .try_fold(0u64, |n, &b| b.is_ascii_digit().then(|| n * 10 + u64::from(b - b'0')))?;
    let magnitude = integer as f64 / POWERS_OF_TEN[fraction.len()];
    Some(if negative { -magnitude } else { magnitude })
}

/// Parses an ISO 8601 / RFC 3339 time to epoch milliseconds. Times without
/// an offset are taken as UTC, as GPX requires.
pub(crate) fn time_ms(text: &str) -> Option<i64> {
    let text = text.trim();
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
    let before_month: i64 = (1..month).map(|m| days_in_month(year, m)).sum();
    before_year + before_month + day - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Numbers in the form read directly, and near it, at random: wherever
    /// the direct reading answers, `str::parse` answers the same, to the bit.
    #[test]
    fn plain_decimals_read_as_parse_reads_them() {
        let mut seed = 17u64;
        let mut next = |below: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % below
        };
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

    /// Times in the form read directly, and near it, at random: wherever
    /// the direct reading answers, the general parsers answer the same.
    #[test]
    fn plain_times_read_as_the_general_parsers_read_them() {
        let mut seed = 11u64;
        let mut next = |below: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % below
        };
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
