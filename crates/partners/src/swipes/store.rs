//! Swipes', matches' and pairs' SQL.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::StoredSwipe;
use crate::chat::pair;
use crate::error::Result;

fn swipe(row: &AnyRow) -> Result<StoredSwipe, sqlx::Error> {
    Ok(StoredSwipe {
        id: row.try_get("id")?,
        swiper_id: row.try_get("swiper_id")?,
        target_id: row.try_get("target_id")?,
        yes: row.try_get::<i64, _>("yes")? != 0,
        created_at: row.try_get("created_at")?,
    })
}

/// Makes the two people's swipes and matches take turns: the pair's row
/// stays locked until the transaction ends, so the second of two yeses at
/// the same moment reads the first.
pub async fn take_turn(conn: &mut AnyConnection, x: &str, y: &str) -> Result<()> {
    let (a, b) = pair(x, y);
    sqlx::query(
        "INSERT INTO partner_pairs (a_id, b_id, turns) VALUES ($1, $2, 1)
         ON CONFLICT (a_id, b_id) DO UPDATE SET turns = partner_pairs.turns + 1",
    )
    .bind(a)
    .bind(b)
    .execute(conn)
    .await?;
    Ok(())
}

/// Adds the swipe; false when the swiper swiped the target already.
pub async fn add(conn: &mut AnyConnection, s: &StoredSwipe) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO partner_swipes (id, swiper_id, target_id, yes, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (swiper_id, target_id) DO NOTHING",
    )
    .bind(&s.id)
    .bind(&s.swiper_id)
    .bind(&s.target_id)
    .bind(s.yes as i64)
    .bind(s.created_at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn said_yes(conn: &mut AnyConnection, swiper: &str, target: &str) -> Result<bool> {
    let row = sqlx::query("SELECT yes FROM partner_swipes WHERE swiper_id = $1 AND target_id = $2")
        .bind(swiper)
        .bind(target)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| r.try_get::<i64, _>("yes")).transpose()?.is_some_and(|yes| yes != 0))
}

pub async fn made_since(conn: &mut AnyConnection, swiper: &str, since: i64) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM partner_swipes WHERE swiper_id = $1 AND created_at >= $2")
        .bind(swiper)
        .bind(since)
        .fetch_one(conn)
        .await?;
    Ok(row.try_get("n")?)
}

pub async fn last(conn: &mut AnyConnection, swiper: &str) -> Result<Option<StoredSwipe>> {
    let row = sqlx::query(
        "SELECT id, swiper_id, target_id, yes, created_at FROM partner_swipes WHERE swiper_id = $1
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(swiper)
    .fetch_optional(conn)
    .await?;
    Ok(row.as_ref().map(swipe).transpose()?)
}

pub async fn remove(conn: &mut AnyConnection, id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM partner_swipes WHERE id = $1").bind(id).execute(conn).await?;
    Ok(done.rows_affected() == 1)
}

pub async fn add_match(conn: &mut AnyConnection, x: &str, y: &str, now: i64) -> Result<()> {
    let (a, b) = pair(x, y);
    sqlx::query(
        "INSERT INTO partner_matches (a_id, b_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (a_id, b_id) DO NOTHING",
    )
    .bind(a)
    .bind(b)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn matched(conn: &mut AnyConnection, x: &str, y: &str) -> Result<bool> {
    let (a, b) = pair(x, y);
    let row = sqlx::query("SELECT 1 AS one FROM partner_matches WHERE a_id = $1 AND b_id = $2")
        .bind(a)
        .bind(b)
        .fetch_optional(conn)
        .await?;
    Ok(row.is_some())
}

pub async fn remove_match(conn: &mut AnyConnection, x: &str, y: &str) -> Result<bool> {
    let (a, b) = pair(x, y);
    let done =
        sqlx::query("DELETE FROM partner_matches WHERE a_id = $1 AND b_id = $2").bind(a).bind(b).execute(conn).await?;
    Ok(done.rows_affected() == 1)
}

/// The other person, when, and the conversation, newest first.
pub async fn matches_of(conn: &mut AnyConnection, me: &str) -> Result<Vec<(String, i64, Option<String>)>> {
    let rows = sqlx::query(
        "SELECT CASE WHEN m.a_id = $1 THEN m.b_id ELSE m.a_id END AS other, m.created_at, c.id AS conversation_id
         FROM partner_matches m LEFT JOIN conversations c ON c.a_id = m.a_id AND c.b_id = m.b_id
         WHERE m.a_id = $1 OR m.b_id = $1 ORDER BY m.created_at DESC",
    )
    .bind(me)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("other")?, r.try_get("created_at")?, r.try_get("conversation_id")?))).collect()
}

/// Everything `user_id` swiped, and their matches, for their export.
pub async fn swipes_by(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<StoredSwipe>> {
    let rows = sqlx::query(
        "SELECT id, swiper_id, target_id, yes, created_at FROM partner_swipes WHERE swiper_id = $1 ORDER BY id",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(swipe).collect::<Result<_, _>>()?)
}

pub async fn erase_user(conn: &mut AnyConnection, user_id: &str) -> Result<()> {
    for sql in [
        "DELETE FROM partner_swipes WHERE swiper_id = $1 OR target_id = $1",
        "DELETE FROM partner_matches WHERE a_id = $1 OR b_id = $1",
        "DELETE FROM partner_pairs WHERE a_id = $1 OR b_id = $1",
    ] {
        sqlx::query(sql).bind(user_id).execute(&mut *conn).await?;
    }
    Ok(())
}
