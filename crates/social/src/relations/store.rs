//! Follows, follow requests, blocks and their counts.

use platform::db::Reads;
use sqlx::{AnyConnection, Row};

use crate::error::Result;

pub const PENDING: &str = "pending";
pub const ACCEPTED: &str = "accepted";

/// The state of `follower`'s follow of `followed`, if any.
pub async fn follow_state(conn: &mut impl Reads, follower: &str, followed: &str) -> Result<Option<String>> {
    let query = sqlx::query("SELECT state FROM follows WHERE follower_id = $1 AND followed_id = $2")
        .bind(follower)
        .bind(followed);
    let row = conn.fetch_optional(query).await?;
    Ok(row.map(|r| r.try_get("state")).transpose()?)
}

/// Adds the follow unless there is one; true when added.
pub async fn add_follow(
    conn: &mut AnyConnection,
    follower: &str,
    followed: &str,
    state: &str,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO follows (follower_id, followed_id, state, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (follower_id, followed_id) DO NOTHING",
    )
    .bind(follower)
    .bind(followed)
    .bind(state)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let added = done.rows_affected() == 1;
    if added && state == ACCEPTED {
        count(conn, follower, followed, 1).await?;
    }
    Ok(added)
}

/// Turns a pending request into a follow; false when there was none.
pub async fn accept(conn: &mut AnyConnection, follower: &str, followed: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE follows SET state = $1 WHERE follower_id = $2 AND followed_id = $3 AND state = $4")
        .bind(ACCEPTED)
        .bind(follower)
        .bind(followed)
        .bind(PENDING)
        .execute(&mut *conn)
        .await?;
    let accepted = done.rows_affected() == 1;
    if accepted {
        count(conn, follower, followed, 1).await?;
    }
    Ok(accepted)
}

/// Removes the follow or request, whichever there is; false when neither.
pub async fn remove_follow(conn: &mut AnyConnection, follower: &str, followed: &str) -> Result<bool> {
    let Some(state) = follow_state(conn, follower, followed).await? else { return Ok(false) };
    sqlx::query("DELETE FROM follows WHERE follower_id = $1 AND followed_id = $2")
        .bind(follower)
        .bind(followed)
        .execute(&mut *conn)
        .await?;
    if state == ACCEPTED {
        count(conn, follower, followed, -1).await?;
    }
    Ok(true)
}

async fn count(conn: &mut AnyConnection, follower: &str, followed: &str, by: i64) -> Result<()> {
    for (user, followers, following) in [(followed, by, 0), (follower, 0, by)] {
        sqlx::query(
            "INSERT INTO follow_counts (user_id, followers, following) VALUES ($1, $2, $3)
             ON CONFLICT (user_id) DO UPDATE SET followers = follow_counts.followers + excluded.followers,
                following = follow_counts.following + excluded.following",
        )
        .bind(user)
        .bind(followers)
        .bind(following)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// `(followers, following)` of the person.
pub async fn counts(conn: &mut impl Reads, user_id: &str) -> Result<(i64, i64)> {
    let query = sqlx::query("SELECT followers, following FROM follow_counts WHERE user_id = $1").bind(user_id);
    let row = conn.fetch_optional(query).await?;
    Ok(match row {
        Some(row) => (row.try_get("followers")?, row.try_get("following")?),
        None => (0, 0),
    })
}

/// People on one side of `user_id`'s follows in `state`, by id after `after`.
pub async fn people(
    conn: &mut impl Reads,
    user_id: &str,
    followers: bool,
    state: &str,
    after: &str,
    limit: i64,
) -> Result<Vec<String>> {
    let sql = if followers {
        "SELECT follower_id AS id FROM follows WHERE followed_id = $1 AND state = $2 AND follower_id > $3
         ORDER BY follower_id LIMIT $4"
    } else {
        "SELECT followed_id AS id FROM follows WHERE follower_id = $1 AND state = $2 AND followed_id > $3
         ORDER BY followed_id LIMIT $4"
    };
    let rows = conn.fetch_all(sqlx::query(sql).bind(user_id).bind(state).bind(after).bind(limit)).await?;
    rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
}

/// Everyone `user_id` follows (accepted): what decides their feed's privacy.
pub async fn all_followed(conn: &mut impl Reads, user_id: &str) -> Result<Vec<String>> {
    let query = sqlx::query("SELECT followed_id FROM follows WHERE follower_id = $1 AND state = $2")
        .bind(user_id)
        .bind(ACCEPTED);
    let rows = conn.fetch_all(query).await?;
    rows.iter().map(|r| Ok(r.try_get("followed_id")?)).collect()
}

/// Whether either blocked the other.
pub async fn blocked_either_way(conn: &mut impl Reads, a: &str, b: &str) -> Result<bool> {
    let query = sqlx::query(
        "SELECT 1 AS found FROM blocks WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1)",
    )
    .bind(a)
    .bind(b);
    let row = conn.fetch_optional(query).await?;
    Ok(row.is_some())
}

/// Everyone `user_id` blocked or was blocked by.
pub async fn blocked_around(conn: &mut impl Reads, user_id: &str) -> Result<Vec<String>> {
    let query = sqlx::query(
        "SELECT blocked_id AS id FROM blocks WHERE blocker_id = $1 UNION SELECT blocker_id AS id FROM blocks WHERE blocked_id = $1",
    )
    .bind(user_id);
    let rows = conn.fetch_all(query).await?;
    rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
}

/// The people `user_id` blocked, newest first.
pub async fn blocked_by(conn: &mut impl Reads, user_id: &str) -> Result<Vec<String>> {
    let query = sqlx::query("SELECT blocked_id FROM blocks WHERE blocker_id = $1 ORDER BY created_at DESC, blocked_id")
        .bind(user_id);
    let rows = conn.fetch_all(query).await?;
    rows.iter().map(|r| Ok(r.try_get("blocked_id")?)).collect()
}

pub async fn block(conn: &mut AnyConnection, blocker: &str, blocked: &str, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (blocker_id, blocked_id) DO NOTHING",
    )
    .bind(blocker)
    .bind(blocked)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn unblock(conn: &mut AnyConnection, blocker: &str, blocked: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2")
        .bind(blocker)
        .bind(blocked)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Every follow, request and block the person is part of, and the counts
/// of the people on the other side.
pub async fn erase_user(conn: &mut AnyConnection, user_id: &str) -> Result<()> {
    for other in people(conn, user_id, true, ACCEPTED, "", i64::MAX).await? {
        remove_follow(conn, &other, user_id).await?;
    }
    for other in people(conn, user_id, false, ACCEPTED, "", i64::MAX).await? {
        remove_follow(conn, user_id, &other).await?;
    }
    for sql in [
        "DELETE FROM follows WHERE follower_id = $1 OR followed_id = $1",
        "DELETE FROM blocks WHERE blocker_id = $1 OR blocked_id = $1",
        "DELETE FROM follow_counts WHERE user_id = $1",
    ] {
        sqlx::query(sql).bind(user_id).execute(&mut *conn).await?;
    }
    Ok(())
}
