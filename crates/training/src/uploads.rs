//! Receiving a file: streamed to the file store as it arrives, counted
//! against the limit, recognised by its first bytes, and kept in memory as
//! well when it is small enough to be read while the request waits.

use bytes::{Bytes, BytesMut};
use futures::{Stream, StreamExt};
use platform::blob::{BlobError, BlobStore};
use sha2::{Digest, Sha256};

use crate::error::{Result, TrainingError};

/// A file now on the file store.
pub struct Received {
    pub key: String,
    pub size: u64,
    /// The whole file, when it was no larger than the caller wanted in memory.
    pub bytes: Option<Bytes>,
    /// SHA-256 of the content, in hex: what makes two uploads the same file.
    pub sha256: String,
}

/// How much of the start of a file recognising it takes.
const HEAD: usize = 4096;

pub struct Limits {
    pub max_bytes: usize,
    pub setting: &'static str,
    pub what: &'static str,
    /// Keep the file in memory too when it is at most this large.
    pub keep_up_to: usize,
}

/// Streams `chunks` to `key` once `recognise` accepted the first bytes.
/// Nothing is stored when it refuses them or when the file is too large.
pub async fn receive<S, E>(
    blobs: &BlobStore,
    mut chunks: S,
    limits: Limits,
    recognise: impl FnOnce(&[u8]) -> Result<String>,
) -> Result<Received>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin + Send,
    E: std::fmt::Display,
{
    let mut head = BytesMut::new();
    while head.len() < HEAD {
        match chunks.next().await {
            Some(chunk) => head.extend_from_slice(&chunk.map_err(read_failed)?),
            None => break,
        }
    }
    if head.is_empty() {
        return Err(TrainingError::invalid("file", "the file is empty"));
    }
    let key = recognise(&head)?;
    let mut kept = (limits.keep_up_to > 0).then(BytesMut::new);
    let mut total = 0usize;
    let mut digest = Sha256::new();
    let rest = chunks.map(|chunk| chunk.map_err(|e| std::io::Error::other(e.to_string())));
    let counted = futures::stream::iter([Ok(head.freeze())]).chain(rest).map(|chunk| {
        let chunk = chunk?;
        total += chunk.len();
        if total > limits.max_bytes {
            return Err(std::io::Error::new(std::io::ErrorKind::FileTooLarge, "over the limit"));
        }
        digest.update(&chunk);
        if let Some(buffer) = kept.as_mut() {
            if buffer.len() + chunk.len() <= limits.keep_up_to {
                buffer.extend_from_slice(&chunk);
            } else {
                kept = None;
            }
        }
        Ok(chunk)
    });
    let size = match blobs.put_stream(&key, Box::pin(counted)).await {
        Ok(size) => size,
        Err(BlobError::Source(e)) if e.kind() == std::io::ErrorKind::FileTooLarge => {
            return Err(TrainingError::TooLarge { what: limits.what, limit: limits.max_bytes, setting: limits.setting })
        }
        Err(BlobError::Source(e)) => return Err(read_failed(e)),
        Err(e) => return Err(e.into()),
    };
    Ok(Received { key, size, bytes: kept.map(BytesMut::freeze), sha256: hex(&digest.finalize()) })
}

fn read_failed(e: impl std::fmt::Display) -> TrainingError {
    TrainingError::invalid("file", format!("the upload broke off before the file was complete: {e}"))
}

/// Bytes as lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
