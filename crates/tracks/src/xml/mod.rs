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

/// What the walk holds between steps.
struct Held {
    /// The names of the open elements as written (prefix and all), one
    /// after the other, and where each ends.
    path: String,
    path_ends: Vec<usize>,
    /// The local name of the element that opened or closed last.
    name: String,
    /// The text of the open element so far, and of the element that closed last.
    text: String,
    closed_text: String,
    /// The attributes of the element that opened last: names as written
    /// and values one after the other in `attribute_text`.
    attributes: Vec<(Range<usize>, Range<usize>)>,
    attribute_text: String,
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
        Self { window: Window::new(source), tag: tag::Layout::default(), held }
    }

    /// Where the walk is in the document: just past the last step.
    pub fn position(&self) -> Location {
        Location::Byte(self.window.position())
    }

    /// The element that opened or closed at the last step.
    pub fn name(&self) -> &str {
        &self.held.name
    }

    /// The text of the element that closed at the last step, trimmed.
    pub fn text(&self) -> &str {
        values::trim(&self.held.closed_text)
    }

    /// The first attribute named `key` (its local name) of the element that opened at the last step.
    pub fn attribute(&self, key: &str) -> Option<&str> {
        let text = &self.held.attribute_text;
        self.held.attributes.iter().find(|(k, _)| local(&text[k.clone()]) == key).map(|(_, v)| &text[v.clone()])
    }

    /// The innermost open element: the one that opened at the last step,
    /// or, at a close, the element around the one that closed.
    pub fn parent(&self) -> Option<&str> {
        self.held.path_names().next_back().map(local)
    }

    /// Whether `name` is one of the open elements.
    pub fn within(&self, name: &str) -> bool {
        self.held.path_names().any(|p| local(p) == name)
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
    fn path_names(&self) -> impl DoubleEndedIterator<Item = &str> {
        let ends = &self.path_ends;
        ends.iter().enumerate().map(|(i, &end)| &self.path[if i == 0 { 0 } else { ends[i - 1] }..end])
    }

    /// Where the innermost open element's name starts in `path`.
    fn innermost_start(&self) -> Option<usize> {
        let depth = self.path_ends.len();
        (depth > 0).then(|| if depth == 1 { 0 } else { self.path_ends[depth - 2] })
    }

    fn pop_path(&mut self) {
        self.path_ends.pop();
        self.path.truncate(self.path_ends.last().copied().unwrap_or(0));
    }

    /// An element opens: its name and attributes are checked and kept, and
    /// it goes on the path. `piece` is the start tag, laid out in `tag`.
    fn open(&mut self, piece: &[u8], tag: &tag::Layout, at: u64) -> Result<(), TrackError> {
        let at = Location::Byte(at);
        if self.path_ends.len() >= MAX_DEPTH {
            let detail = format!("the file nests elements deeper than {MAX_DEPTH} levels");
            return Err(TrackError::BeyondLimits { at, detail });
        }
        let start = self.path.len();
        push_name(&piece[tag.name.clone()], "an element", &at, &mut self.path)?;
        self.name.clear();
        self.name.push_str(local(&self.path[start..]));
        if !self.seen_root {
            if self.name != self.root {
                let detail = format!("the root element is <{}>, not <{}>", self.name, self.root);
                return Err(TrackError::malformed(Location::File, detail));
            }
            self.seen_root = true;
        }
        self.path_ends.push(self.path.len());
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
        let (ranges, text) = (&mut self.attributes, &mut self.attribute_text);
        ranges.clear();
        text.clear();
        for (key, value) in attributes {
            let key_start = text.len();
            push_name(&piece[key.clone()], "an attribute", &at, text)?;
            let value_start = text.len();
            if ranges.iter().any(|(k, _)| text[k.clone()] == text[key_start..value_start]) {
                let detail = format!("an element has the attribute `{}` twice", &text[key_start..value_start]);
                return Err(TrackError::malformed(at, detail));
            }
            let value = text::attribute_value(&piece[value.clone()])
                .map_err(|detail| TrackError::malformed(at.clone(), detail))?;
            text.push_str(&value);
            ranges.push((key_start..value_start, value_start..text.len()));
        }
        Ok(())
    }

    /// The innermost element closes, with the text it held; `inner` is
    /// what lies between `</` and `>`, and must name it.
    fn close(&mut self, inner: &[u8], at: u64) -> Result<(), TrackError> {
        let closing = tag::end_tag(inner);
        let Some(start) = self.innermost_start() else {
            let detail = format!("</{}> closes no element", String::from_utf8_lossy(closing));
            return Err(TrackError::malformed(Location::Byte(at), detail));
        };
        let open = &self.path[start..];
        if open.as_bytes() != closing {
            let detail = format!("</{}> closes <{open}>", String::from_utf8_lossy(closing));
            return Err(TrackError::malformed(Location::Byte(at), detail));
        }
        self.name.clear();
        self.name.push_str(local(open));
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
        if !self.path_ends.is_empty() {
            return Err(TrackError::Truncated { at: Location::Byte(at) });
        }
        Ok(Step::End)
    }
}

/// Writes a name as written (its prefix too) into `into`, refused when it
/// is longer than any real one.
fn push_name(name: &[u8], what: &str, at: &Location, into: &mut String) -> Result<(), TrackError> {
    if name.len() > MAX_NAME {
        let detail = format!("{what} has a name longer than {MAX_NAME} bytes");
        return Err(TrackError::BeyondLimits { at: at.clone(), detail });
    }
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
