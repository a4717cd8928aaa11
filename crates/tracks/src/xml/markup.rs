//! The pieces a document is made of, told apart and taken apart from their
//! bytes where they lie: text, tags, CDATA sections, and what the walk
//! passes over (comments, processing instructions, the document type).

use super::tag;

/// Where `byte` first lies in `bytes`. The pieces of a track are a few to
/// a few dozen bytes long: a plain loop finds a byte in them sooner than a
/// vectorised search gets going.
#[inline]
pub(super) fn position_of(byte: u8, bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == byte)
}

/// Why the unread bytes begin with no piece a document may have.
pub(super) enum Broken {
    Markup(&'static str),
    TooManyAttributes,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Piece {
    /// Text, up to the next `<`.
    Text,
    /// `<name …>` or `<name …/>`.
    StartTag,
    /// `</name>`.
    EndTag,
    /// `<![CDATA[…]]>`.
    CData,
    /// A comment, a processing instruction or the document type.
    Skipped,
}

/// The piece `bytes` begin with and its length; `None` when `bytes` end
/// before the piece does (text ends only where markup begins). A start
/// tag is laid out into `tag` on the way.
pub(super) fn find(bytes: &[u8], tag: &mut tag::Layout) -> Result<Option<(Piece, usize)>, Broken> {
    let Some((&first, rest)) = bytes.split_first() else { return Ok(None) };
    if first != b'<' {
        return Ok(position_of(b'<', bytes).map(|end| (Piece::Text, end)));
    }
    // `end` is where the closing `>` lies in `rest`.
    let found = match rest.first() {
        None => None,
        Some(b'/') => position_of(b'>', rest).map(|end| (Piece::EndTag, end)),
        Some(b'?') => closed_by(rest, 1, b"?>").map(|end| (Piece::Skipped, end)),
        Some(b'!') => declaration(rest).map_err(Broken::Markup)?,
        Some(_) => {
            return match tag::lay_out(bytes, tag) {
                Ok(len) => Ok(Some((Piece::StartTag, len))),
                Err(tag::Stop::More) => Ok(None),
                Err(tag::Stop::Bad(detail)) => Err(Broken::Markup(detail)),
                Err(tag::Stop::TooManyAttributes) => Err(Broken::TooManyAttributes),
            }
        }
    };
    Ok(found.map(|(piece, end)| (piece, end + 2)))
}

/// What follows `<!`: a comment, a CDATA section or the document type.
fn declaration(rest: &[u8]) -> Result<Option<(Piece, usize)>, &'static str> {
    for (opening, piece, closing) in [(&b"!--"[..], Piece::Skipped, &b"-->"[..]), (b"![CDATA[", Piece::CData, b"]]>")] {
        match opens_with(rest, opening, false) {
            None => return Ok(None),
            Some(true) => return Ok(closed_by(rest, opening.len(), closing).map(|end| (piece, end))),
            Some(false) => {}
        }
    }
    match opens_with(rest, b"!DOCTYPE", true) {
        None => Ok(None),
        Some(true) => Ok(doctype_end(rest).map(|end| (Piece::Skipped, end))),
        Some(false) => Err("`<!` begins neither a comment, a CDATA section nor the document type"),
    }
}

/// Whether `bytes` begin with `opening`; `None` while too few have come to tell.
fn opens_with(bytes: &[u8], opening: &[u8], ignore_case: bool) -> Option<bool> {
    let n = bytes.len().min(opening.len());
    let same = if ignore_case { bytes[..n].eq_ignore_ascii_case(&opening[..n]) } else { bytes[..n] == opening[..n] };
    if same && n < opening.len() {
        return None;
    }
    Some(same)
}

/// Where the last byte of `closing` lies, searching from `from`.
fn closed_by(bytes: &[u8], from: usize, closing: &[u8]) -> Option<usize> {
    let at = bytes.get(from..)?.windows(closing.len()).position(|window| window == closing)?;
    Some(from + at + closing.len() - 1)
}

/// The `>` that ends the document type, past its internal subset in `[…]`
/// and anything quoted.
pub(crate) fn doctype_end(bytes: &[u8]) -> Option<usize> {
    let (mut depth, mut quote) = (0usize, None);
    for (at, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'[') => depth += 1,
            (None, b']') => depth = depth.saturating_sub(1),
            (None, b'>') if depth == 0 => return Some(at),
            _ => {}
        }
    }
    None
}

pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}
