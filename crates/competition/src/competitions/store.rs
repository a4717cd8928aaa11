//! Competitions' SQL.

use platform::db::{now_ms, NullableDouble, Reads};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::{Kind, Shelf, Stored};
use crate::error::{CompetitionError, Result};

const COLUMNS: &str = "id, organiser_id, title, description, kind, effort_m, sports, starts_at, ends_at, time_zone,
    invite_only, invite_code, region, entry_limit, entrants";

fn from_row(row: &AnyRow) -> Result<Stored> {
    let kind: String = row.try_get("kind")?;
    Ok(Stored {
        id: row.try_get("id")?,
        organiser_id: row.try_get("organiser_id")?,
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        kind: Kind::parse(&kind).ok_or_else(|| CompetitionError::Internal(format!("unknown kind {kind}")))?,
        effort_m: row.try_get("effort_m")?,
        sports: serde_json::from_str(&row.try_get::<String, _>("sports")?)?,
        starts_at: row.try_get("starts_at")?,
        ends_at: row.try_get("ends_at")?,
        time_zone: row.try_get("time_zone")?,
        invite_only: row.try_get::<i64, _>("invite_only")? != 0,
        invite_code: row.try_get("invite_code")?,
        region: row.try_get("region")?,
        entry_limit: row.try_get("entry_limit")?,
        entrants: row.try_get("entrants")?,
    })
}

pub async fn insert(conn: &mut AnyConnection, c: &Stored, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO competitions (id, organiser_id, title, description, kind, effort_m, sports, starts_at, ends_at,
            time_zone, invite_only, invite_code, region, entry_limit, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(&c.id)
    .bind(&c.organiser_id)
    .bind(&c.title)
    .bind(&c.description)
    .bind(c.kind.as_str())
    .bind(NullableDouble(c.effort_m))
    .bind(serde_json::to_string(&c.sports)?)
    .bind(c.starts_at)
    .bind(c.ends_at)
    .bind(&c.time_zone)
    .bind(c.invite_only as i64)
    .bind(&c.invite_code)
    .bind(&c.region)
    .bind(c.entry_limit)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn get(conn: &mut impl Reads, id: &str) -> Result<Option<Stored>> {
    let sql = format!("SELECT {COLUMNS} FROM competitions WHERE id = $1");
    conn.fetch_optional(sqlx::query(&sql).bind(id)).await?.as_ref().map(from_row).transpose()
}

/// Every competition: id and kind.
pub async fn every_board(conn: &mut AnyConnection) -> Result<Vec<(String, Kind)>> {
    let rows = sqlx::query("SELECT id, kind FROM competitions").fetch_all(conn).await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            Ok((r.try_get("id")?, Kind::parse(&kind).unwrap_or(Kind::Distance)))
        })
        .collect()
}

/// The competitions of `user_id`'s entries.
pub async fn entered_by(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<Stored>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM competitions
         WHERE id IN (SELECT competition_id FROM competition_entries WHERE user_id = $1) ORDER BY id"
    );
    sqlx::query(&sql).bind(user_id).fetch_all(conn).await?.iter().map(from_row).collect()
}

/// Where a page of a shelf ends: the ordering time and the id.
pub struct Cursor {
    pub at: i64,
    pub id: String,
}

impl Cursor {
    pub fn after(shelf: Shelf, last: &Stored) -> Self {
        let at = match shelf {
            Shelf::Open => last.starts_at,
            Shelf::Past => last.ends_at,
            Shelf::Joined | Shelf::Organised => last.starts_at,
        };
        Self { at, id: last.id.clone() }
    }

    pub fn encode(&self) -> String {
        format!("{}_{}", self.at, self.id)
    }

    pub fn decode(text: &str) -> Result<Self> {
        let bad = || CompetitionError::invalid("cursor", "the cursor is not one this server gave");
        let (at, id) = text.split_once('_').ok_or_else(bad)?;
        Ok(Self { at: at.parse().map_err(|_| bad())?, id: id.to_string() })
    }
}

pub async fn shelf(
    conn: &mut AnyConnection,
    shelf: Shelf,
    user_id: &str,
    now: i64,
    after: Option<&Cursor>,
    limit: i64,
) -> Result<Vec<Stored>> {
    let mine = "id IN (SELECT competition_id FROM competition_entries WHERE user_id = $1)";
    // Each shelf: which rows, the ordering column and its direction.
    let (filter, column, ascending) = match shelf {
        Shelf::Open => ("invite_only = 0 AND ends_at > $2 AND $1 = $1".to_string(), "starts_at", true),
        Shelf::Past => (format!("ends_at <= $2 AND (invite_only = 0 OR {mine})"), "ends_at", false),
        Shelf::Joined => (format!("{mine} AND $2 = $2"), "starts_at", false),
        Shelf::Organised => ("organiser_id = $1 AND $2 = $2".to_string(), "starts_at", false),
    };
    let (op, order) = if ascending { (">", "ASC") } else { ("<", "DESC") };
    // Without a cursor, a time before (or after) any: every row passes.
    let (at, id) =
        after.map(|c| (c.at, c.id.clone())).unwrap_or((if ascending { i64::MIN } else { i64::MAX }, String::new()));
    let sql = format!(
        "SELECT {COLUMNS} FROM competitions WHERE {filter}
         AND ({column} {op} $3 OR ({column} = $3 AND id {op} $4))
         ORDER BY {column} {order}, id {order} LIMIT $5"
    );
    sqlx::query(&sql)
        .bind(user_id)
        .bind(now)
        .bind(at)
        .bind(id)
        .bind(limit)
        .fetch_all(conn)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

pub async fn delete(conn: &mut AnyConnection, id: &str) -> Result<()> {
    // The board and its facets' boards, counted from no entries: none left.
    let board = crate::boards::store::competition_board_name(id);
    crate::boards::store::replace_counts(conn, &board, Default::default()).await?;
    for sql in [
        "DELETE FROM competition_entries WHERE competition_id = $1",
        "DELETE FROM competition_teams WHERE competition_id = $1",
        "DELETE FROM competitions WHERE id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Counts an entry in or out; false when the competition is full.
pub async fn count_entrant(conn: &mut AnyConnection, id: &str, change: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE competitions SET entrants = entrants + $2
         WHERE id = $1 AND ($2 < 0 OR entry_limit IS NULL OR entrants < entry_limit)",
    )
    .bind(id)
    .bind(change)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Waits for, then holds until commit, the turn of changes to the
/// competition's boards. Whatever moves a result on them takes it before
/// its first change there (after the person's turn, and competitions in
/// the order of their ids): two changes taking their rows in different
/// orders would otherwise wait on each other, and one of them fail.
pub async fn take_board_turn(conn: &mut AnyConnection, id: &str) -> Result<()> {
    sqlx::query("UPDATE competitions SET board_version = board_version WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// Notes that the board changed, for live updates on every replica.
pub async fn touch_board(conn: &mut AnyConnection, id: &str) -> Result<()> {
    sqlx::query("UPDATE competitions SET board_version = board_version + 1, board_changed = $2 WHERE id = $1")
        .bind(id)
        .bind(now_ms())
        .execute(conn)
        .await?;
    Ok(())
}

/// The boards changed since `since` (epoch ms): id and version.
pub async fn changed_boards(conn: &mut AnyConnection, since: i64) -> Result<Vec<(String, i64, i64)>> {
    let rows = sqlx::query("SELECT id, board_version, board_changed FROM competitions WHERE board_changed >= $1")
        .bind(since)
        .fetch_all(conn)
        .await?;
    rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("board_version")?, r.try_get("board_changed")?))).collect()
}

/// Competitions whose start or end passed and whose entrants were not told yet.
pub async fn to_announce(conn: &mut AnyConnection, now: i64) -> Result<(Vec<Stored>, Vec<Stored>)> {
    let started =
        format!("SELECT {COLUMNS} FROM competitions WHERE started_told = 0 AND starts_at <= $1 AND ends_at > $1");
    let ended = format!("SELECT {COLUMNS} FROM competitions WHERE ended_told = 0 AND ends_at <= $1");
    let started =
        sqlx::query(&started).bind(now).fetch_all(&mut *conn).await?.iter().map(from_row).collect::<Result<_>>()?;
    let ended =
        sqlx::query(&ended).bind(now).fetch_all(&mut *conn).await?.iter().map(from_row).collect::<Result<_>>()?;
    Ok((started, ended))
}

/// Marks the start (or end) told; false when another worker did first.
pub async fn mark_told(conn: &mut AnyConnection, id: &str, end: bool) -> Result<bool> {
    let sql = if end {
        "UPDATE competitions SET ended_told = 1, started_told = 1 WHERE id = $1 AND ended_told = 0"
    } else {
        "UPDATE competitions SET started_told = 1 WHERE id = $1 AND started_told = 0"
    };
    Ok(sqlx::query(sql).bind(id).execute(conn).await?.rows_affected() == 1)
}
