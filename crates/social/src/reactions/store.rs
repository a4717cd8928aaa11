//! Kudos' and comments' SQL.

use std::collections::HashMap;

use platform::db::Reads;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::StoredComment;
use crate::error::Result;

/// Gives kudos unless given; true when new.
pub async fn add_kudos(conn: &mut AnyConnection, workout_id: &str, user_id: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO kudos (workout_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (workout_id, user_id) DO NOTHING",
    )
    .bind(workout_id)
    .bind(user_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn remove_kudos(conn: &mut AnyConnection, workout_id: &str, user_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM kudos WHERE workout_id = $1 AND user_id = $2")
        .bind(workout_id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Per training: kudos, visible comments, and whether `viewer` gave kudos.
pub async fn counts(conn: &mut impl Reads, viewer: &str, ids: &[String]) -> Result<HashMap<String, (i64, i64, bool)>> {
    let mut out = HashMap::new();
    for id in ids {
        let query = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM kudos WHERE workout_id = $1) AS kudos,
                    (SELECT COUNT(*) FROM comments WHERE workout_id = $1 AND hidden = 0) AS comments,
                    (SELECT COUNT(*) FROM kudos WHERE workout_id = $1 AND user_id = $2) AS mine",
        )
        .bind(id)
        .bind(viewer);
        let row = conn.fetch_one(query).await?;
        out.insert(id.clone(), (row.try_get("kudos")?, row.try_get("comments")?, row.try_get::<i64, _>("mine")? > 0));
    }
    Ok(out)
}

const COLUMNS: &str = "id, workout_id, author_id, body, hidden, created_at, edited_at";

fn from_row(row: &AnyRow) -> Result<StoredComment> {
    Ok(StoredComment {
        id: row.try_get("id")?,
        workout_id: row.try_get("workout_id")?,
        author_id: row.try_get("author_id")?,
        body: row.try_get("body")?,
        hidden: row.try_get::<i64, _>("hidden")? != 0,
        created_at: row.try_get("created_at")?,
        edited_at: row.try_get("edited_at")?,
    })
}

pub async fn add_comment(conn: &mut AnyConnection, c: &StoredComment) -> Result<()> {
    let sql = format!("INSERT INTO comments ({COLUMNS}) VALUES ($1, $2, $3, $4, 0, $5, NULL)");
    sqlx::query(&sql)
        .bind(&c.id)
        .bind(&c.workout_id)
        .bind(&c.author_id)
        .bind(&c.body)
        .bind(c.created_at)
        .execute(conn)
        .await?;
    Ok(())
}

/// Counts one more comment by `author` in `hour`; how many that makes. The
/// upsert locks the row until the transaction ends, so counts never race.
pub async fn count_comment(conn: &mut AnyConnection, author: &str, hour: i64) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO comment_quota (user_id, hour, written) VALUES ($1, $2, 1)
         ON CONFLICT (user_id, hour) DO UPDATE SET written = comment_quota.written + 1 RETURNING written",
    )
    .bind(author)
    .bind(hour)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get("written")?)
}

pub async fn comments(conn: &mut AnyConnection, workout_id: &str) -> Result<Vec<StoredComment>> {
    let sql = format!("SELECT {COLUMNS} FROM comments WHERE workout_id = $1 ORDER BY id LIMIT 500");
    sqlx::query(&sql).bind(workout_id).fetch_all(conn).await?.iter().map(from_row).collect()
}

pub async fn comment(conn: &mut AnyConnection, workout_id: &str, id: &str) -> Result<Option<StoredComment>> {
    let sql = format!("SELECT {COLUMNS} FROM comments WHERE id = $1 AND workout_id = $2");
    sqlx::query(&sql).bind(id).bind(workout_id).fetch_optional(conn).await?.as_ref().map(from_row).transpose()
}

/// A comment wherever it is, for moderation.
pub async fn comment_by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<StoredComment>> {
    let sql = format!("SELECT {COLUMNS} FROM comments WHERE id = $1");
    sqlx::query(&sql).bind(id).fetch_optional(conn).await?.as_ref().map(from_row).transpose()
}

pub async fn update_comment(conn: &mut AnyConnection, c: &StoredComment) -> Result<()> {
    sqlx::query("UPDATE comments SET body = $1, edited_at = $2, hidden = $3 WHERE id = $4")
        .bind(&c.body)
        .bind(c.edited_at)
        .bind(i64::from(c.hidden))
        .bind(&c.id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete_comment(conn: &mut AnyConnection, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM comments WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// What the person gave and wrote, for their export.
pub async fn given_by(conn: &mut AnyConnection, user_id: &str) -> Result<(Vec<String>, Vec<StoredComment>)> {
    let kudos = sqlx::query("SELECT workout_id FROM kudos WHERE user_id = $1 ORDER BY created_at")
        .bind(user_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get("workout_id"))
        .collect::<Result<Vec<String>, _>>()?;
    let sql = format!("SELECT {COLUMNS} FROM comments WHERE author_id = $1 ORDER BY id");
    let comments =
        sqlx::query(&sql).bind(user_id).fetch_all(conn).await?.iter().map(from_row).collect::<Result<_>>()?;
    Ok((kudos, comments))
}

pub async fn erase_user(conn: &mut AnyConnection, user_id: &str) -> Result<()> {
    for sql in [
        "DELETE FROM kudos WHERE user_id = $1",
        "DELETE FROM comments WHERE author_id = $1",
        "DELETE FROM comment_quota WHERE user_id = $1",
    ] {
        sqlx::query(sql).bind(user_id).execute(&mut *conn).await?;
    }
    Ok(())
}
