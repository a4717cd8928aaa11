//! A thin walk over an XML stream for the GPX and TCX readers: elements by
//! local name (namespaces and prefixes vary between writers, the names do
//! not), each closing element with the text it held.

use std::io::{self, BufRead, Read};

use quick_xml::errors::SyntaxError;
use quick_xml::events::{BytesStart, Event};
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

pub(crate) enum Step {
    /// An element opens; `attributes` by local name.
    Open {
        name: String,
        attributes: Vec<(String, String)>,
    },
    /// An element closes with its text (trimmed).
    Close {
        name: String,
        text: String,
    },
    End,
}

/// A walk over a document, refusing it with [`TrackError::BeyondLimits`]
/// as soon as it goes beyond the bounds above: what the walk holds (the
/// open elements, the text of one, one piece of markup) stays a few hundred
/// KiB at most, whatever the document.
pub(crate) struct XmlWalk<R: BufRead> {
    reader: Reader<Metered<R>>,
    buf: Vec<u8>,
    /// The open elements above the current one.
    pub path: Vec<String>,
    text: String,
    /// An empty element (`<a/>`) opens and closes at once.
    pending_close: Option<String>,
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
        Self {
            reader,
            buf: Vec::with_capacity(512),
            path: Vec::new(),
            text: String::new(),
            pending_close: None,
            root,
            seen_root: false,
        }
    }

    pub fn position(&self) -> Location {
        Location::Byte(self.reader.buffer_position())
    }

    pub fn parent(&self) -> Option<&str> {
        self.path.last().map(String::as_str)
    }

    /// Whether `name` is one of the open elements.
    pub fn within(&self, name: &str) -> bool {
        self.path.iter().any(|p| p == name)
    }

    pub fn next(&mut self) -> Result<Step, TrackError> {
        if let Some(name) = self.pending_close.take() {
            self.path.pop();
            return Ok(Step::Close { name, text: String::new() });
        }
        let Self { reader, buf, path, text, pending_close, root, seen_root } = self;
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
                    if path.len() >= MAX_DEPTH {
                        let detail = format!("the file nests elements deeper than {MAX_DEPTH} levels");
                        return Err(TrackError::BeyondLimits { at: at(), detail });
                    }
                    let name = name_of(e.name(), "an element", at())?;
                    if !*seen_root {
                        if name != *root {
                            let detail = format!("the root element is <{name}>, not <{root}>");
                            return Err(TrackError::malformed(Location::File, detail));
                        }
                        *seen_root = true;
                    }
                    let attributes = attributes(e, at())?;
                    text.clear();
                    if matches!(event, Event::Empty(_)) {
                        *pending_close = Some(name.clone());
                    }
                    let open = Step::Open { name: name.clone(), attributes };
                    path.push(name);
                    return Ok(open);
                }
                Event::End(_) => {
                    let name = path.pop().unwrap_or_default();
                    let closed = text.trim().to_string();
                    text.clear();
                    return Ok(Step::Close { name, text: closed });
                }
                Event::Text(t) => {
                    let content = t.xml_content().map_err(|e| TrackError::malformed(at(), e.to_string()))?;
                    add_text(text, &content, at())?;
                }
                Event::CData(t) => {
                    let content = t.decode().map_err(|e| TrackError::malformed(at(), e.to_string()))?;
                    add_text(text, &content, at())?;
                }
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        _ => match r.as_ref() {
                            b"amp" => Some('&'),
                            b"lt" => Some('<'),
                            b"gt" => Some('>'),
                            b"quot" => Some('"'),
                            b"apos" => Some('\''),
                            _ => None,
                        },
                    };
                    if let Some(c) = resolved {
                        add_text(text, c.encode_utf8(&mut [0; 4]), at())?;
                    }
                }
                Event::Eof => {
                    if !*seen_root {
                        return Err(TrackError::UnknownFormat);
                    }
                    if !path.is_empty() {
                        return Err(TrackError::Truncated { at: at() });
                    }
                    return Ok(Step::End);
                }
                _ => {}
            }
        }
    }
}

/// The local name (namespaces and prefixes vary between writers, the names do
/// not) of `what`, refused when it is longer than any real one.
fn name_of(name: QName, what: &str, at: Location) -> Result<String, TrackError> {
    if name.as_ref().len() > MAX_NAME {
        let detail = format!("{what} has a name longer than {MAX_NAME} bytes");
        return Err(TrackError::BeyondLimits { at, detail });
    }
    Ok(String::from_utf8_lossy(name.local_name().as_ref()).into_owned())
}

/// An element's attributes by local name, unescaped. Counting them as they
/// come also stops quick-xml's check for repeated names, which compares each
/// attribute with every one before it, from running long.
fn attributes(element: &BytesStart, at: Location) -> Result<Vec<(String, String)>, TrackError> {
    let damaged = |e: &dyn std::fmt::Display| TrackError::malformed(at.clone(), e.to_string());
    let mut attributes = Vec::new();
    for attribute in element.attributes() {
        if attributes.len() == MAX_ATTRIBUTES {
            let detail = format!("an element has more than {MAX_ATTRIBUTES} attributes");
            return Err(TrackError::BeyondLimits { at, detail });
        }
        let attribute = attribute.map_err(|e| damaged(&e))?;
        let key = name_of(attribute.key, "an attribute", at.clone())?;
        let value = attribute.unescape_value().map_err(|e| damaged(&e))?.into_owned();
        attributes.push((key, value));
    }
    Ok(attributes)
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
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let room = self.allowed_until.saturating_sub(self.consumed) as usize;
        if room == 0 {
            self.overran = true;
            return Err(io::Error::other("one piece of the document is too long"));
        }
        let available = self.source.fill_buf()?;
        Ok(&available[..available.len().min(room)])
    }

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
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| TrackError::malformed(at, format!("<{what}> holds `{text}`, not a number")))
}

/// Parses an ISO 8601 / RFC 3339 time to epoch milliseconds. Times without
/// an offset are taken as UTC, as GPX requires.
pub(crate) fn time_ms(text: &str) -> Option<i64> {
    use time::format_description::well_known::Rfc3339;
    use time::macros::format_description;
    let text = text.trim();
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
