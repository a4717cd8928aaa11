//! A person's data across contexts. Each context that keeps something of a
//! person says how to copy it into their export and how to erase it when
//! the account goes; identity runs both for every context.

use std::io::Write;
use std::path::{Path, PathBuf};

use futures::future::BoxFuture;
use serde::Serialize;
use zip::write::SimpleFileOptions;
use zip::ZipWriter;

use crate::blob::{BlobError, BlobStore};

#[derive(Debug, thiserror::Error)]
pub enum PersonalDataError {
    #[error("writing the archive failed: {0}")]
    Archive(#[from] zip::result::ZipError),
    #[error("writing the archive failed: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Blob(#[from] BlobError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Other(String),
}

/// What a context does with a person's data.
pub trait PersonalData: Send + Sync {
    /// Adds the person's data to their export, under a folder named after the context.
    fn export<'a>(&'a self, user_id: &'a str, archive: &'a mut Archive)
        -> BoxFuture<'a, Result<(), PersonalDataError>>;
}

/// Erases the platform's own rows about a person: their change log and the
/// domain events about their changes (whose payloads describe them), but
/// for those of kind `keep`: the announcement of the erasure itself, which
/// every context must still receive and which carries nothing but the id.
/// It goes with the outbox's retention.
pub async fn erase_platform_rows(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    keep: &str,
) -> Result<(), PersonalDataError> {
    sqlx::query("DELETE FROM change_log WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM change_sequences WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM outbox_events WHERE user_id = $1 AND kind <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The folder of the file store that holds every file of one person.
/// Contexts keep a person's files under it, so erasing an account removes
/// them all with one sweep, whatever context wrote them.
pub fn user_folder(user_id: &str) -> String {
    format!("users/{user_id}")
}

/// A ZIP file being written on local disk: JSON documents and copies of
/// stored files, each streamed in, so a large export never sits in memory.
pub struct Archive {
    writer: ZipWriter<std::fs::File>,
    path: PathBuf,
}

impl Archive {
    pub fn create(path: &Path) -> Result<Self, PersonalDataError> {
        let file = std::fs::File::create(path)?;
        Ok(Self { writer: ZipWriter::new(file), path: path.to_path_buf() })
    }

    pub fn add_json(&mut self, name: &str, value: &impl Serialize) -> Result<(), PersonalDataError> {
        self.writer.start_file(name, SimpleFileOptions::default())?;
        serde_json::to_writer_pretty(&mut self.writer, value).map_err(std::io::Error::from)?;
        Ok(())
    }

    pub fn add_text(&mut self, name: &str, text: &str) -> Result<(), PersonalDataError> {
        self.writer.start_file(name, SimpleFileOptions::default())?;
        self.writer.write_all(text.as_bytes())?;
        Ok(())
    }

    /// Copies a stored file in as it is (originals are often compressed
    /// already, so they are stored, not deflated again).
    pub async fn add_file(&mut self, name: &str, blobs: &BlobStore, key: &str) -> Result<u64, PersonalDataError> {
        let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored).large_file(true);
        self.writer.start_file(name, options)?;
        Ok(blobs.copy_to(key, &mut self.writer).await?)
    }

    /// Writes the archive's directory; the file is complete after this.
    pub fn finish(self) -> Result<PathBuf, PersonalDataError> {
        self.writer.finish()?.sync_all()?;
        Ok(self.path)
    }
}
