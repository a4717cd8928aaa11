//! Workouts: logged by hand or read from an activity file, changed,
//! deleted, and seen by whom their privacy allows.

mod kept_analyses;
pub mod list;
pub mod model;
mod processing;
pub(crate) mod store;
pub use store::EquipmentUse;

use std::sync::Arc;

use bytes::Bytes;
use platform::db::{now_ms, rfc3339};
use platform::http::precompressed::Precompressed;
use platform::jobs::JobHandlers;

pub use kept_analyses::{KeptAnalyses, BUDGET as ANALYSES_BUDGET};
pub use model::{Idempotency, Measures, NewWorkout, OriginalFile, Privacy, Workout, WorkoutChanges, WorkoutState};
pub use processing::PROCESS_JOB;

use crate::analysis::{self, Analysed};
use crate::error::{Result, TrainingError};
use crate::events::{self, DELETED, RECORDED, UPDATED};
use crate::sports::{self, Sport};
use crate::titles::{self, TitleContext};
use crate::{visibility, Training};
use model::{check_distance, check_duration, check_elevation, check_notes, check_title, parse_time};
use platform::change_log::Operation;
use sqlx::AnyConnection;

use crate::people::Preferences;

/// What a person may send along with a file.
#[derive(Debug, Default)]
pub struct FileDetails {
    pub sport: Option<String>,
    pub title: Option<String>,
    pub notes: Option<String>,
    pub privacy: Option<Privacy>,
    /// None: the defaults of the workout's sport.
    pub equipment_ids: Option<Vec<String>>,
    /// The uploading device's offset from UTC, for a title by time of day.
    pub utc_offset_minutes: Option<i32>,
}

/// An activity file already on the file store.
pub struct StoredFile {
    pub workout_id: String,
    pub key: String,
    /// The name it had on the person's device.
    pub name: String,
    pub size: u64,
    /// The file itself when small enough to read now; otherwise a job reads it.
    pub bytes: Option<Bytes>,
    /// SHA-256 of the content, in hex.
    pub sha256: String,
}

/// Where every file training keeps of a person goes (workouts, photos,
/// imports), so that erasing them is one sweep.
pub fn files_of(user_id: &str) -> String {
    format!("{}/training", platform::personal_data::user_folder(user_id))
}

/// Where a workout's files go.
pub fn folder(user_id: &str, workout_id: &str) -> String {
    format!("{}/{workout_id}", files_of(user_id))
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

impl Training {
    /// Keeps an activity file as workout `workout_id`'s original, within the
    /// upload limit, refusing what is not GPX, TCX or FIT (gzipped or not):
    /// for an upload through the route and one a device made offline alike.
    pub(crate) async fn store_activity_file<S, E>(
        &self,
        user_id: &str,
        workout_id: String,
        name: String,
        file: S,
    ) -> Result<StoredFile>
    where
        S: futures::Stream<Item = std::result::Result<Bytes, E>> + Unpin + Send,
        E: std::fmt::Display,
    {
        let config = &self.platform.config;
        let folder = folder(user_id, &workout_id);
        let limits = crate::uploads::Limits {
            max_bytes: config.max_upload_bytes,
            setting: "ATHLOS_MAX_UPLOAD_BYTES",
            what: "the activity file",
            keep_up_to: config.track_inline_bytes,
        };
        let received = crate::uploads::receive(&self.platform.blobs, file, limits, |head| {
            let extension = analysis::recognise(head).ok_or_else(|| TrainingError::UnreadableFile {
                file: name.clone(),
                detail: "this is not a GPX, TCX or FIT file (gzipped or not)".into(),
            })?;
            Ok(format!("{folder}/original.{extension}"))
        })
        .await?;
        Ok(StoredFile {
            workout_id,
            key: received.key,
            name,
            size: received.size,
            bytes: received.bytes,
            sha256: received.sha256,
        })
    }

    /// The privacy of a new workout: the one sent, else the owner's default.
    pub async fn privacy_for(&self, user_id: &str, chosen: Option<Privacy>) -> Result<Privacy> {
        match chosen {
            Some(privacy) => Ok(privacy),
            None => Ok(self.people.preferences(user_id).await?.default_privacy),
        }
    }

    /// Logs a workout by hand. With an `Idempotency-Key` seen before, the
    /// workout that request made is returned instead (`false`: not new).
    pub async fn log_workout(
        &self,
        user_id: &str,
        input: NewWorkout,
        key: Option<&Idempotency>,
    ) -> Result<(Workout, bool)> {
        // Asked before taking a connection: identity takes one of its own to
        // answer, and a request holding one while waiting for a second deadlocks
        // the pool once as many such requests arrive as it has connections.
        let preferences = self.people.preferences(user_id).await?;
        let equipment = self.equipment_for(user_id, input.equipment_ids.as_deref(), &input.sport).await?;
        let mut conn = self.platform.db.pool().acquire().await?;
        if let Some(existing) = self.earlier(&mut conn, user_id, key).await? {
            return Ok((existing, false));
        }
        let workout = logged(&mut conn, new_id(), user_id, input, &preferences, equipment).await?;
        drop(conn);
        self.insert(&workout, None, &[], key).await
    }

    /// Records a workout from a file on the file store: read now when its
    /// bytes are at hand, else by a job while it shows `processing`. A file
    /// that cannot be read now is deleted and refused with what is wrong.
    pub async fn record_file(
        &self,
        user_id: &str,
        file: StoredFile,
        details: FileDetails,
        key: Option<&Idempotency>,
    ) -> Result<(Workout, bool)> {
        let recorded = self.record_stored_file(user_id, &file, details, key).await;
        if !matches!(recorded, Ok((_, true))) {
            // Refused, failed, or a repeat of an earlier request: keep no copy.
            if let Err(e) = self.platform.blobs.delete(&file.key).await {
                tracing::warn!(error = %e, key = %file.key, "a refused upload could not be deleted");
            }
        }
        recorded
    }

    async fn record_stored_file(
        &self,
        user_id: &str,
        file: &StoredFile,
        details: FileDetails,
        key: Option<&Idempotency>,
    ) -> Result<(Workout, bool)> {
        let preferences = self.people.preferences(user_id).await?;
        let chosen_equipment = match &details.equipment_ids {
            Some(ids) => Some(self.own_equipment(user_id, ids).await?),
            None => None,
        };
        let mut conn = self.platform.db.pool().acquire().await?;
        if let Some(existing) = self.earlier(&mut conn, user_id, key).await? {
            return Ok((existing, false));
        }
        if let Some(existing_id) = store::by_file_sha256(&mut conn, user_id, &file.sha256).await? {
            return Err(TrainingError::Duplicate { existing_id });
        }
        let chosen = match &details.sport {
            Some(sport) => Some(sports::existing(&mut conn, sport).await?),
            None => None,
        };
        let other = sports::existing(&mut conn, "other").await?;
        drop(conn);
        let mut workout =
            blank(file.workout_id.clone(), user_id, chosen.as_ref().unwrap_or(&other), now_ms(), Measures::default());
        workout.title = check_title(details.title.as_deref().unwrap_or_default())?;
        workout.notes = check_notes(details.notes.as_deref().unwrap_or_default())?;
        workout.privacy = details.privacy.unwrap_or(preferences.default_privacy);
        workout.equipment_ids = chosen_equipment.clone().unwrap_or_default();
        workout.file = Some(OriginalFile {
            format: String::new(),
            name: file_name(&file.name),
            size: file.size as i64,
            sha256: Some(file.sha256.clone()),
        });
        workout.file_key = Some(file.key.clone());
        let context = TitleContext { language: preferences.language, utc_offset_minutes: details.utc_offset_minutes };
        let Some(bytes) = file.bytes.clone() else {
            let chosen = processing::Chosen {
                sport: chosen.is_some(),
                title: !workout.title.is_empty(),
                equipment: chosen_equipment.is_some(),
                context,
            };
            if !chosen.title {
                workout.title = file_name(&file.name);
            }
            workout.state = WorkoutState::Processing;
            return self.insert_processing(&workout, chosen, key).await;
        };
        let analysed =
            read(bytes).await.map_err(|detail| TrainingError::UnreadableFile { file: file.name.clone(), detail })?;
        let mut conn = self.platform.db.pool().acquire().await?;
        let sport = match chosen {
            Some(sport) => sport,
            None => sports::existing(&mut conn, sports::from_file(analysed.track.sport.as_deref())).await?,
        };
        apply(&mut workout, &analysed, &sport, context);
        let distance = workout.measures.distance_m.unwrap_or_default();
        if let Some(existing_id) = store::same_training(&mut conn, user_id, workout.started_ms, distance).await? {
            return Err(TrainingError::Duplicate { existing_id });
        }
        drop(conn);
        if chosen_equipment.is_none() {
            workout.equipment_ids = self.equipment.defaults(user_id, &workout.sport).await?;
        }
        self.insert(&workout, Some(&analysed.analysis_json()), &analysed.efforts(), key).await
    }

    /// A workout's track as GPX, read again from its original file.
    pub async fn export_gpx(&self, viewer: Option<&str>, id: &str) -> Result<(Workout, Vec<u8>)> {
        let workout = self.visible_workout(viewer, id).await?;
        let key = workout.file_key.as_deref().ok_or(TrainingError::NoTrack)?;
        if workout.state != WorkoutState::Ready {
            return Err(TrainingError::Conflict("the workout's file is still being read, or could not be".into()));
        }
        let mut analysed = self.read_stored(key).await?.map_err(TrainingError::Internal)?;
        analysed.track.name = Some(workout.title.clone());
        let mut gpx = Vec::new();
        tracks::write_gpx(&analysed.track, &mut gpx)?;
        Ok((workout, gpx))
    }

    async fn earlier(
        &self,
        conn: &mut sqlx::AnyConnection,
        user_id: &str,
        key: Option<&Idempotency>,
    ) -> Result<Option<Workout>> {
        let Some(key) = key else { return Ok(None) };
        match store::by_client_key(conn, user_id, &key.key).await? {
            Some((_, fingerprint)) if fingerprint.as_deref().is_some_and(|f| f != key.fingerprint) => {
                Err(TrainingError::KeyReused)
            }
            Some((workout, _)) => Ok(Some(workout)),
            None => Ok(None),
        }
    }

    async fn insert(
        &self,
        workout: &Workout,
        analysis: Option<&str>,
        efforts: &[(f64, f64)],
        key: Option<&Idempotency>,
    ) -> Result<(Workout, bool)> {
        let mut tx = self.platform.db.begin().await?;
        let stored = store::Stored { workout, analysis, client_key: key };
        if let Err(e) = store::insert(&mut tx, stored).await {
            drop(tx);
            return self.lost_race(workout, key, e).await;
        }
        store::replace_efforts(&mut tx, workout, efforts).await?;
        events::log_change(&mut tx, workout, Operation::Created).await?;
        events::publish(&mut tx, RECORDED, workout, efforts, analysis).await?;
        tx.commit().await?;
        Ok((workout.clone(), true))
    }

    async fn insert_processing(
        &self,
        workout: &Workout,
        chosen: processing::Chosen,
        key: Option<&Idempotency>,
    ) -> Result<(Workout, bool)> {
        let mut tx = self.platform.db.begin().await?;
        if let Err(e) = store::insert(&mut tx, store::Stored { workout, analysis: None, client_key: key }).await {
            drop(tx);
            return self.lost_race(workout, key, e).await;
        }
        events::log_change(&mut tx, workout, Operation::Created).await?;
        processing::enqueue(&self.platform, &mut tx, &workout.id, chosen).await?;
        tx.commit().await?;
        Ok((workout.clone(), true))
    }

    /// Two requests with one `Idempotency-Key` at once: the second insert
    /// breaks the unique index, and the first one's workout is the answer.
    async fn lost_race(
        &self,
        workout: &Workout,
        key: Option<&Idempotency>,
        error: TrainingError,
    ) -> Result<(Workout, bool)> {
        let mut conn = self.platform.db.pool().acquire().await?;
        if let Some(existing) = self.earlier(&mut conn, &workout.user_id, key).await? {
            return Ok((existing, false));
        }
        let sha256 = workout.file.as_ref().and_then(|f| f.sha256.as_deref());
        if let Some(sha256) = sha256 {
            if let Some(existing_id) = store::by_file_sha256(&mut conn, &workout.user_id, sha256).await? {
                return Err(TrainingError::Duplicate { existing_id });
            }
        }
        Err(error)
    }

    /// A workout as `viewer` (none: not logged in) may see it, with its
    /// owner and its analysis; an analysis not kept yet is read, not kept
    /// (an export reads every workout once, and would push out what pages need).
    pub async fn workout_for(&self, viewer: Option<&str>, id: &str) -> Result<Workout> {
        let (mut workout, analysed) = self.visible_marked(viewer, id).await?;
        if analysed {
            workout.analysis = self.analysis_json(&workout).await?;
        }
        workout.owner = self.people.public_profile(&workout.user_id).await?;
        Ok(workout)
    }

    /// A workout as `viewer` may see it, with its owner, and its analysis
    /// apart, as it is kept for pages: plain JSON, and compressed.
    pub async fn workout_page(&self, viewer: Option<&str>, id: &str) -> Result<(Workout, Option<Arc<Precompressed>>)> {
        let (mut workout, analysed) = self.visible_marked(viewer, id).await?;
        let analysis = if analysed { self.stored_analysis(&workout).await? } else { None };
        workout.owner = self.people.public_profile(&workout.user_id).await?;
        Ok((workout, analysis))
    }

    /// A workout `viewer` may see, and whether it has an analysis.
    async fn visible_marked(&self, viewer: Option<&str>, id: &str) -> Result<(Workout, bool)> {
        let mut conn = self.platform.db.read().await?;
        let found = store::get_marked(&mut conn, id).await?;
        drop(conn);
        let (workout, analysed) = found.unzip();
        Ok((self.seen_by(viewer, workout).await?, analysed == Some(true)))
    }

    /// A workout `viewer` may see, without its analysis: for what only needs
    /// to know that (photos, files), not the splits and series.
    pub(crate) async fn visible_workout(&self, viewer: Option<&str>, id: &str) -> Result<Workout> {
        let mut conn = self.platform.db.read().await?;
        let workout = store::get(&mut conn, id).await?;
        drop(conn);
        self.seen_by(viewer, workout).await
    }

    /// The workout if `viewer` may see it; not found otherwise. Asked with
    /// no connection held, since the followers' side takes its own.
    async fn seen_by(&self, viewer: Option<&str>, workout: Option<Workout>) -> Result<Workout> {
        let workout = workout.ok_or(TrainingError::NotFound)?;
        if !visibility::may_see(self.followers.as_ref(), viewer, &workout).await {
            return Err(TrainingError::NotFound);
        }
        Ok(workout)
    }

    /// One of the person's own workouts; anybody else's is not found.
    pub(crate) async fn own_workout(&self, user_id: &str, id: &str) -> Result<Workout> {
        let mut conn = self.platform.db.read().await?;
        match store::get(&mut conn, id).await? {
            Some(workout) if workout.user_id == user_id => Ok(workout),
            _ => Err(TrainingError::NotFound),
        }
    }

    pub async fn change_workout(&self, user_id: &str, id: &str, changes: WorkoutChanges) -> Result<Workout> {
        let equipment = self.changed_equipment(user_id, &changes).await?;
        let mut tx = self.platform.db.begin().await?;
        change_in(&mut tx, user_id, id, &changes, equipment).await?;
        tx.commit().await?;
        self.workout_for(Some(user_id), id).await
    }

    /// The equipment a change names, checked to be the person's own: asked
    /// before a connection is taken, since inventory takes one of its own.
    pub(crate) async fn changed_equipment(
        &self,
        user_id: &str,
        changes: &WorkoutChanges,
    ) -> Result<Option<Vec<String>>> {
        match &changes.equipment_ids {
            Some(ids) => Ok(Some(self.own_equipment(user_id, ids).await?)),
            None => Ok(None),
        }
    }

    /// Deletes a workout with its efforts, photos and files.
    pub async fn delete_workout(&self, user_id: &str, id: &str) -> Result<()> {
        let workout = self.own_workout(user_id, id).await?;
        let mut tx = self.platform.db.begin().await?;
        if !store::delete(&mut tx, id).await? {
            return Err(TrainingError::NotFound);
        }
        events::log_change(&mut tx, &workout, Operation::Deleted).await?;
        events::publish(&mut tx, DELETED, &workout, &[], None).await?;
        tx.commit().await?;
        // After the commit: a file left by a failure here is swept with the account.
        if let Err(e) = self.platform.blobs.delete_prefix(&folder(user_id, id)).await {
            tracing::warn!(error = %e, workout = %id, "files of a deleted workout were left behind");
        }
        Ok(())
    }
}

pub fn register_jobs(training: &Training, handlers: &mut JobHandlers) {
    processing::register(training, handlers);
}

/// A workout with nothing but its owner, sport, start and measures.
fn blank(id: String, user_id: &str, sport: &Sport, start: i64, measures: Measures) -> Workout {
    let now = rfc3339(now_ms());
    Workout {
        id,
        user_id: user_id.to_string(),
        sport: sport.id.clone(),
        title: String::new(),
        notes: String::new(),
        privacy: Privacy::Private,
        state: WorkoutState::Ready,
        failure: None,
        started_at: rfc3339(start),
        started_ms: start,
        measures,
        equipment_ids: Vec::new(),
        file: None,
        file_key: None,
        created_at: now.clone(),
        updated_at: now,
        analysis: None,
        owner: None,
    }
}

/// The title given, else the file's own name when it says something, else
/// one made from the time of day and the sport ("Morning Run").
fn titled(
    given: Option<&str>,
    from_file: Option<&str>,
    sport: &Sport,
    start: i64,
    context: TitleContext,
) -> Result<String> {
    let given = check_title(given.unwrap_or_default())?;
    if !given.is_empty() {
        return Ok(given);
    }
    match from_file.map(model::printable).as_deref().and_then(titles::meaningful) {
        Some(name) => check_title(&name.chars().take(200).collect::<String>()),
        None => Ok(titles::made(sport, start, context.utc_offset_minutes.unwrap_or_default(), context.language)),
    }
}

/// Fills in what the file says: start, measures, format, and the sport and
/// title when the person did not choose them.
pub(crate) fn apply(workout: &mut Workout, analysed: &Analysed, sport: &Sport, mut context: TitleContext) {
    let start = analysed.summary.start_time.unwrap_or(workout.started_ms);
    workout.sport = sport.id.clone();
    workout.started_ms = start;
    workout.started_at = rfc3339(start);
    workout.measures = analysed.measures();
    if workout.title.is_empty() {
        let first_lon = analysed.track.segments.iter().flatten().find_map(|p| p.lon);
        context.utc_offset_minutes = context.utc_offset_minutes.or(first_lon.map(titles::offset_from_longitude));
        workout.title = titled(None, analysed.track.name.as_deref(), sport, start, context).unwrap_or_default();
    }
    if let Some(file) = workout.file.as_mut() {
        file.format = analysed.format.extension().to_string();
    }
    workout.state = WorkoutState::Ready;
    workout.failure = None;
}

/// Reads an activity file held in memory on a blocking thread.
pub(crate) async fn read(bytes: Bytes) -> std::result::Result<Analysed, String> {
    analysis::analyse_off_thread(std::io::Cursor::new(bytes)).await?
}

/// The hand-entered numbers; a workout read from a file keeps the file's.
/// A workout logged by hand, checked and titled, not yet stored.
pub(crate) async fn logged(
    conn: &mut AnyConnection,
    id: String,
    user_id: &str,
    input: NewWorkout,
    preferences: &Preferences,
    equipment: Vec<String>,
) -> Result<Workout> {
    let sport = sports::existing(conn, &input.sport).await?;
    let context = TitleContext {
        language: preferences.language,
        utc_offset_minutes: model::written_offset_minutes(&input.started_at),
    };
    let (start, duration) = input.timing()?;
    let distance = input.distance_m.map(check_distance).transpose()?;
    let measures = Measures {
        duration_s: duration,
        distance_m: distance,
        elevation_gain_m: input.elevation_gain_m.map(check_elevation).transpose()?,
        average_speed_mps: distance.map(|d| d / duration),
        ..Measures::default()
    };
    let mut workout = blank(id, user_id, &sport, start, measures);
    workout.title = titled(input.title.as_deref(), None, &sport, start, context)?;
    workout.notes = check_notes(input.notes.as_deref().unwrap_or_default())?;
    workout.privacy = input.privacy.unwrap_or(preferences.default_privacy);
    workout.equipment_ids = equipment;
    Ok(workout)
}

/// Changes one of the person's workouts within the caller's transaction,
/// its row locked first so that changes to it take turns. `equipment`:
/// the change's equipment, already checked to be the person's.
pub(crate) async fn change_in(
    conn: &mut AnyConnection,
    user_id: &str,
    id: &str,
    changes: &WorkoutChanges,
    equipment: Option<Vec<String>>,
) -> Result<Workout> {
    if !store::lock_own(conn, user_id, id).await? {
        return Err(TrainingError::NotFound);
    }
    let mut workout = store::get(conn, id).await?.ok_or(TrainingError::NotFound)?;
    let sport_changed = match &changes.sport {
        Some(sport) => {
            let sport = sports::existing(conn, sport).await?;
            let changed = sport.id != workout.sport;
            workout.sport = sport.id;
            changed
        }
        None => false,
    };
    change_measures(&mut workout, changes)?;
    if let Some(title) = &changes.title {
        workout.title = check_title(title)?;
        if workout.title.is_empty() {
            return Err(TrainingError::invalid("title", "the title cannot be empty"));
        }
    }
    if let Some(notes) = &changes.notes {
        workout.notes = check_notes(notes)?;
    }
    workout.privacy = changes.privacy.unwrap_or(workout.privacy);
    if let Some(ids) = equipment {
        workout.equipment_ids = ids;
    }
    if !store::update_details(conn, &workout).await? {
        return Err(TrainingError::NotFound);
    }
    if sport_changed || changes.started_at.is_some() {
        store::move_efforts(conn, &workout).await?;
    }
    events::log_change(conn, &workout, Operation::Updated).await?;
    // Others hear of a workout first when its file is read (`RECORDED`).
    if workout.state != WorkoutState::Processing {
        events::publish(conn, UPDATED, &workout, &[], None).await?;
    }
    Ok(workout)
}

fn change_measures(workout: &mut Workout, changes: &WorkoutChanges) -> Result<()> {
    let touched = [
        ("started_at", changes.started_at.is_some()),
        ("duration_s", changes.duration_s.is_some()),
        ("distance_m", changes.distance_m.is_some()),
        ("elevation_gain_m", changes.elevation_gain_m.is_some()),
    ];
    if workout.file.is_some() {
        if let Some((field, _)) = touched.iter().find(|(_, t)| *t) {
            return Err(TrainingError::invalid(field, "this comes from the workout's file and cannot be changed"));
        }
        return Ok(());
    }
    if let Some(start) = &changes.started_at {
        workout.started_ms = parse_time("started_at", start)?;
        workout.started_at = rfc3339(workout.started_ms);
    }
    let m = &mut workout.measures;
    if let Some(duration) = changes.duration_s {
        m.duration_s = check_duration(duration)?;
    }
    if let Some(distance) = changes.distance_m {
        m.distance_m = Some(check_distance(distance)?);
    }
    if let Some(gain) = changes.elevation_gain_m {
        m.elevation_gain_m = Some(check_elevation(gain)?);
    }
    m.average_speed_mps = m.distance_m.map(|d| d / m.duration_s);
    Ok(())
}

/// Only the last part of a path, as a device might send `C:\runs\a.gpx`.
fn file_name(name: &str) -> String {
    let name = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    let name: String = name.chars().filter(|c| !c.is_control()).take(200).collect();
    if name.is_empty() {
        "activity".into()
    } else {
        name
    }
}
