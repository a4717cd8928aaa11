//! A thin walk over an XML stream for the GPX and TCX readers: elements by
//! local name (namespaces and prefixes vary between writers, the names do
//! not), each closing element with the text it held.
//!
//! The document is taken apart where it lies in a window over the source
//! ([`window`]), a piece at a time ([`markup`]): a track is mostly the same
//! few tags a hundred thousand times, and doing no more than they need is
//! most of what makes reading fast.

mod markup;
mod tag;
mod text;
mod values;
mod window;

use std::io::Read;
use std::ops::Range;

pub(crate) use markup::doctype_end;
pub(crate) use values::{number, time_ms};

use crate::error::{Location, TrackError};
use markup::{Broken, Piece};
use tag::local;
use window::Window;

/// How deep elements may nest. TCX, the deepest, goes nine levels down to a
/// point's power (database, activities, activity, lap, track, trackpoint,
/// extensions, TPX, Watts); GPX extensions about as far.
const MAX_DEPTH: usize = 64;
/// The longest one piece of a document may be: a tag with its attributes,
/// a run of text, a comment. A long `<desc>` is a few KiB.
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
pub(crate) struct XmlWalk<R> {
    window: Window<R>,
    /// Where the parts of the start tag being read lie.
    tag: tag::Layout,
    held: Held,
}

/// Where an open element's name lies in [`Held::path`]: as written, from
/// where the one before it ends to `end`; its local name from `local`.
#[derive(Clone, Copy)]
struct Opened {
    local: usize,
    end: usize,
}

/// Where a kept attribute's name (as written, and its local part from
/// `local`) and value lie.
struct Attribute {
    name: Range<usize>,
    local: usize,
    value: Range<usize>,
}

/// What the walk holds between steps.
struct Held {
    /// The names of the open elements as written (prefix and all), one
    /// after the other, and where each lies. A closed element's name stays
    /// past the last one until the next element opens, so that `name` can
    /// point at it: no name is copied to be read.
    path: String,
    open: Vec<Opened>,
    /// Where the local name of the element that opened or closed last lies in `path`.
    name: Range<usize>,
    /// The text of the open element so far, and of the element that closed last.
    text: String,
    closed_text: String,
    /// The attributes of the element that opened last: their names as
    /// written one after the other in `attribute_names` (only ever compared
    /// with names, never read as text), their values in `attribute_values`.
    attributes: Vec<Attribute>,
    attribute_names: Vec<u8>,
    attribute_values: String,
    /// An empty element (`<a/>`) opens and closes at once.
    pending_close: bool,
    /// The element the document must start with, and whether it did.
    root: &'static str,
    seen_root: bool,
}

impl<R: Read> XmlWalk<R> {
    /// A walk over a document whose root element must be `root`; any other
    /// root, or no element at all, is an error.
    pub fn new(source: R, root: &'static str) -> Self {
        let held = Held {
            path: String::new(),
            open: Vec::new(),
            name: 0..0,
            text: String::new(),
            closed_text: String::new(),
            attributes: Vec::new(),
            attribute_names: Vec::new(),
            attribute_values: String::new(),
            pending_close: false,
            root,
            seen_root: false,
        };
        Self { window: Window::new(source), tag: tag::Layout::default(), held }
    }

    /// Where the walk is in the document: just past the last step.
    pub fn position(&self) -> Location {
        Location::Byte(self.window.position())
    }

    /// The element that opened or closed at the last step.
    pub fn name(&self) -> &str {
        &self.held.path[self.held.name.clone()]
    }

    /// The text of the element that closed at the last step, trimmed.
    pub fn text(&self) -> &str {
        values::trim(&self.held.closed_text)
    }

    /// The first attribute named `key` (its local name) of the element that opened at the last step.
    pub fn attribute(&self, key: &str) -> Option<&str> {
        let held = &self.held;
        let named = |a: &&Attribute| &held.attribute_names[a.local..a.name.end] == key.as_bytes();
        held.attributes.iter().find(named).map(|a| &held.attribute_values[a.value.clone()])
    }

    /// The innermost open element: the one that opened at the last step,
    /// or, at a close, the element around the one that closed.
    pub fn parent(&self) -> Option<&str> {
        self.held.open.last().map(|name| &self.held.path[name.local..name.end])
    }

    /// Whether `name` is one of the open elements.
    pub fn within(&self, name: &str) -> bool {
        self.held.open.iter().any(|o| &self.held.path[o.local..o.end] == name)
    }

    pub fn next(&mut self) -> Result<Step, TrackError> {
        if std::mem::take(&mut self.held.pending_close) {
            self.held.pop_path();
            self.held.closed_text.clear();
            return Ok(Step::Close);
        }
        loop {
            let at = self.window.position();
            let Some((piece, len)) = self.next_piece(at)? else { return self.held.end(at) };
            let bytes = &self.window.unread()[..len];
            let step = match piece {
                Piece::Text => self.held.add_text(bytes, at, text::add_text).map(|()| None),
                Piece::CData => self.held.add_text(&bytes[9..len - 3], at, text::add_cdata).map(|()| None),
                Piece::StartTag => self.held.open(bytes, &self.tag, at).map(|()| Some(Step::Open)),
                Piece::EndTag => self.held.close(&bytes[2..len - 1], at).map(|()| Some(Step::Close)),
                Piece::Skipped => Ok(None),
            }?;
            self.window.consume(len);
            if let Some(step) = step {
                return Ok(step);
            }
        }
    }

    /// The piece the unread bytes begin with, read on from the source
    /// until the window holds it whole, but never past [`MAX_PIECE`];
    /// `None` at the end of the document.
    fn next_piece(&mut self, at: u64) -> Result<Option<(Piece, usize)>, TrackError> {
        loop {
            let unread = self.window.unread();
            match markup::find(unread, &mut self.tag) {
                Ok(Some(found)) => return Ok(Some(found)),
                Ok(None) => {}
                Err(Broken::Markup(detail)) => return Err(TrackError::malformed(Location::Byte(at), detail)),
                Err(Broken::TooManyAttributes) => {
                    let detail = format!("an element has more than {MAX_ATTRIBUTES} attributes");
                    return Err(TrackError::BeyondLimits { at: Location::Byte(at), detail });
                }
            }
            if unread.len() == MAX_PIECE {
                return Err(piece_too_long(Location::Byte(at)));
            }
            if !self.window.more()? {
                let unread = self.window.unread();
                if unread.first() == Some(&b'<') {
                    return Err(TrackError::Truncated { at: Location::Byte(at) });
                }
                // Text after the last markup: nothing an element holds.
                let len = unread.len();
                self.window.consume(len);
                return Ok(None);
            }
        }
    }
}

impl Held {
    /// Where the innermost open element's name, as written, lies in `path`, and the element.
    fn innermost(&self) -> Option<(Range<usize>, Opened)> {
        let (&innermost, outer) = self.open.split_last()?;
        Some((outer.last().map_or(0, |o| o.end)..innermost.end, innermost))
    }

    /// The innermost element leaves the path; its name stays in `path` (see there).
    fn pop_path(&mut self) {
        self.open.pop();
    }

    /// An element opens: its name and attributes are checked and kept, and
    /// it goes on the path. `piece` is the start tag, laid out in `tag`.
    fn open(&mut self, piece: &[u8], tag: &tag::Layout, at: u64) -> Result<(), TrackError> {
        let at = Location::Byte(at);
        if self.open.len() >= MAX_DEPTH {
            let detail = format!("the file nests elements deeper than {MAX_DEPTH} levels");
            return Err(TrackError::BeyondLimits { at, detail });
        }
        let start = self.open.last().map_or(0, |o| o.end);
        self.path.truncate(start);
        push_name(&piece[tag.name.clone()], &at, &mut self.path)?;
        let end = self.path.len();
        let opened = Opened { local: end - local(&self.path.as_bytes()[start..]).len(), end };
        self.name = opened.local..end;
        if !self.seen_root {
            let name = &self.path[self.name.clone()];
            if name != self.root {
                let detail = format!("the root element is <{name}>, not <{}>", self.root);
                return Err(TrackError::malformed(Location::File, detail));
            }
            self.seen_root = true;
        }
        self.open.push(opened);
        self.keep_attributes(piece, &tag.attributes, at)?;
        self.text.clear();
        self.pending_close = tag.empty;
        Ok(())
    }

    /// An element's attributes, checked (no name twice) and kept with their references resolved.
    fn keep_attributes(
        &mut self,
        piece: &[u8],
        attributes: &[(Range<usize>, Range<usize>)],
        at: Location,
    ) -> Result<(), TrackError> {
        let (kept, names, values) = (&mut self.attributes, &mut self.attribute_names, &mut self.attribute_values);
        kept.clear();
        names.clear();
        values.clear();
        for (key, value) in attributes {
            let name = &piece[key.clone()];
            within_name_limit(name, "an attribute", &at)?;
            if kept.iter().any(|k| &names[k.name.clone()] == name) {
                let detail = format!("an element has the attribute `{}` twice", String::from_utf8_lossy(name));
                return Err(TrackError::malformed(at, detail));
            }
            let value = text::attribute_value(&piece[value.clone()])
                .map_err(|detail| TrackError::malformed(at.clone(), detail))?;
            let (name_start, value_start) = (names.len(), values.len());
            names.extend_from_slice(name);
            values.push_str(&value);
            let local = names.len() - local(name).len();
            kept.push(Attribute { name: name_start..names.len(), local, value: value_start..values.len() });
        }
        Ok(())
    }

    /// The innermost element closes, with the text it held; `inner` is
    /// what lies between `</` and `>`, and must name it.
    fn close(&mut self, inner: &[u8], at: u64) -> Result<(), TrackError> {
        let closing = tag::end_tag(inner);
        let Some((written, innermost)) = self.innermost() else {
            let detail = format!("</{}> closes no element", String::from_utf8_lossy(closing));
            return Err(TrackError::malformed(Location::Byte(at), detail));
        };
        let open = &self.path[written];
        if open.as_bytes() != closing {
            let detail = format!("</{}> closes <{open}>", String::from_utf8_lossy(closing));
            return Err(TrackError::malformed(Location::Byte(at), detail));
        }
        self.name = innermost.local..innermost.end;
        self.pop_path();
        std::mem::swap(&mut self.text, &mut self.closed_text);
        self.text.clear();
        Ok(())
    }

    /// Adds to the text of the open element; the text of one element is
    /// bounded as one piece is, however many pieces it comes in.
    /// (References make text shorter, never longer, so its length as
    /// written bounds it before it is added.)
    fn add_text(&mut self, raw: &[u8], at: u64, decode: text::Decode) -> Result<(), TrackError> {
        // Space before the first text is trimmed away in the end: the
        // space between elements costs nothing.
        if self.text.is_empty() && raw.iter().all(|&b| markup::is_space(b)) {
            return Ok(());
        }
        if self.text.len() + raw.len() > MAX_PIECE {
            return Err(piece_too_long(Location::Byte(at)));
        }
        decode(raw, &mut self.text).map_err(|detail| TrackError::malformed(Location::Byte(at), detail))
    }

    /// The document has ended: after its root element closed, or cut short.
    fn end(&self, at: u64) -> Result<Step, TrackError> {
        if !self.seen_root {
            return Err(TrackError::UnknownFormat);
        }
        if !self.open.is_empty() {
            return Err(TrackError::Truncated { at: Location::Byte(at) });
        }
        Ok(Step::End)
    }
}

/// Refuses a name longer than any real one.
fn within_name_limit(name: &[u8], what: &str, at: &Location) -> Result<(), TrackError> {
    if name.len() > MAX_NAME {
        let detail = format!("{what} has a name longer than {MAX_NAME} bytes");
        return Err(TrackError::BeyondLimits { at: at.clone(), detail });
    }
    Ok(())
}

/// Writes an element's name as written (its prefix too) into `into`.
fn push_name(name: &[u8], at: &Location, into: &mut String) -> Result<(), TrackError> {
    within_name_limit(name, "an element", at)?;
    match std::str::from_utf8(name) {
        Ok(name) => into.push_str(name),
        Err(_) => into.push_str(&String::from_utf8_lossy(name)),
    }
    Ok(())
}

fn piece_too_long(at: Location) -> TrackError {
    let detail = format!("one tag, or the text of one element, is longer than {} KiB", MAX_PIECE / 1024);
    TrackError::BeyondLimits { at, detail }
}
