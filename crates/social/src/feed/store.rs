//! The feed's SQL: entries written out to followers, and a page read from
//! them, one's own trainings and those of authors read rather than written.

use platform::db::Reads;
use sqlx::{AnyConnection, Row};

use super::Position;
use crate::error::Result;
use crate::relations::ACCEPTED;
use crate::trainings::store::{from_row, COLUMNS};
use crate::trainings::Training;

/// Writes the training into the feed of each of its author's followers.
pub async fn write_out(conn: &mut AnyConnection, t: &Training) -> Result<()> {
    sqlx::query(
        "INSERT INTO feed_entries (owner_id, workout_id, author_id, started_at)
         SELECT follower_id, $1, $2, $3 FROM follows WHERE followed_id = $2 AND state = $4
         ON CONFLICT (owner_id, workout_id) DO UPDATE SET started_at = excluded.started_at",
    )
    .bind(&t.workout_id)
    .bind(&t.user_id)
    .bind(t.started_at)
    .bind(ACCEPTED)
    .execute(conn)
    .await?;
    Ok(())
}

/// The newest trainings of someone just followed, into the follower's feed.
pub async fn backfill(conn: &mut AnyConnection, owner: &str, author: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO feed_entries (owner_id, workout_id, author_id, started_at)
         SELECT $1, workout_id, user_id, started_at FROM social_trainings
         WHERE user_id = $2 AND deleted = 0 AND privacy <> 'private' ORDER BY started_at DESC LIMIT 100
         ON CONFLICT (owner_id, workout_id) DO NOTHING",
    )
    .bind(owner)
    .bind(author)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn forget_training(conn: &mut AnyConnection, workout_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM feed_entries WHERE workout_id = $1").bind(workout_id).execute(conn).await?;
    Ok(())
}

/// Takes `author`'s trainings out of `owner`'s feed.
pub async fn forget_author(conn: &mut AnyConnection, owner: &str, author: &str) -> Result<()> {
    sqlx::query("DELETE FROM feed_entries WHERE owner_id = $1 AND author_id = $2")
        .bind(owner)
        .bind(author)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn erase_user(conn: &mut AnyConnection, user_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM feed_entries WHERE owner_id = $1 OR author_id = $1").bind(user_id).execute(conn).await?;
    Ok(())
}

/// The people `viewer` follows whose trainings are not written out.
pub async fn big_authors(conn: &mut impl Reads, viewer: &str, limit: i64) -> Result<Vec<String>> {
    let query = sqlx::query(
        "SELECT f.followed_id FROM follows f JOIN follow_counts c ON c.user_id = f.followed_id
         WHERE f.follower_id = $1 AND f.state = $2 AND c.followers > $3",
    )
    .bind(viewer)
    .bind(ACCEPTED)
    .bind(limit);
    let rows = conn.fetch_all(query).await?;
    rows.iter().map(|r| Ok(r.try_get("followed_id")?)).collect()
}

/// The newest trainings before `before` from the viewer's entries, their
/// own, and the big authors', each list read by its index and merged.
pub async fn candidates(
    conn: &mut impl Reads,
    viewer: &str,
    big: &[String],
    before: Option<&Position>,
    limit: i64,
) -> Result<Vec<Training>> {
    // Each list is read in the order of its own index, `(owner_id,
    // started_at, workout_id)` for the entries and `(user_id, started_at,
    // workout_id)` for trainings, and stops after `limit` rows: the entries
    // are ordered and bounded by their own copy of the start (which fan-out
    // keeps equal to the training's), not the joined training's, which
    // would join and sort every entry of the feed first. The bound is
    // written `started_at <= at AND (…)` so that both databases seek to it.
    let earlier = |t: &str| format!("{t}.started_at <= $2 AND ({t}.started_at < $2 OR {t}.workout_id < $3)");
    let order = |t: &str| format!("ORDER BY {t}.started_at DESC, {t}.workout_id DESC LIMIT $4");
    let columns = COLUMNS.split(", ").map(|c| format!("t.{c}")).collect::<Vec<_>>().join(", ");
    let mut parts = vec![
        format!(
            "SELECT * FROM (SELECT {columns} FROM feed_entries e JOIN social_trainings t ON t.workout_id = e.workout_id
             WHERE e.owner_id = $1 AND t.deleted = 0 AND {} {}) a",
            earlier("e"),
            order("e")
        ),
        format!(
            "SELECT * FROM (SELECT {columns} FROM social_trainings t WHERE t.user_id = $1 AND t.deleted = 0 AND {} {}) b",
            earlier("t"),
            order("t")
        ),
    ];
    if !big.is_empty() {
        let authors = (0..big.len()).map(|i| format!("${}", i + 5)).collect::<Vec<_>>().join(", ");
        parts.push(format!(
            "SELECT * FROM (SELECT {columns} FROM social_trainings t
             WHERE t.user_id IN ({authors}) AND t.deleted = 0 AND t.privacy <> 'private' AND {} {}) c",
            earlier("t"),
            order("t")
        ));
    }
    let sql =
        format!("SELECT * FROM ({}) x ORDER BY started_at DESC, workout_id DESC LIMIT $4", parts.join(" UNION ALL "));
    let (at, id) = before.map_or((i64::MAX, String::new()), |p| (p.started_at, p.workout_id.clone()));
    let mut query = sqlx::query(&sql).bind(viewer).bind(at).bind(id).bind(limit);
    for author in big {
        query = query.bind(author);
    }
    let rows = conn.fetch_all(query).await?;
    let mut trainings: Vec<Training> = rows.iter().map(from_row).collect::<Result<_>>()?;
    // One's own training written out to oneself would come twice.
    trainings.dedup_by(|a, b| a.workout_id == b.workout_id);
    Ok(trainings)
}
