//! Start and end tags, taken apart in the one pass that finds where a start
//! tag ends.

use std::ops::Range;

use super::markup::{is_space, position_of};
use super::MAX_ATTRIBUTES;

/// Where a start tag's parts lie in its piece.
#[derive(Default)]
pub(super) struct Layout {
    pub name: Range<usize>,
    /// Each attribute's name and value, as written.
    pub attributes: Vec<(Range<usize>, Range<usize>)>,
    /// `<name/>`: it opens and closes at once.
    pub empty: bool,
}

/// Why a start tag could not be laid out.
pub(super) enum Stop {
    /// The bytes end before the tag does.
    More,
    Bad(&'static str),
    /// More than [`MAX_ATTRIBUTES`]: the tag is not laid out further.
    TooManyAttributes,
}

/// Lays out the start tag `bytes` begin with (`bytes[0]` is its `<`) into
/// `layout`, and gives its length.
pub(super) fn lay_out(bytes: &[u8], layout: &mut Layout) -> Result<usize, Stop> {
    layout.attributes.clear();
    let mut at = 1 + until(&bytes[1..], |b| is_space(b) || b == b'>' || b == b'/')?;
    if at == 1 {
        return Err(Stop::Bad("a `<` begins no tag (write `&lt;` for the character)"));
    }
    layout.name = 1..at;
    loop {
        let spaced = skip_space(bytes, &mut at)?;
        match bytes[at] {
            b'>' => {
                layout.empty = false;
                return Ok(at + 1);
            }
            b'/' => {
                return match bytes.get(at + 1) {
                    None => Err(Stop::More),
                    Some(b'>') => {
                        layout.empty = true;
                        Ok(at + 2)
                    }
                    Some(_) => Err(Stop::Bad("a `/` inside a tag")),
                };
            }
            _ if !spaced => return Err(Stop::Bad("two attributes have no space between them")),
            _ if layout.attributes.len() == MAX_ATTRIBUTES => return Err(Stop::TooManyAttributes),
            _ => layout.attributes.push(attribute(bytes, &mut at)?),
        }
    }
}

/// The attribute at `at`, `name="value"` (or in single quotes, with space
/// around `=`); `at` moves past it.
fn attribute(bytes: &[u8], at: &mut usize) -> Result<(Range<usize>, Range<usize>), Stop> {
    let key_start = *at;
    *at += until(&bytes[*at..], |b| is_space(b) || matches!(b, b'=' | b'>' | b'/' | b'"' | b'\''))?;
    let key = key_start..*at;
    skip_space(bytes, at)?;
    if bytes[*at] != b'=' {
        return Err(Stop::Bad("an attribute has no value"));
    }
    *at += 1;
    skip_space(bytes, at)?;
    let quote = bytes[*at];
    if quote != b'"' && quote != b'\'' {
        return Err(Stop::Bad("an attribute's value is not in quotes"));
    }
    let value_start = *at + 1;
    let len = position_of(quote, &bytes[value_start..]).ok_or(Stop::More)?;
    *at = value_start + len + 1;
    Ok((key, value_start..value_start + len))
}

/// How many bytes come before the first that `stops`; `More` if none does.
#[inline]
fn until(bytes: &[u8], stops: impl Fn(u8) -> bool) -> Result<usize, Stop> {
    bytes.iter().position(|&b| stops(b)).ok_or(Stop::More)
}

/// Moves `at` past any space, to a byte there is: whether there was space.
#[inline]
fn skip_space(bytes: &[u8], at: &mut usize) -> Result<bool, Stop> {
    let start = *at;
    *at += until(&bytes[*at..], |b| !is_space(b))?;
    Ok(*at > start)
}

/// The name an end tag closes: `inner` is what lies between `</` and `>`.
pub(super) fn end_tag(inner: &[u8]) -> &[u8] {
    let keep = inner.len() - inner.iter().rev().take_while(|&&b| is_space(b)).count();
    &inner[..keep]
}

/// The local name of a qualified one, as written: what follows the prefix and its `:`.
#[inline]
pub(super) fn local(name: &[u8]) -> &[u8] {
    match position_of(b':', name) {
        Some(colon) => &name[colon + 1..],
        None => name,
    }
}
