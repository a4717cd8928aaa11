//! Push: changes a device made offline, each applied once, merged per field
//! on its clock, and answered applied, merged or refused.

use std::collections::HashMap;

use axum::http::StatusCode;
use platform::change_log;
use platform::db::now_ms;
use platform::http::Problem;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::AnyConnection;
use utoipa::ToSchema;

use crate::clock::Clock;
use crate::entities::{Current, Entity, Fields, Prepared, Refusal};
use crate::error::{Result, SyncError};
use crate::{merge, store, Sync};

pub const MAX_MUTATIONS: usize = 100;
/// How far ahead of the server's a device's clock may be: further, and its
/// changes would win over every later one for as long as it is ahead.
const MAX_AHEAD_MS: i64 = 5 * 60_000;

/// The records a device may change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Changeable {
    Workout,
    Equipment,
}

impl From<Changeable> for Entity {
    fn from(c: Changeable) -> Entity {
        match c {
            Changeable::Workout => Entity::Workout,
            Changeable::Equipment => Entity::Equipment,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Create,
    Update,
    Delete,
}

/// `POST /api/v1/sync/push`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMutations {
    /// In the order they were made; at most 100.
    #[schema(max_items = 100)]
    pub mutations: Vec<Mutation>,
}

/// One change made on a device.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Mutation {
    /// Chosen by the device; the same mutation sent again is applied once.
    #[schema(value_type = uuid::Uuid)]
    pub id: String,
    pub entity: Changeable,
    /// The record's id; for a create, the one the device chose.
    #[schema(value_type = uuid::Uuid)]
    pub entity_id: String,
    pub op: Op,
    /// The device's hybrid logical clock when the change was made.
    #[schema(pattern = "^[0-9]{15}-[0-9]{5}-[a-z0-9]{1,32}$", example = "001764601230000-00002-3f9a1c")]
    pub clock: String,
    /// The fields it sets (create and update), as the regular routes take
    /// them; see `docs/sync.md` for which. Empty for a delete.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub fields: Fields,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every field it set is now the record's.
    Applied,
    /// Some fields were kept from a later change (`lost`).
    Merged,
    /// Nothing of it was applied; `problem` says why.
    Refused,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MutationResult {
    #[schema(value_type = uuid::Uuid)]
    pub id: String,
    pub status: Status,
    /// The record as it is now; left out once it is deleted, and on a refusal.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub record: Option<Value>,
    /// The fields a later change kept (for a delete: the fields changed after it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lost: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Problem>)]
    pub problem: Option<Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Pushed {
    /// One per mutation, in the order sent.
    pub results: Vec<MutationResult>,
    /// The server's clock: a device keeps its own at least this far.
    pub clock: String,
}

/// What is kept of a result, to answer a mutation sent again.
#[derive(Serialize, Deserialize)]
struct Outcome {
    status: Status,
    #[serde(default)]
    lost: Vec<String>,
    #[serde(default)]
    problem: Option<Value>,
}

impl Sync {
    /// Applies a device's mutations in order.
    pub async fn push(&self, user_id: &str, new: NewMutations) -> Result<Pushed> {
        let clocks = self.check(&new.mutations)?;
        let mut latest = Clock::server(now_ms());
        let mut results = Vec::with_capacity(new.mutations.len());
        for (mutation, clock) in new.mutations.iter().zip(clocks) {
            let result = self.apply(user_id, mutation, &clock).await?;
            if result.status != Status::Refused && clock > latest {
                latest = clock;
            }
            results.push(result);
        }
        if results.iter().any(|r| r.status != Status::Refused) {
            let mut conn = self.platform.db.pool().acquire().await?;
            let (last, _) = change_log::counter(&mut conn, user_id).await?;
            drop(conn);
            self.hint(user_id, last).await;
        }
        Ok(Pushed { results, clock: latest.to_string() })
    }

    /// The shape of every mutation, checked before any is applied.
    fn check(&self, mutations: &[Mutation]) -> Result<Vec<Clock>> {
        if mutations.len() > MAX_MUTATIONS {
            return Err(SyncError::invalid("mutations", format!("send at most {MAX_MUTATIONS} mutations at a time")));
        }
        let mut clocks = Vec::with_capacity(mutations.len());
        for (i, m) in mutations.iter().enumerate() {
            let at = |field: &str| format!("mutations[{i}].{field}");
            for (field, id) in [("id", &m.id), ("entity_id", &m.entity_id)] {
                if uuid::Uuid::parse_str(id).is_err() {
                    return Err(SyncError::invalid(at(field), "a UUID, such as one made by crypto.randomUUID()"));
                }
            }
            let clock = Clock::parse(&m.clock).ok_or_else(|| {
                SyncError::invalid(at("clock"), "`<wall ms, 15 digits>-<counter, 5 digits>-<device, 1–32 of a-z0-9>`")
            })?;
            let allowed = self.entities.fields(m.entity.into());
            if let Some(field) = m.fields.keys().find(|f| !allowed.contains(&f.as_str())) {
                return Err(SyncError::invalid(
                    at("fields"),
                    format!("`{field}` cannot be changed here; the fields are {}", allowed.join(", ")),
                ));
            }
            if m.op == Op::Delete && !m.fields.is_empty() {
                return Err(SyncError::invalid(at("fields"), "a delete sets no fields"));
            }
            clocks.push(clock);
        }
        Ok(clocks)
    }

    async fn apply(&self, user_id: &str, m: &Mutation, clock: &Clock) -> Result<MutationResult> {
        if let Some(answer) = self.answered(user_id, m).await? {
            return Ok(answer);
        }
        match self.decide(user_id, m, clock).await {
            Ok(result) => Ok(result),
            Err(Refusal::Database(e)) => Err(e.into()),
            Err(Refusal::Other(e)) => Err(SyncError::Internal(e)),
            Err(refusal) => self.refuse(user_id, m, refusal).await,
        }
    }

    /// Merges and applies one mutation in one transaction, its record locked.
    async fn decide(&self, user_id: &str, m: &Mutation, clock: &Clock) -> Result<MutationResult, Refusal> {
        if clock.wall_ms() > now_ms() + MAX_AHEAD_MS {
            return Err(Refusal::ClockAhead);
        }
        let entity = Entity::from(m.entity);
        let prepared: Prepared = match m.op {
            Op::Delete => Box::new(()),
            op => self.entities.prepare(user_id, entity, &m.fields, op == Op::Create).await?,
        };
        let mut tx = self.platform.db.begin().await?;
        if !store::claim(&mut tx, user_id, &m.id, now_ms()).await? {
            drop(tx);
            return self
                .answered(user_id, m)
                .await
                .map_err(sync_refusal)?
                .ok_or(Refusal::Other("a mutation with this id was claimed but never answered".into()));
        }
        let current = self.entities.lock(&mut tx, user_id, entity, &m.entity_id).await?;
        let (result, files) = match (m.op, current) {
            (Op::Create, None) => (self.create(&mut tx, user_id, entity, m, clock, prepared).await?, vec![]),
            (Op::Update, None) => return Err(self.missing(&mut tx, user_id, entity, &m.entity_id).await?),
            (Op::Delete, None) => match self.missing(&mut tx, user_id, entity, &m.entity_id).await? {
                // Deleted already (by this device's earlier push, or another's).
                Refusal::Gone => (answer(m, Status::Applied, None, vec![]), vec![]),
                refusal => return Err(refusal),
            },
            (Op::Create | Op::Update, Some(current)) => {
                (self.edit(&mut tx, user_id, entity, m, clock, current, prepared).await?, vec![])
            }
            (Op::Delete, Some(current)) => self.delete(&mut tx, user_id, entity, m, clock, current).await?,
        };
        let outcome = Outcome { status: result.status, lost: result.lost.clone(), problem: None };
        store::settle(&mut tx, user_id, &m.id, &serde_json::to_string(&outcome).map_err(other)?).await?;
        tx.commit().await?;
        for key in files {
            if let Err(e) = self.platform.blobs.delete(&key).await {
                tracing::warn!(error = %e, key, "a file of a record deleted offline was left behind");
            }
        }
        Ok(result)
    }

    async fn create(
        &self,
        conn: &mut AnyConnection,
        user_id: &str,
        entity: Entity,
        m: &Mutation,
        clock: &Clock,
        prepared: Prepared,
    ) -> Result<MutationResult, Refusal> {
        if let Refusal::Gone = self.missing(conn, user_id, entity, &m.entity_id).await? {
            return Err(Refusal::Gone);
        }
        self.entities.create(conn, user_id, entity, &m.entity_id, &m.fields, prepared).await?;
        let made = self.entities.lock(conn, user_id, entity, &m.entity_id).await?.ok_or(Refusal::NotFound)?;
        // Every field of a new record, defaults too, was set when it was made.
        let clocks = made.fields.keys().map(|f| (f.clone(), clock.clone())).collect();
        store::remember(conn, user_id, entity, &m.entity_id, &made.fields, &clocks).await?;
        Ok(answer(m, Status::Applied, Some(made.record), vec![]))
    }

    #[allow(clippy::too_many_arguments)]
    async fn edit(
        &self,
        conn: &mut AnyConnection,
        user_id: &str,
        entity: Entity,
        m: &Mutation,
        clock: &Clock,
        current: Current,
        prepared: Prepared,
    ) -> Result<MutationResult, Refusal> {
        let mut clocks = self.clocks_now(conn, user_id, entity, &m.entity_id, &current).await?;
        let (won, lost) = merge::edit(&m.fields, clock, &clocks);
        let current = if won.is_empty() {
            current
        } else {
            self.entities.update(conn, user_id, entity, &m.entity_id, &won, prepared).await?;
            self.entities.lock(conn, user_id, entity, &m.entity_id).await?.ok_or(Refusal::NotFound)?
        };
        clocks.extend(won.keys().map(|f| (f.clone(), clock.clone())));
        store::remember(conn, user_id, entity, &m.entity_id, &current.fields, &clocks).await?;
        let status = if lost.is_empty() { Status::Applied } else { Status::Merged };
        Ok(answer(m, status, Some(current.record), lost))
    }

    async fn delete(
        &self,
        conn: &mut AnyConnection,
        user_id: &str,
        entity: Entity,
        m: &Mutation,
        clock: &Clock,
        current: Current,
    ) -> Result<(MutationResult, Vec<String>), Refusal> {
        let clocks = self.clocks_now(conn, user_id, entity, &m.entity_id, &current).await?;
        let later = merge::changed_after(clock, &clocks);
        if !later.is_empty() {
            return Ok((answer(m, Status::Merged, Some(current.record), later), vec![]));
        }
        let files = self.entities.delete(conn, user_id, entity, &m.entity_id).await?;
        store::forget(conn, user_id, entity, &m.entity_id).await?;
        Ok((answer(m, Status::Applied, None, vec![]), files))
    }

    /// The clock each field of the record was set at.
    async fn clocks_now(
        &self,
        conn: &mut AnyConnection,
        user_id: &str,
        entity: Entity,
        id: &str,
        current: &Current,
    ) -> Result<HashMap<String, Clock>, Refusal> {
        let remembered = store::remembered(conn, user_id, entity, id).await?;
        let latest = change_log::latest(conn, user_id, entity.as_str(), id).await?;
        let latest = Clock::server(latest.map(|c| c.changed_at).unwrap_or_default());
        Ok(merge::clocks_now(&current.fields, &remembered, &latest))
    }

    /// Why there is no record to change: deleted (gone), or never the person's.
    async fn missing(
        &self,
        conn: &mut AnyConnection,
        user_id: &str,
        entity: Entity,
        id: &str,
    ) -> Result<Refusal, Refusal> {
        let latest = change_log::latest(conn, user_id, entity.as_str(), id).await?;
        Ok(match latest {
            Some(change) if change.operation == "deleted" => Refusal::Gone,
            _ => Refusal::NotFound,
        })
    }

    /// Keeps a refusal as the mutation's answer, so that it is answered the
    /// same way when sent again.
    async fn refuse(&self, user_id: &str, m: &Mutation, refusal: Refusal) -> Result<MutationResult> {
        let problem = serde_json::to_value(problem(refusal))?;
        let outcome = Outcome { status: Status::Refused, lost: vec![], problem: Some(problem.clone()) };
        let mut tx = self.platform.db.begin().await?;
        if !store::claim(&mut tx, user_id, &m.id, now_ms()).await? {
            drop(tx);
            return self
                .answered(user_id, m)
                .await?
                .ok_or_else(|| SyncError::Internal("an unanswered mutation".into()));
        }
        store::settle(&mut tx, user_id, &m.id, &serde_json::to_string(&outcome)?).await?;
        tx.commit().await?;
        Ok(MutationResult {
            id: m.id.clone(),
            status: Status::Refused,
            record: None,
            lost: vec![],
            problem: Some(problem),
        })
    }

    /// The answer given when the mutation was first applied, with the record as it is now.
    async fn answered(&self, user_id: &str, m: &Mutation) -> Result<Option<MutationResult>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let Some(outcome) = store::outcome(&mut conn, user_id, &m.id).await? else { return Ok(None) };
        let outcome: Outcome = serde_json::from_str(&outcome)?;
        let record = match outcome.status {
            Status::Refused => None,
            _ => {
                let ids = [m.entity_id.clone()];
                let records = self.entities.records(&mut conn, user_id, m.entity.into(), &ids).await;
                records.map_err(|e| SyncError::Internal(e.to_string()))?.pop().map(|(_, record)| record)
            }
        };
        Ok(Some(MutationResult {
            id: m.id.clone(),
            status: outcome.status,
            record,
            lost: outcome.lost,
            problem: outcome.problem,
        }))
    }
}

fn answer(m: &Mutation, status: Status, record: Option<Value>, lost: Vec<String>) -> MutationResult {
    MutationResult { id: m.id.clone(), status, record, lost, problem: None }
}

/// A refusal as problem+json says it elsewhere.
fn problem(refusal: Refusal) -> Problem {
    let detail = refusal.to_string();
    match refusal {
        Refusal::Invalid { field, .. } => Problem::invalid(&field, detail),
        Refusal::NotFound => Problem::not_found(detail),
        Refusal::Conflict(_) => Problem::new(StatusCode::CONFLICT, "conflict", detail),
        Refusal::Gone => Problem::new(StatusCode::GONE, "gone", detail),
        Refusal::ClockAhead => {
            Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "clock-ahead", detail).with_field("clock")
        }
        Refusal::Database(_) | Refusal::Other(_) => Problem::internal(&detail),
    }
}

fn other(e: serde_json::Error) -> Refusal {
    Refusal::Other(e.to_string())
}

fn sync_refusal(e: SyncError) -> Refusal {
    match e {
        SyncError::Sql(e) => Refusal::Database(e),
        other => Refusal::Other(other.to_string()),
    }
}
