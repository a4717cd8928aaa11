//! The pieces a document is made of, told apart and taken apart from their
//! bytes where they lie: text, tags, CDATA sections, and what the walk
//! passes over (comments, processing instructions, the document type).

use std::borrow::Cow;

use memchr::{memchr, memchr3, memmem};

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
/// before the piece does (text ends only where markup begins).
pub(super) fn find(bytes: &[u8]) -> Result<Option<(Piece, usize)>, &'static str> {
    let Some((&first, rest)) = bytes.split_first() else { return Ok(None) };
    if first != b'<' {
        return Ok(memchr(b'<', bytes).map(|end| (Piece::Text, end)));
    }
    let found = match rest.first() {
        None => None,
        Some(b'/') => memchr(b'>', rest).map(|end| (Piece::EndTag, end)),
        Some(b'?') => closed_by(rest, 1, b"?>").map(|end| (Piece::Skipped, end)),
        Some(b'!') => return declaration(rest).map(|found| found.map(|(piece, end)| (piece, end + 2))),
        Some(_) => tag_end(rest).map(|end| (Piece::StartTag, end)),
    };
    // `end` is where the closing `>` lies in `rest`.
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
    memmem::find(bytes.get(from..)?, closing).map(|at| from + at + closing.len() - 1)
}

/// The `>` that ends a tag: the first outside a quoted attribute value.
fn tag_end(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    loop {
        let found = at + memchr3(b'>', b'"', b'\'', &bytes[at..])?;
        if bytes[found] == b'>' {
            return Some(found);
        }
        at = found + 1 + memchr(bytes[found], &bytes[found + 1..])? + 1;
    }
}

/// The `>` that ends the document type, past its internal subset in `[…]`.
fn doctype_end(bytes: &[u8]) -> Option<usize> {
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

fn trim_start(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().take_while(|&&b| is_space(b)).count();
    &bytes[skip..]
}

fn trim_end(bytes: &[u8]) -> &[u8] {
    let keep = bytes.len() - bytes.iter().rev().take_while(|&&b| is_space(b)).count();
    &bytes[..keep]
}

/// A start tag, taken apart: `inner` is what lies between `<` and `>`.
pub(super) struct StartTag<'a> {
    pub name: &'a [u8],
    pub attributes: Attributes<'a>,
    /// `<name/>`: it opens and closes at once.
    pub empty: bool,
}

pub(super) fn start_tag(inner: &[u8]) -> StartTag<'_> {
    let (inner, empty) = match inner {
        [body @ .., b'/'] => (body, true),
        _ => (inner, false),
    };
    let name_len = inner.iter().position(|&b| is_space(b)).unwrap_or(inner.len());
    StartTag { name: &inner[..name_len], attributes: Attributes { rest: &inner[name_len..] }, empty }
}

/// The name an end tag closes: `inner` is what lies between `</` and `>`.
pub(super) fn end_tag(inner: &[u8]) -> &[u8] {
    trim_end(inner)
}

/// A start tag's attributes, each `name="value"` (or in single quotes),
/// the value as written.
pub(super) struct Attributes<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Attributes<'a> {
    type Item = Result<(&'a [u8], &'a [u8]), &'static str>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = trim_start(self.rest);
        if rest.is_empty() {
            return None;
        }
        let attribute = attribute(rest);
        self.rest = match attribute {
            Ok((_, _, after)) => after,
            Err(_) => &[],
        };
        Some(attribute.map(|(key, value, _)| (key, value)))
    }
}

/// An attribute's name and value as written, and what follows them.
type AttributeAndRest<'a> = (&'a [u8], &'a [u8], &'a [u8]);

/// The attribute `bytes` begin with, and what follows it.
fn attribute(bytes: &[u8]) -> Result<AttributeAndRest<'_>, &'static str> {
    let equals = memchr(b'=', bytes).ok_or("an attribute has no value")?;
    let key = trim_end(&bytes[..equals]);
    if key.is_empty() || key.iter().any(|&b| is_space(b) || b == b'"' || b == b'\'') {
        return Err("an attribute has no name, or no value");
    }
    let after = trim_start(&bytes[equals + 1..]);
    let quote = match after.first() {
        Some(&q @ (b'"' | b'\'')) => q,
        _ => return Err("an attribute's value is not in quotes"),
    };
    let len = memchr(quote, &after[1..]).ok_or("an attribute's value has no closing quote")?;
    let rest = &after[len + 2..];
    if rest.first().is_some_and(|&b| !is_space(b)) {
        return Err("two attributes have no space between them");
    }
    Ok((key, &after[1..len + 1], rest))
}

/// The local name of a qualified one: what follows the prefix and its `:`.
pub(super) fn local(name: &str) -> &str {
    name.split_once(':').map_or(name, |(_, local)| local)
}

/// How a run of text or a CDATA section is turned into what it means.
pub(super) type Decode = fn(&[u8], &mut String) -> Result<(), &'static str>;

/// Text as the document means it, appended to `into`: references resolved,
/// line ends made `\n` as XML 1.1 has them (`\r\n`, `\r`, NEL, LS).
/// A reference to an entity the document would have to declare stands for
/// nothing, as it did with every earlier reader.
pub(super) fn add_text(raw: &[u8], into: &mut String) -> Result<(), &'static str> {
    let mut rest = raw;
    while let Some(amp) = memchr(b'&', rest) {
        add_run(&rest[..amp], into)?;
        let (name, after) = reference(&rest[amp + 1..])?;
        if let Some(c) = resolve(name) {
            into.push(c);
        }
        rest = after;
    }
    add_run(rest, into)
}

/// An attribute's value as the document means it: references resolved,
/// any to an entity the document would declare refused.
pub(super) fn attribute_value(raw: &[u8]) -> Result<Cow<'_, str>, &'static str> {
    if memchr(b'&', raw).is_none() {
        return std::str::from_utf8(raw).map(Cow::Borrowed).map_err(|_| NOT_UTF8);
    }
    let mut value = String::new();
    let mut rest = raw;
    while let Some(amp) = memchr(b'&', rest) {
        value.push_str(std::str::from_utf8(&rest[..amp]).map_err(|_| NOT_UTF8)?);
        let (name, after) = reference(&rest[amp + 1..])?;
        value.push(resolve(name).ok_or("an attribute's value refers to an entity the file does not define")?);
        rest = after;
    }
    value.push_str(std::str::from_utf8(rest).map_err(|_| NOT_UTF8)?);
    Ok(Cow::Owned(value))
}

const NOT_UTF8: &str = "the file has text that is not UTF-8";

/// The name of the reference `bytes` begin with (just after its `&`), and what follows its `;`.
fn reference(bytes: &[u8]) -> Result<(&[u8], &[u8]), &'static str> {
    match memchr::memchr2(b';', b'&', bytes) {
        Some(end) if bytes[end] == b';' => Ok((&bytes[..end], &bytes[end + 1..])),
        _ => Err("a `&` begins no reference (write `&amp;` for the character)"),
    }
}

/// The character a reference (`amp`, `#233`, `#xE9`) stands for; none for
/// an entity the document would have to declare, or a number no character has.
fn resolve(name: &[u8]) -> Option<char> {
    let number = |digits: &[u8], radix| {
        let digits = std::str::from_utf8(digits).ok().filter(|d| !d.starts_with(['+', '-']))?;
        u32::from_str_radix(digits, radix).ok().filter(|&code| code != 0).and_then(char::from_u32)
    };
    match name {
        [b'#', b'x', hex @ ..] => number(hex, 16),
        [b'#', decimal @ ..] => number(decimal, 10),
        b"amp" => Some('&'),
        b"lt" => Some('<'),
        b"gt" => Some('>'),
        b"quot" => Some('"'),
        b"apos" => Some('\''),
        _ => None,
    }
}

/// A CDATA section's content: as it is, but for its line ends.
pub(super) fn add_cdata(raw: &[u8], into: &mut String) -> Result<(), &'static str> {
    add_run(raw, into)
}

/// A run of text without references, its line ends made `\n`.
fn add_run(run: &[u8], into: &mut String) -> Result<(), &'static str> {
    let text = std::str::from_utf8(run).map_err(|_| NOT_UTF8)?;
    // Only `\r`, NEL (C2 85) and LS (E2 80 A8) need changing, and their first bytes are rare.
    if memchr3(b'\r', 0xC2, 0xE2, run).is_none() {
        into.push_str(text);
        return Ok(());
    }
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if(|&next| next == '\n' || next == '\u{85}');
                into.push('\n');
            }
            '\u{85}' | '\u{2028}' => into.push('\n'),
            c => into.push(c),
        }
    }
    Ok(())
}
