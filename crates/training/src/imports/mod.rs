//! Bulk import: every activity file of a folder or a ZIP archive (the
//! export Strava gives its users, with `activities.csv` naming each file's
//! activity) becomes a workout. The command line reads a path directly;
//! the API stores an uploaded archive and a job reads it, with progress.
//! Importing the same file twice makes one workout: each file's content
//! hash is its idempotency key.

mod source;
mod store;
pub mod strava;

use std::path::PathBuf;

use bytes::Bytes;
use platform::jobs::{JobContext, JobFailure, JobHandlers};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

pub use source::Found;

use crate::analysis;
use crate::error::{Result, TrainingError};
use crate::workouts::{self, FileDetails, Idempotency, Privacy, StoredFile, Workout};
use crate::Training;

pub const IMPORT_JOB: &str = "training.import";
/// At most this many problems are kept with an import.
const MAX_PROBLEMS: usize = 500;

/// What became of one file.
pub enum Outcome {
    Imported(Box<Workout>),
    /// The same file was imported before.
    Duplicate,
    /// Not a workout; the message says why.
    Refused(String),
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    pub file: String,
    pub error: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportStatus {
    pub id: String,
    /// queued, running, done or failed.
    pub state: String,
    /// Activity files found in the archive (0 until counted).
    pub total: i64,
    pub processed: i64,
    pub imported: i64,
    /// Files imported before, skipped.
    pub duplicates: i64,
    /// Files that are not workouts, with why (at most 500).
    pub problems: Vec<Problem>,
    pub created_at: String,
    pub updated_at: String,
}

/// Counts kept while importing.
#[derive(Debug, Default, Clone)]
pub struct Progress {
    pub total: usize,
    pub processed: usize,
    pub imported: usize,
    pub duplicates: usize,
    pub problems: Vec<Problem>,
}

impl Progress {
    pub fn note(&mut self, file: &str, outcome: &Outcome) {
        self.processed += 1;
        match outcome {
            Outcome::Imported(_) => self.imported += 1,
            Outcome::Duplicate => self.duplicates += 1,
            Outcome::Refused(error) => self.problem(file, error),
        }
    }

    pub fn problem(&mut self, file: &str, error: &str) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(Problem { file: file.to_string(), error: error.to_string() });
        }
    }
}

#[derive(Serialize, Deserialize)]
struct ImportJob {
    import_id: String,
}

impl Training {
    /// Imports one activity file as a workout of `user_id`.
    pub async fn import_file(
        &self,
        user_id: &str,
        name: &str,
        bytes: Bytes,
        activity: strava::Activity,
        privacy: Privacy,
    ) -> Result<Outcome> {
        let Some(extension) = analysis::recognise(&bytes) else {
            return Ok(Outcome::Refused("not a GPX, TCX or FIT file".into()));
        };
        let hash = Sha256::digest(&bytes);
        let hash = crate::uploads::hex(&hash);
        let client_key = Idempotency { key: format!("import:{hash}"), fingerprint: hash };
        let workout_id = workouts::new_id();
        let key = format!("{}/original.{extension}", workouts::folder(user_id, &workout_id));
        // A name of nothing printable names no gear.
        let gear = activity.gear.as_deref().map(workouts::model::printable).filter(|g| !g.trim().is_empty());
        let mut details = FileDetails {
            sport: activity.kind.as_deref().map(|k| crate::sports::from_file(Some(k)).to_string()),
            title: activity.name.map(|n| workouts::model::printable(&n).chars().take(200).collect()),
            notes: activity.description.map(|d| workouts::model::printable(&d)),
            privacy: Some(privacy),
            // An old activity without gear was not done in today's default shoes.
            equipment_ids: Some(Vec::new()),
            utc_offset_minutes: None,
        };
        let size = bytes.len() as u64;
        {
            let mut conn = self.platform.db.pool().acquire().await?;
            if workouts::store::by_client_key(&mut conn, user_id, &client_key.key).await?.is_some() {
                return Ok(Outcome::Duplicate);
            }
        }
        if let Some(gear) = gear {
            let sport = details.sport.as_deref().unwrap_or("other");
            details.equipment_ids = Some(vec![self.equipment.named(user_id, &gear, sport).await?]);
        }
        self.platform.blobs.put_bytes(&key, bytes.clone()).await?;
        let file = StoredFile {
            workout_id,
            key,
            name: name.rsplit('/').next().unwrap_or(name).to_string(),
            size,
            bytes: Some(bytes),
            sha256: client_key.fingerprint.clone(),
        };
        match self.record_file(user_id, file, details, Some(&client_key)).await {
            Ok((workout, true)) => Ok(Outcome::Imported(Box::new(workout))),
            Ok((_, false)) => Ok(Outcome::Duplicate),
            Err(TrainingError::UnreadableFile { detail, .. }) => Ok(Outcome::Refused(detail)),
            Err(TrainingError::Invalid { detail, .. }) => Ok(Outcome::Refused(detail)),
            Err(TrainingError::Duplicate { .. }) => Ok(Outcome::Duplicate),
            Err(e) => Err(e),
        }
    }

    /// Reads every activity file of a folder or ZIP at `path` into workouts,
    /// telling `progress` after each. Used by the command line and the job.
    /// Without a `privacy`, the workouts get the owner's default.
    pub async fn import_path(
        &self,
        user_id: &str,
        path: PathBuf,
        privacy: Option<Privacy>,
        mut progress: impl FnMut(&Progress, Option<&str>),
    ) -> Result<Progress> {
        let privacy = self.privacy_for(user_id, privacy).await?;
        let mut counts = Progress::default();
        let mut found = source::read(path, self.platform.config.max_upload_bytes as u64);
        while let Some(item) = found.recv().await {
            match item {
                Found::Total(total) => counts.total = total,
                Found::File { name, bytes, activity } => {
                    let outcome = self.import_file(user_id, &name, Bytes::from(bytes), activity, privacy).await?;
                    counts.note(&name, &outcome);
                    progress(&counts, Some(&name));
                    continue;
                }
                Found::Unreadable { name, error } => {
                    counts.processed += 1;
                    counts.problem(&name, &error);
                }
                Found::Broken(error) => return Err(TrainingError::invalid("archive", error)),
            }
            progress(&counts, None);
        }
        Ok(counts)
    }

    /// Starts importing an archive already on the file store.
    pub async fn queue_import(&self, user_id: &str, import_id: &str, key: &str) -> Result<ImportStatus> {
        let mut tx = self.platform.db.begin().await?;
        store::insert(&mut tx, import_id, user_id, key).await?;
        self.platform.jobs.enqueue(&mut tx, IMPORT_JOB, &ImportJob { import_id: import_id.into() }).await?;
        tx.commit().await?;
        self.import_status(user_id, import_id).await
    }

    pub async fn import_status(&self, user_id: &str, import_id: &str) -> Result<ImportStatus> {
        let mut conn = self.platform.db.pool().acquire().await?;
        store::of_user_by_id(&mut conn, user_id, import_id).await?.ok_or(TrainingError::NotFound)
    }

    pub async fn imports(&self, user_id: &str) -> Result<Vec<ImportStatus>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        store::of_user(&mut conn, user_id).await
    }

    async fn run_import(&self, import_id: &str) -> Result<()> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let Some(store::Queued { user_id, state, file_key: key }) = store::queued(&mut conn, import_id).await? else {
            return Ok(());
        };
        if state == "done" || state == "failed" {
            return Ok(());
        }
        store::save(&mut conn, import_id, "running", &Progress::default()).await?;
        let scratch = self.download(&key).await?;
        let mut last_saved = std::time::Instant::now();
        let platform = self.platform.clone();
        let imported = self
            .import_path(&user_id, scratch.path().to_path_buf(), None, |progress, _| {
                // Progress is saved at most twice a second, not after every file.
                if last_saved.elapsed().as_millis() >= 500 {
                    last_saved = std::time::Instant::now();
                    let (platform, id, snapshot) = (platform.clone(), import_id.to_string(), progress.clone());
                    tokio::spawn(async move {
                        if let Ok(mut conn) = platform.db.pool().acquire().await {
                            let _ = store::save(&mut conn, &id, "running", &snapshot).await;
                        }
                    });
                }
            })
            .await;
        let finished = match imported {
            Ok(progress) => store::save(&mut conn, import_id, "done", &progress).await,
            Err(TrainingError::Invalid { detail, .. }) => {
                let mut progress = Progress::default();
                progress.problem("archive", &detail);
                store::save(&mut conn, import_id, "failed", &progress).await
            }
            Err(e) => return Err(e),
        };
        finished?;
        // The workouts keep their own copies of the files; the archive is no longer needed.
        if let Err(e) = self.platform.blobs.delete(&key).await {
            tracing::warn!(error = %e, key = %key, "an imported archive could not be deleted");
        }
        Ok(())
    }

    /// Copies a stored archive to a scratch file: ZIP reading needs to seek.
    async fn download(&self, key: &str) -> Result<tempfile::NamedTempFile> {
        use std::io::Write;
        let mut scratch = tempfile::Builder::new().suffix(".zip").tempfile()?;
        self.platform.blobs.copy_to(key, &mut scratch).await?;
        scratch.flush()?;
        Ok(scratch)
    }
}

pub fn register_jobs(training: &Training, handlers: &mut JobHandlers) {
    let training = training.clone();
    handlers.register(IMPORT_JOB, move |ctx: JobContext| {
        let training = training.clone();
        async move {
            let job: ImportJob = serde_json::from_value(ctx.payload).map_err(JobFailure::permanent)?;
            training.run_import(&job.import_id).await.map_err(JobFailure::retry)
        }
    });
}
