//! Entries' and teams' SQL.

use platform::db::{NullableDouble, Reads};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::{Entry, Team};
use crate::error::Result;
use crate::people::EntrantFacts;
use crate::results::score::Score;

pub const COLUMNS: &str = "competition_id, user_id, team_id, private_entry, tell_overtaken, joined_at, score,
    place_key, achieved_at, workout_id, trainings, disqualified, dq_reason, sex, birth_year, weight_kg, home_area";

pub fn from_row(row: &AnyRow) -> Result<Entry> {
    Ok(Entry {
        user_id: row.try_get("user_id")?,
        team_id: row.try_get("team_id")?,
        private_entry: row.try_get::<i64, _>("private_entry")? != 0,
        tell_overtaken: row.try_get::<i64, _>("tell_overtaken")? != 0,
        joined_at: platform::db::rfc3339(row.try_get("joined_at")?),
        score: row.try_get("score")?,
        place_key: row.try_get("place_key")?,
        achieved_at: row.try_get("achieved_at")?,
        workout_id: row.try_get("workout_id")?,
        trainings: row.try_get("trainings")?,
        disqualified: row.try_get::<i64, _>("disqualified")? != 0,
        disqualification_reason: row.try_get("dq_reason")?,
        facts: EntrantFacts {
            sex: row.try_get("sex")?,
            birth_year: row.try_get::<Option<i32>, _>("birth_year").or_else(|_| {
                row.try_get::<Option<i64>, _>("birth_year").map(|y| y.and_then(|y| i32::try_from(y).ok()))
            })?,
            weight_kg: row.try_get("weight_kg")?,
            home_area: row.try_get("home_area")?,
        },
    })
}

/// Hands each entry on a competition's board to `each`, in no order and
/// one at a time (a board may hold millions): for a recount.
pub async fn each_counted(conn: &mut AnyConnection, competition_id: &str, mut each: impl FnMut(Entry)) -> Result<()> {
    use futures::TryStreamExt;
    let sql = format!(
        "SELECT {COLUMNS} FROM competition_entries
         WHERE competition_id = $1 AND disqualified = 0 AND place_key IS NOT NULL"
    );
    let mut rows = sqlx::query(&sql).bind(competition_id).fetch(conn);
    while let Some(row) = rows.try_next().await? {
        each(from_row(&row)?);
    }
    Ok(())
}

pub async fn get(conn: &mut impl Reads, competition_id: &str, user_id: &str) -> Result<Option<Entry>> {
    let sql = format!("SELECT {COLUMNS} FROM competition_entries WHERE competition_id = $1 AND user_id = $2");
    conn.fetch_optional(sqlx::query(&sql).bind(competition_id).bind(user_id)).await?.as_ref().map(from_row).transpose()
}

pub struct NewEntry<'a> {
    pub competition_id: &'a str,
    pub user_id: &'a str,
    pub team_id: Option<&'a str>,
    pub private_entry: bool,
    pub tell_overtaken: bool,
    pub facts: &'a EntrantFacts,
    pub now: i64,
}

/// Enters, or changes the entry's choices; true when it is new. The
/// insert decides, so two requests at once count one entrant.
pub async fn upsert(conn: &mut AnyConnection, e: &NewEntry<'_>) -> Result<bool> {
    let inserted = sqlx::query(
        "INSERT INTO competition_entries (competition_id, user_id, team_id, private_entry, tell_overtaken, joined_at,
            sex, birth_year, weight_kg, home_area) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (competition_id, user_id) DO NOTHING",
    )
    .bind(e.competition_id)
    .bind(e.user_id)
    .bind(e.team_id)
    .bind(e.private_entry as i64)
    .bind(e.tell_overtaken as i64)
    .bind(e.now)
    .bind(&e.facts.sex)
    .bind(e.facts.birth_year.map(i64::from))
    .bind(NullableDouble(e.facts.weight_kg))
    .bind(&e.facts.home_area)
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(true);
    }
    sqlx::query(
        "UPDATE competition_entries SET team_id = $3, private_entry = $4, tell_overtaken = $5, sex = $6,
            birth_year = $7, weight_kg = $8, home_area = $9 WHERE competition_id = $1 AND user_id = $2",
    )
    .bind(e.competition_id)
    .bind(e.user_id)
    .bind(e.team_id)
    .bind(e.private_entry as i64)
    .bind(e.tell_overtaken as i64)
    .bind(&e.facts.sex)
    .bind(e.facts.birth_year.map(i64::from))
    .bind(NullableDouble(e.facts.weight_kg))
    .bind(&e.facts.home_area)
    .execute(conn)
    .await?;
    Ok(false)
}

pub async fn delete(conn: &mut AnyConnection, competition_id: &str, user_id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM competition_entries WHERE competition_id = $1 AND user_id = $2")
        .bind(competition_id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_result(
    conn: &mut AnyConnection,
    competition_id: &str,
    user_id: &str,
    score: Option<&Score>,
    place_key: Option<f64>,
) -> Result<()> {
    sqlx::query(
        "UPDATE competition_entries SET score = $3, place_key = $4, achieved_at = $5, workout_id = $6, trainings = $7
         WHERE competition_id = $1 AND user_id = $2",
    )
    .bind(competition_id)
    .bind(user_id)
    .bind(NullableDouble(score.map(|s| s.value)))
    .bind(NullableDouble(place_key))
    .bind(score.map(|s| s.achieved_at))
    .bind(score.and_then(|s| s.workout_id.clone()))
    .bind(score.map(|s| s.trainings).unwrap_or(0))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_disqualified(
    conn: &mut AnyConnection,
    competition_id: &str,
    user_id: &str,
    reason: Option<&str>,
    by: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE competition_entries SET disqualified = $3, dq_reason = $4, dq_by = $5
         WHERE competition_id = $1 AND user_id = $2",
    )
    .bind(competition_id)
    .bind(user_id)
    .bind(reason.is_some() as i64)
    .bind(reason)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Entrants who asked to hear when overtaken, ranked between two keys.
/// The first `n` of the whole board, best first: who they are, their key,
/// and whether they asked to be told when overtaken. Reads `n` index rows.
pub async fn leaders(conn: &mut AnyConnection, competition_id: &str, n: i64) -> Result<Vec<(String, f64, bool)>> {
    let rows = sqlx::query(
        "SELECT user_id, place_key, tell_overtaken FROM competition_entries
         WHERE competition_id = $1 AND disqualified = 0 AND place_key IS NOT NULL
         ORDER BY place_key, achieved_at, user_id LIMIT $2",
    )
    .bind(competition_id)
    .bind(n)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("user_id")?, r.try_get("place_key")?, r.try_get::<i64, _>("tell_overtaken")? != 0)))
        .collect()
}

pub async fn entrant_ids(conn: &mut AnyConnection, competition_id: &str) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT user_id FROM competition_entries WHERE competition_id = $1")
        .bind(competition_id)
        .fetch_all(conn)
        .await?;
    rows.iter().map(|r| Ok(r.try_get("user_id")?)).collect()
}

pub async fn of_person(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<(String, Entry)>> {
    // In the order of the competitions' ids: the order their boards' turns are taken in.
    let sql = format!("SELECT {COLUMNS} FROM competition_entries WHERE user_id = $1 ORDER BY competition_id");
    let rows = sqlx::query(&sql).bind(user_id).fetch_all(conn).await?;
    rows.iter().map(|r| Ok((r.try_get("competition_id")?, from_row(r)?))).collect()
}

// Teams.

fn team_from_row(row: &AnyRow) -> Result<Team> {
    Ok(Team {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        members: row.try_get("members")?,
        score: row.try_get("score")?,
    })
}

pub async fn team(conn: &mut AnyConnection, competition_id: &str, team_id: &str) -> Result<Option<Team>> {
    sqlx::query("SELECT id, name, members, score FROM competition_teams WHERE competition_id = $1 AND id = $2")
        .bind(competition_id)
        .bind(team_id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(team_from_row)
        .transpose()
}

/// A new team; false when the name is taken in this competition.
pub async fn insert_team(
    conn: &mut AnyConnection,
    competition_id: &str,
    id: &str,
    name: &str,
    by: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO competition_teams (id, competition_id, name, created_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (competition_id, name) DO NOTHING",
    )
    .bind(id)
    .bind(competition_id)
    .bind(name)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Counts the team's members and adds up their results again (the mean
/// for times: a sum of times ranks nothing).
pub async fn refresh_team(conn: &mut AnyConnection, competition_id: &str, team_id: &str, mean: bool) -> Result<()> {
    // Lock the team first: the sum below then reads every member's result
    // committed before, not those of the statement's start.
    sqlx::query("UPDATE competition_teams SET members = members WHERE competition_id = $1 AND id = $2")
        .bind(competition_id)
        .bind(team_id)
        .execute(&mut *conn)
        .await?;
    let aggregate = if mean { "AVG(score)" } else { "SUM(score)" };
    let sql = format!(
        "UPDATE competition_teams SET
            members = (SELECT COUNT(*) FROM competition_entries WHERE competition_id = $1 AND team_id = $2),
            score = (SELECT {aggregate} FROM competition_entries
                     WHERE competition_id = $1 AND team_id = $2 AND disqualified = 0 AND score IS NOT NULL)
         WHERE competition_id = $1 AND id = $2"
    );
    sqlx::query(&sql).bind(competition_id).bind(team_id).execute(conn).await?;
    Ok(())
}

/// The teams, best first.
pub async fn teams(conn: &mut AnyConnection, competition_id: &str, lower_wins: bool) -> Result<Vec<Team>> {
    let order = if lower_wins { "ASC" } else { "DESC" };
    let sql = format!(
        "SELECT id, name, members, score FROM competition_teams WHERE competition_id = $1
         ORDER BY CASE WHEN score IS NULL THEN 1 ELSE 0 END, score {order}, name LIMIT 500"
    );
    sqlx::query(&sql).bind(competition_id).fetch_all(conn).await?.iter().map(team_from_row).collect()
}

/// Removes a person's entries; each as it was, with its competition's id.
pub async fn erase_user(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<(String, Entry)>> {
    let left = of_person(conn, user_id).await?;
    sqlx::query("DELETE FROM competition_entries WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    Ok(left)
}
