//! Text as the document means it: references resolved, line ends made
//! `\n`, checked to be UTF-8.

use std::borrow::Cow;

use super::markup::position_of;

/// How a run of text or a CDATA section is turned into what it means.
pub(super) type Decode = fn(&[u8], &mut String) -> Result<(), &'static str>;

/// Text as the document means it, appended to `into`: references resolved,
/// line ends made `\n` as XML 1.1 has them (`\r\n`, `\r`, NEL, LS).
/// A reference to an entity the document would have to declare stands for
/// nothing: it is left out of the text.
pub(super) fn add_text(raw: &[u8], into: &mut String) -> Result<(), &'static str> {
    // Nearly every text in a track is a number or a time: one look tells
    // it holds nothing to resolve or change.
    if !raw.iter().any(|&b| b == b'&' || changes_line_end(b)) {
        return add_utf8(raw, into);
    }
    resolve_references(raw, into, add_run, None)
}

/// An attribute's value as the document means it: references resolved,
/// any to an entity the document would declare refused.
pub(super) fn attribute_value(raw: &[u8]) -> Result<Cow<'_, str>, &'static str> {
    if position_of(b'&', raw).is_none() {
        return std::str::from_utf8(raw).map(Cow::Borrowed).map_err(|_| NOT_UTF8);
    }
    let mut value = String::new();
    let undeclared = "an attribute's value refers to an entity the file does not define";
    resolve_references(raw, &mut value, add_utf8, Some(undeclared))?;
    Ok(Cow::Owned(value))
}

/// `raw` with its references resolved, appended to `into`, the runs
/// between them through `add`. A reference to an undeclared entity is
/// refused with `undeclared`, or left out when there is none.
fn resolve_references(
    raw: &[u8],
    into: &mut String,
    add: Decode,
    undeclared: Option<&'static str>,
) -> Result<(), &'static str> {
    let mut rest = raw;
    while let Some(amp) = position_of(b'&', rest) {
        add(&rest[..amp], into)?;
        let (name, after) = reference(&rest[amp + 1..])?;
        match (resolve(name), undeclared) {
            (Some(c), _) => into.push(c),
            (None, Some(refusal)) => return Err(refusal),
            (None, None) => {}
        }
        rest = after;
    }
    add(rest, into)
}

/// A run as it is, checked to be UTF-8.
fn add_utf8(run: &[u8], into: &mut String) -> Result<(), &'static str> {
    into.push_str(std::str::from_utf8(run).map_err(|_| NOT_UTF8)?);
    Ok(())
}

const NOT_UTF8: &str = "the file has text that is not UTF-8";

/// The name of the reference `bytes` begin with (just after its `&`), and what follows its `;`.
fn reference(bytes: &[u8]) -> Result<(&[u8], &[u8]), &'static str> {
    match bytes.iter().position(|&b| b == b';' || b == b'&') {
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

/// Whether a byte may begin a line end that is made `\n`: only `\r`, NEL
/// (C2 85) and LS (E2 80 A8) are, and their first bytes are rare.
#[inline]
fn changes_line_end(b: u8) -> bool {
    matches!(b, b'\r' | 0xC2 | 0xE2)
}

/// A CDATA section's content: as it is, but for its line ends.
pub(super) fn add_cdata(raw: &[u8], into: &mut String) -> Result<(), &'static str> {
    add_run(raw, into)
}

/// A run of text without references, its line ends made `\n`.
fn add_run(run: &[u8], into: &mut String) -> Result<(), &'static str> {
    let text = std::str::from_utf8(run).map_err(|_| NOT_UTF8)?;
    if !run.iter().any(|&b| changes_line_end(b)) {
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
