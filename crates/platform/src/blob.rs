//! Files (tracks, photos, exports): a local folder by default, any
//! S3-compatible store in production. Reads and writes are streams of chunks,
//! so a large file never sits whole in memory.

use std::sync::Arc;

use bytes::Bytes;
use futures::stream::{BoxStream, Stream, StreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as Key;
use object_store::{ObjectStore, WriteMultipart};

use crate::config::Config;

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("no file stored under `{0}`")]
    NotFound(String),
    #[error("`{0}` is not a valid file key")]
    BadKey(String),
    #[error("reading the upload failed: {0}")]
    Source(#[from] std::io::Error),
    #[error("writing a copy of a stored file failed: {0}")]
    Copy(std::io::Error),
    #[error("opening a stored file failed: {0}")]
    Open(std::io::Error),
    #[error("the file store failed: {0}")]
    Store(object_store::Error),
}

impl From<object_store::Error> for BlobError {
    fn from(e: object_store::Error) -> Self {
        match e {
            object_store::Error::NotFound { path, .. } => BlobError::NotFound(path),
            e => BlobError::Store(e),
        }
    }
}

#[derive(Clone)]
pub struct BlobStore {
    inner: Arc<dyn ObjectStore>,
    description: String,
    /// The folder, when files are local.
    local: Option<LocalFolder>,
}

/// A local folder of files: its path, and its store to find a key's file.
#[derive(Clone)]
struct LocalFolder {
    root: std::path::PathBuf,
    store: Arc<LocalFileSystem>,
}

impl std::fmt::Debug for BlobStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.description)
    }
}

impl BlobStore {
    pub fn from_config(config: &Config) -> Result<Self, BlobError> {
        match &config.s3_endpoint {
            Some(endpoint) => {
                let bucket = config.s3_bucket.as_deref().unwrap_or_default();
                let mut builder = AmazonS3Builder::new()
                    .with_endpoint(endpoint)
                    .with_bucket_name(bucket)
                    .with_region(&config.s3_region)
                    .with_virtual_hosted_style_request(!config.s3_path_style)
                    .with_allow_http(endpoint.starts_with("http://"));
                if let Some(key) = &config.s3_access_key_id {
                    builder = builder.with_access_key_id(key);
                }
                if let Some(secret) = &config.s3_secret_access_key {
                    builder = builder.with_secret_access_key(secret);
                }
                Ok(Self {
                    inner: Arc::new(builder.build()?),
                    description: format!("s3 {endpoint}/{bucket}"),
                    local: None,
                })
            }
            None => Self::local(&config.files_dir()),
        }
    }

    pub fn local(dir: &std::path::Path) -> Result<Self, BlobError> {
        std::fs::create_dir_all(dir)?;
        let store = Arc::new(LocalFileSystem::new_with_prefix(dir)?);
        Ok(Self {
            inner: store.clone(),
            description: format!("folder {}", dir.display()),
            local: Some(LocalFolder { root: dir.to_path_buf(), store }),
        })
    }

    pub fn describe(&self) -> &str {
        &self.description
    }

    /// Stores a stream of chunks under `key`, uploading in parts as they fill;
    /// returns the number of bytes stored. A failed upload leaves nothing behind.
    pub async fn put_stream<S, E>(&self, key: &str, mut chunks: S) -> Result<u64, BlobError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin + Send,
        E: Into<std::io::Error>,
    {
        let upload = self.inner.put_multipart(&parse_key(key)?).await?;
        let mut writer = WriteMultipart::new(upload);
        let mut size = 0u64;
        while let Some(chunk) = chunks.next().await {
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(e) => {
                    let _ = writer.abort().await;
                    return Err(BlobError::Source(e.into()));
                }
            };
            // Bounds the parts in flight, and so the memory one upload takes.
            writer.wait_for_capacity(4).await?;
            size += chunk.len() as u64;
            writer.put(chunk);
        }
        writer.finish().await?;
        Ok(size)
    }

    pub async fn put_bytes(&self, key: &str, bytes: Bytes) -> Result<(), BlobError> {
        self.inner.put(&parse_key(key)?, bytes.into()).await?;
        Ok(())
    }

    /// The file under `key` as a stream of chunks.
    pub async fn get_stream(&self, key: &str) -> Result<BoxStream<'static, Result<Bytes, BlobError>>, BlobError> {
        let found = self.inner.get(&parse_key(key)?).await?;
        Ok(found.into_stream().map(|chunk| chunk.map_err(BlobError::from)).boxed())
    }

    /// Writes the file under `key` into `out` chunk by chunk (a scratch
    /// file, an archive entry, a buffer); returns the number of bytes.
    pub async fn copy_to(&self, key: &str, out: &mut impl std::io::Write) -> Result<u64, BlobError> {
        let mut chunks = self.get_stream(key).await?;
        let mut size = 0;
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk?;
            size += chunk.len() as u64;
            out.write_all(&chunk).map_err(BlobError::Copy)?;
        }
        Ok(size)
    }

    /// The file under `key`, open for reading (and seeking) from its start:
    /// the stored file itself when files are local, else a scratch copy.
    /// object_store reads a local file in small chunks, each a hop to a
    /// blocking thread: copying 10 MB that way took 60 ms, a third of an
    /// upload's analysis. A file deleted meanwhile stays readable through
    /// the open handle.
    pub async fn open(&self, key: &str) -> Result<std::fs::File, BlobError> {
        let Some(local) = &self.local else {
            let mut scratch = tempfile::tempfile().map_err(BlobError::Copy)?;
            self.copy_to(key, &mut scratch).await?;
            std::io::Seek::rewind(&mut scratch).map_err(BlobError::Copy)?;
            return Ok(scratch);
        };
        let path = local.store.path_to_filesystem(&parse_key(key)?)?;
        let opened = tokio::task::spawn_blocking(move || std::fs::File::open(path))
            .await
            .map_err(|e| BlobError::Open(std::io::Error::other(e)))?;
        opened.map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => BlobError::NotFound(key.into()),
            _ => BlobError::Open(e),
        })
    }

    pub async fn size(&self, key: &str) -> Result<u64, BlobError> {
        Ok(self.inner.head(&parse_key(key)?).await?.size)
    }

    /// Deletes the file; deleting a file that is not there is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), BlobError> {
        match self.inner.delete(&parse_key(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes every file under the folder `prefix` (a person's files when
    /// their account goes); returns how many went.
    pub async fn delete_prefix(&self, prefix: &str) -> Result<u64, BlobError> {
        let keys = self.list(prefix).await?;
        for key in &keys {
            self.delete(key).await?;
        }
        Ok(keys.len() as u64)
    }

    /// The keys of the files under the folder `prefix`.
    pub async fn list(&self, prefix: &str) -> Result<Vec<String>, BlobError> {
        self.list_written_before(prefix, i64::MAX).await
    }

    /// The keys of the files under `prefix` last written before `before_ms`
    /// (epoch milliseconds): what an orphan sweep may consider.
    pub async fn list_written_before(&self, prefix: &str, before_ms: i64) -> Result<Vec<String>, BlobError> {
        let prefix = parse_key(prefix)?;
        let metas: Vec<_> = self.inner.list(Some(&prefix)).collect().await;
        let mut keys = Vec::with_capacity(metas.len());
        for meta in metas {
            match meta {
                Ok(meta) if meta.last_modified.timestamp_millis() < before_ms => keys.push(meta.location.to_string()),
                Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        keys.sort();
        Ok(keys)
    }

    /// Deletes the partial files (`name#n`) that a write in progress leaves
    /// in a local folder when its process dies, once older than `before_ms`.
    /// On S3 the same leftovers are incomplete multipart uploads, which the
    /// bucket's lifecycle rule removes (see the README). Returns how many went.
    pub async fn sweep_partial_writes(&self, before_ms: i64) -> Result<u64, BlobError> {
        let Some(root) = self.local.as_ref().map(|local| local.root.clone()) else { return Ok(0) };
        let before = std::time::UNIX_EPOCH + std::time::Duration::from_millis(before_ms.max(0) as u64);
        let swept = tokio::task::spawn_blocking(move || sweep_partial_files(&root, before))
            .await
            .map_err(|e| BlobError::Source(std::io::Error::other(e)))?;
        Ok(swept?)
    }
}

fn sweep_partial_files(folder: &std::path::Path, before: std::time::SystemTime) -> std::io::Result<u64> {
    let mut swept = 0;
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            swept += sweep_partial_files(&entry.path(), before)?;
        } else if entry.file_name().to_string_lossy().contains('#') && entry.metadata()?.modified()? < before {
            std::fs::remove_file(entry.path())?;
            swept += 1;
        }
    }
    Ok(swept)
}

fn parse_key(key: &str) -> Result<Key, BlobError> {
    if key.is_empty() || key.split('/').any(|part| part.is_empty() || part == "." || part == "..") {
        return Err(BlobError::BadKey(key.to_string()));
    }
    Key::parse(key).map_err(|_| BlobError::BadKey(key.to_string()))
}

#[cfg(test)]
mod tests {
    use super::parse_key;

    #[test]
    fn keys_cannot_escape_the_store() {
        assert!(parse_key("workouts/1/track.gpx").is_ok());
        for bad in ["", "../etc/passwd", "a//b", "a/./b", "/abs"] {
            assert!(parse_key(bad).is_err(), "{bad}");
        }
    }
}
