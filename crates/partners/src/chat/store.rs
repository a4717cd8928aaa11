//! Conversations' and messages' SQL.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::{pair, Listed, Message, Stored};
use crate::error::Result;

const CONVERSATION: &str = "c.id, c.a_id, c.b_id, c.via_match, c.ended_at, c.created_at, c.last_seq";
const MESSAGE: &str = "id, conversation_id, seq, sender_id, body, sent_at, deleted";

fn conversation(row: &AnyRow) -> Result<Stored, sqlx::Error> {
    Ok(Stored {
        id: row.try_get("id")?,
        a_id: row.try_get("a_id")?,
        b_id: row.try_get("b_id")?,
        via_match: row.try_get::<i64, _>("via_match")? != 0,
        ended_at: row.try_get("ended_at")?,
        created_at: row.try_get("created_at")?,
        last_seq: row.try_get("last_seq")?,
    })
}

fn message_row(row: &AnyRow, prefix: &str) -> Result<Message, sqlx::Error> {
    let col = |name: &str| format!("{prefix}{name}");
    Ok(Message {
        id: row.try_get(col("id").as_str())?,
        conversation_id: row.try_get(col("conversation_id").as_str())?,
        seq: row.try_get(col("seq").as_str())?,
        sender_id: row.try_get(col("sender_id").as_str())?,
        body: row.try_get(col("body").as_str())?,
        sent_at: platform::db::rfc3339(row.try_get(col("sent_at").as_str())?),
        deleted: row.try_get::<i64, _>(col("deleted").as_str())? != 0,
    })
}

pub async fn get(conn: &mut AnyConnection, id: &str) -> Result<Option<Stored>> {
    let sql = format!("SELECT {CONVERSATION} FROM conversations c WHERE c.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(conn).await?;
    Ok(row.as_ref().map(conversation).transpose()?)
}

pub async fn between(conn: &mut AnyConnection, x: &str, y: &str) -> Result<Option<Stored>> {
    let (a, b) = pair(x, y);
    let sql = format!("SELECT {CONVERSATION} FROM conversations c WHERE c.a_id = $1 AND c.b_id = $2");
    let row = sqlx::query(&sql).bind(a).bind(b).fetch_optional(conn).await?;
    Ok(row.as_ref().map(conversation).transpose()?)
}

/// The conversation between the two, made if there was none and reopened
/// if it had ended.
pub async fn open(conn: &mut AnyConnection, x: &str, y: &str, via_match: bool, now: i64) -> Result<Stored> {
    let (a, b) = pair(x, y);
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO conversations (id, a_id, b_id, via_match, ended_at, created_at, last_seq, last_message_at)
         VALUES ($1, $2, $3, $4, NULL, $5, 0, $5) ON CONFLICT (a_id, b_id) DO NOTHING",
    )
    .bind(&id)
    .bind(a)
    .bind(b)
    .bind(via_match as i64)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE conversations SET ended_at = NULL, via_match = CASE WHEN $3 = 1 THEN 1 ELSE via_match END
         WHERE a_id = $1 AND b_id = $2",
    )
    .bind(a)
    .bind(b)
    .bind(via_match as i64)
    .execute(&mut *conn)
    .await?;
    let stored = between(conn, a, b).await?.ok_or(sqlx::Error::RowNotFound)?;
    for person in [a, b] {
        sqlx::query(
            "INSERT INTO conversation_members (conversation_id, user_id, delivered_seq, read_seq, mailed_seq, mailed_at)
             VALUES ($1, $2, 0, 0, 0, 0) ON CONFLICT (conversation_id, user_id) DO NOTHING",
        )
        .bind(&stored.id)
        .bind(person)
        .execute(&mut *conn)
        .await?;
    }
    Ok(stored)
}

/// Ends it; false when it had ended already (or is not there).
pub async fn end(conn: &mut AnyConnection, id: &str, now: i64) -> Result<bool> {
    let done = sqlx::query("UPDATE conversations SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes a conversation nobody wrote in; false when it has messages.
pub async fn remove_if_empty(conn: &mut AnyConnection, id: &str) -> Result<bool> {
    let done =
        sqlx::query("DELETE FROM conversations WHERE id = $1 AND last_seq = 0").bind(id).execute(&mut *conn).await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM conversation_members WHERE conversation_id = $1").bind(id).execute(conn).await?;
    Ok(true)
}

/// Numbers the next message; none when the conversation ended. The row is
/// locked until the transaction ends, so sends to it take turns.
pub async fn next_seq(conn: &mut AnyConnection, id: &str, now: i64) -> Result<Option<i64>> {
    let row = sqlx::query(
        "UPDATE conversations SET last_seq = last_seq + 1, last_message_at = $2
         WHERE id = $1 AND ended_at IS NULL RETURNING last_seq",
    )
    .bind(id)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| r.try_get("last_seq")).transpose()?)
}

/// Adds the message; false when the sender used its client id already.
pub async fn add_message(conn: &mut AnyConnection, m: &Message, client_id: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO chat_messages (id, conversation_id, seq, sender_id, client_id, body, sent_at, deleted)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0) ON CONFLICT (sender_id, client_id) DO NOTHING",
    )
    .bind(&m.id)
    .bind(&m.conversation_id)
    .bind(m.seq)
    .bind(&m.sender_id)
    .bind(client_id)
    .bind(&m.body)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn message_by_client(conn: &mut AnyConnection, sender: &str, client_id: &str) -> Result<Option<Message>> {
    let sql = format!("SELECT {MESSAGE} FROM chat_messages WHERE sender_id = $1 AND client_id = $2");
    let row = sqlx::query(&sql).bind(sender).bind(client_id).fetch_optional(conn).await?;
    Ok(row.map(|r| message_row(&r, "")).transpose()?)
}

pub async fn message(conn: &mut AnyConnection, conversation_id: &str, id: &str) -> Result<Option<Message>> {
    let sql = format!("SELECT {MESSAGE} FROM chat_messages WHERE id = $1 AND conversation_id = $2");
    let row = sqlx::query(&sql).bind(id).bind(conversation_id).fetch_optional(conn).await?;
    Ok(row.map(|r| message_row(&r, "")).transpose()?)
}

pub async fn message_by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<Message>> {
    let sql = format!("SELECT {MESSAGE} FROM chat_messages WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(conn).await?;
    Ok(row.map(|r| message_row(&r, "")).transpose()?)
}

/// Messages before `before`, newest first.
pub async fn history(conn: &mut AnyConnection, conversation_id: &str, before: i64, limit: i64) -> Result<Vec<Message>> {
    let sql = format!(
        "SELECT {MESSAGE} FROM chat_messages WHERE conversation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3"
    );
    let rows = sqlx::query(&sql).bind(conversation_id).bind(before).bind(limit).fetch_all(conn).await?;
    Ok(rows.iter().map(|r| message_row(r, "")).collect::<Result<_, _>>()?)
}

/// Empties a message's text, leaving its place.
pub async fn delete_message(conn: &mut AnyConnection, id: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE chat_messages SET body = '', deleted = 1 WHERE id = $1 AND deleted = 0")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn sent_since(conn: &mut AnyConnection, sender: &str, since: i64) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM chat_messages WHERE sender_id = $1 AND sent_at >= $2")
        .bind(sender)
        .bind(since)
        .fetch_one(conn)
        .await?;
    Ok(row.try_get("n")?)
}

/// The caller's conversations (or the one `only`), latest first, with
/// their last message, unread count and both sides' receipts.
pub async fn list(conn: &mut AnyConnection, me: &str, only: Option<&str>) -> Result<Vec<Listed>> {
    let sql = format!(
        "SELECT {CONVERSATION}, mine.read_seq AS my_read, theirs.delivered_seq AS their_delivered,
                theirs.read_seq AS their_read,
                (SELECT COUNT(*) FROM chat_messages u WHERE u.conversation_id = c.id AND u.seq > mine.read_seq
                    AND u.sender_id <> $1 AND u.deleted = 0) AS unread,
                m.id AS m_id, m.conversation_id AS m_conversation_id, m.seq AS m_seq, m.sender_id AS m_sender_id,
                m.body AS m_body, m.sent_at AS m_sent_at, m.deleted AS m_deleted
         FROM conversation_members mine
         JOIN conversations c ON c.id = mine.conversation_id
         JOIN conversation_members theirs ON theirs.conversation_id = c.id AND theirs.user_id <> $1
         LEFT JOIN chat_messages m ON m.conversation_id = c.id AND m.seq = c.last_seq
         WHERE mine.user_id = $1 AND ($2 = '' OR c.id = $2)
         ORDER BY c.last_message_at DESC, c.id DESC
         LIMIT 500"
    );
    let rows = sqlx::query(&sql).bind(me).bind(only.unwrap_or("")).fetch_all(conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let has_message = row.try_get::<Option<String>, _>("m_id")?.is_some();
        out.push(Listed {
            stored: conversation(row)?,
            last_message: if has_message { Some(message_row(row, "m_")?) } else { None },
            unread: row.try_get("unread")?,
            read_seq: row.try_get("my_read")?,
            their_delivered_seq: row.try_get("their_delivered")?,
            their_read_seq: row.try_get("their_read")?,
        });
    }
    Ok(out)
}

/// Moves a member's receipts forward; where they stand after.
pub async fn advance(
    conn: &mut AnyConnection,
    conversation_id: &str,
    user_id: &str,
    delivered: i64,
    read: i64,
) -> Result<(i64, i64)> {
    let row = sqlx::query(
        "UPDATE conversation_members SET
             delivered_seq = CASE WHEN $3 > delivered_seq THEN $3 ELSE delivered_seq END,
             read_seq = CASE WHEN $4 > read_seq THEN $4 ELSE read_seq END
         WHERE conversation_id = $1 AND user_id = $2 RETURNING delivered_seq, read_seq",
    )
    .bind(conversation_id)
    .bind(user_id)
    .bind(delivered)
    .bind(read)
    .fetch_one(conn)
    .await?;
    Ok((row.try_get("delivered_seq")?, row.try_get("read_seq")?))
}

/// Someone with messages unread since before `unread_before` in a
/// conversation not mailed about since `mailed_before`.
#[derive(Debug)]
pub struct Unread {
    pub conversation_id: String,
    pub user_id: String,
    pub sender_id: String,
    pub count: i64,
    pub top_seq: i64,
}

pub async fn unread_to_mail(
    conn: &mut AnyConnection,
    unread_before: i64,
    mailed_before: i64,
    limit: i64,
) -> Result<Vec<Unread>> {
    let rows = sqlx::query(
        "SELECT mine.conversation_id, mine.user_id, MIN(m.sender_id) AS sender_id, COUNT(*) AS n, MAX(m.seq) AS top
         FROM conversation_members mine
         JOIN chat_messages m ON m.conversation_id = mine.conversation_id
             AND m.seq > mine.read_seq AND m.seq > mine.mailed_seq AND m.sender_id <> mine.user_id AND m.deleted = 0
         LEFT JOIN partner_settings s ON s.user_id = mine.user_id
         WHERE mine.mailed_at < $2 AND m.sent_at < $1 AND COALESCE(s.mail_unread, 1) = 1
         GROUP BY mine.conversation_id, mine.user_id
         LIMIT $3",
    )
    .bind(unread_before)
    .bind(mailed_before)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Unread {
                conversation_id: r.try_get("conversation_id")?,
                user_id: r.try_get("user_id")?,
                sender_id: r.try_get("sender_id")?,
                count: r.try_get("n")?,
                top_seq: r.try_get("top")?,
            })
        })
        .collect()
}

/// Notes the mail; false when another run mailed it first.
pub async fn mark_mailed(conn: &mut AnyConnection, u: &Unread, mailed_before: i64, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE conversation_members SET mailed_seq = $3, mailed_at = $4
         WHERE conversation_id = $1 AND user_id = $2 AND mailed_seq < $3 AND mailed_at < $5",
    )
    .bind(&u.conversation_id)
    .bind(&u.user_id)
    .bind(u.top_seq)
    .bind(now)
    .bind(mailed_before)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Messages `user_id` sent, for their export.
pub async fn sent_by(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<Message>> {
    let sql = format!("SELECT {MESSAGE} FROM chat_messages WHERE sender_id = $1 ORDER BY sent_at, id");
    let rows = sqlx::query(&sql).bind(user_id).fetch_all(conn).await?;
    Ok(rows.iter().map(|r| message_row(r, "")).collect::<Result<_, _>>()?)
}

/// The conversations `user_id` is in.
pub async fn of_person(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<Stored>> {
    let sql = format!("SELECT {CONVERSATION} FROM conversations c WHERE c.a_id = $1 OR c.b_id = $1");
    let rows = sqlx::query(&sql).bind(user_id).fetch_all(conn).await?;
    Ok(rows.iter().map(conversation).collect::<Result<_, _>>()?)
}

/// Removes the messages a person sent.
pub async fn erase_sent(conn: &mut AnyConnection, user_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM chat_messages WHERE sender_id = $1").bind(user_id).execute(conn).await?;
    Ok(())
}
