//! A thin walk over an XML stream for the GPX and TCX readers: elements by
//! local name (namespaces and prefixes vary between writers, the names do
//! not), each closing element with the text it held.

use std::io::BufRead;

use quick_xml::errors::SyntaxError;
use quick_xml::events::Event;
use quick_xml::Reader;

use crate::error::{Location, TrackError};

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

pub(crate) struct XmlWalk<R: BufRead> {
    reader: Reader<R>,
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
        let mut reader = Reader::from_reader(source);
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
            let position = reader.buffer_position();
            let at = || Location::Byte(position);
            let event = match reader.read_event_into(buf) {
                Ok(event) => event,
                Err(e) => return Err(error(e, Location::Byte(reader.error_position()))),
            };
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let empty = matches!(event, Event::Empty(_));
                    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    if !*seen_root {
                        if name != *root {
                            let detail = format!("the root element is <{name}>, not <{root}>");
                            return Err(TrackError::malformed(Location::File, detail));
                        }
                        *seen_root = true;
                    }
                    let mut attributes = Vec::new();
                    for attribute in e.attributes() {
                        let attribute = attribute.map_err(|e| TrackError::malformed(at(), e.to_string()))?;
                        let key = String::from_utf8_lossy(attribute.key.local_name().as_ref()).into_owned();
                        let value = attribute
                            .unescape_value()
                            .map_err(|e| TrackError::malformed(at(), e.to_string()))?
                            .into_owned();
                        attributes.push((key, value));
                    }
                    text.clear();
                    if empty {
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
                    text.push_str(&content);
                }
                Event::CData(t) => {
                    let content = t.decode().map_err(|e| TrackError::malformed(at(), e.to_string()))?;
                    text.push_str(&content);
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
                    text.extend(resolved);
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
