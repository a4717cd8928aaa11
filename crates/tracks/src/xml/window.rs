//! The part of a document being read: a window over the source that holds
//! the piece being read whole (a tag, a run of text, a comment), so it can
//! be taken apart where it lies, and never more of it than one piece may be.

use std::io::{ErrorKind, Read};

use super::MAX_PIECE;
use crate::error::TrackError;

/// The most asked of the source at once: the window holds one piece and
/// this much more.
const READ: usize = 16 * 1024;
/// A read that ends a piece short is followed by more until this much has
/// come: a source that gives a few bytes at a time must not make a long
/// piece be searched again for every few bytes.
const READ_AT_LEAST: usize = 4 * 1024;

pub(super) struct Window<R> {
    source: R,
    bytes: Vec<u8>,
    /// The unread bytes are `bytes[start..end]`.
    start: usize,
    end: usize,
    /// Where `bytes[0]` lies in the document.
    base: u64,
    /// The source has ended (or failed: it is not asked again).
    exhausted: bool,
}

impl<R: Read> Window<R> {
    pub fn new(source: R) -> Self {
        Self { source, bytes: vec![0; MAX_PIECE + READ], start: 0, end: 0, base: 0, exhausted: false }
    }

    /// Where the first unread byte lies in the document.
    pub fn position(&self) -> u64 {
        self.base + self.start as u64
    }

    /// The unread bytes the window holds, up to one piece's length.
    #[inline]
    pub fn unread(&self) -> &[u8] {
        &self.bytes[self.start..self.end.min(self.start + MAX_PIECE)]
    }

    #[inline]
    pub fn consume(&mut self, n: usize) {
        self.start += n;
    }

    /// Reads more of the source after the unread bytes: `false` once the
    /// source has ended. An error from the source ends the reading for good.
    pub fn more(&mut self) -> Result<bool, TrackError> {
        if self.exhausted {
            return Ok(false);
        }
        if self.start > 0 {
            self.bytes.copy_within(self.start..self.end, 0);
            self.base += self.start as u64;
            self.end -= self.start;
            self.start = 0;
        }
        let wanted = (self.end + READ_AT_LEAST).min(self.bytes.len());
        let before = self.end;
        while self.end < wanted {
            let room = self.end + READ.min(self.bytes.len() - self.end);
            match self.source.read(&mut self.bytes[self.end..room]) {
                Ok(0) => {
                    self.exhausted = true;
                    break;
                }
                Ok(n) => self.end += n,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => {
                    self.exhausted = true;
                    return Err(TrackError::Io(e.to_string()));
                }
            }
        }
        Ok(self.end > before)
    }
}
