//! Pull: a person's changes after a cursor, each with its whole record or
//! as a tombstone, page by page.

use std::collections::HashMap;

use platform::change_log;
use platform::db::now_ms;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::clock::Clock;
use crate::entities::Entity;
use crate::error::{Result, SyncError};
use crate::Sync;

const DEFAULT_LIMIT: i64 = 200;
const MAX_LIMIT: i64 = 500;

#[derive(Debug, Deserialize, IntoParams)]
pub struct ChangesQuery {
    /// The `cursor` of the last answer; leave it out to get everything.
    pub cursor: Option<String>,
    /// Changes per page, 1 to 500 (default 200).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Changes {
    /// In the order they were made; a record appears once per page.
    pub changes: Vec<Change>,
    /// Send it back for the next page, and keep it for the next pull.
    pub cursor: String,
    /// Whether there are more changes after this page.
    pub more: bool,
    /// The server's clock: a device keeps its own at least this far.
    pub clock: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Change {
    pub entity: Entity,
    pub id: String,
    /// The record is gone: a device deletes its copy.
    pub deleted: bool,
    /// The whole record as it is now (as its regular route shows it).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub record: Option<Value>,
}

impl Sync {
    pub async fn changes(&self, user_id: &str, query: ChangesQuery) -> Result<Changes> {
        let cursor = Cursor::parse(query.cursor.as_deref())?;
        let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(SyncError::invalid("limit", format!("1 to {MAX_LIMIT} changes per page")));
        }
        let mut conn = self.platform.db.pool().acquire().await?;
        let (last, floor) = change_log::counter(&mut conn, user_id).await?;
        if !cursor.still_good(last, floor) {
            return Err(SyncError::ResyncRequired);
        }
        let after = cursor.after;
        let mut rows = change_log::since(&mut conn, user_id, after, limit + 1).await?;
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next = cursor.next(rows.last().map(|row| row.seq).unwrap_or(after), floor);
        // A record changed twice in the page is sent once, at its last place.
        let mut last_place: HashMap<(&str, &str), usize> = HashMap::new();
        for (i, row) in rows.iter().enumerate() {
            last_place.insert((row.entity.as_str(), row.entity_id.as_str()), i);
        }
        let listed: Vec<(Entity, &str)> = rows
            .iter()
            .enumerate()
            .filter(|(i, row)| last_place[&(row.entity.as_str(), row.entity_id.as_str())] == *i)
            .filter_map(|(_, row)| Some((Entity::parse(&row.entity)?, row.entity_id.as_str())))
            .collect();
        let mut records: HashMap<(Entity, String), Value> = HashMap::new();
        for entity in Entity::ALL {
            let ids: Vec<String> = listed.iter().filter(|(e, _)| *e == entity).map(|(_, id)| id.to_string()).collect();
            if ids.is_empty() {
                continue;
            }
            let found = self.entities.records(&mut conn, user_id, entity, &ids).await;
            for (id, record) in found.map_err(|e| SyncError::Internal(e.to_string()))? {
                records.insert((entity, id), record);
            }
        }
        drop(conn);
        let changes = listed
            .into_iter()
            .map(|(entity, id)| {
                let record = records.remove(&(entity, id.to_string()));
                Change { entity, id: id.to_string(), deleted: record.is_none(), record }
            })
            .collect();
        Ok(Changes { changes, cursor: next.to_string(), more, clock: Clock::server(now_ms()).to_string() })
    }
}

/// Where a device is in the person's changes: after the change numbered
/// `after`. A device reading everything from the start passes below the
/// compaction floor on its way, which is fine as long as the floor has not
/// moved since it started: such a cursor carries the floor it started
/// under (`<after>.<floor>`). Devices treat cursors as opaque text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cursor {
    after: i64,
    reading: Reading,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reading {
    /// From the first change: no cursor, or `0`.
    FromStart,
    /// Still on the way from the start, begun under this floor.
    FromStartUnder(i64),
    /// Following changes as they come.
    Incremental,
}

impl Cursor {
    fn parse(text: Option<&str>) -> Result<Cursor> {
        let number = |part: &str| -> Result<i64> {
            let valid = !part.is_empty() && part.len() <= 18 && part.bytes().all(|b| b.is_ascii_digit());
            valid.then(|| part.parse().ok()).flatten().ok_or_else(|| {
                SyncError::invalid("cursor", "not a cursor this server gave; leave it out to start again")
            })
        };
        let cursor = match text.filter(|t| !t.is_empty()) {
            None => Cursor { after: 0, reading: Reading::FromStart },
            Some(text) => match text.split_once('.') {
                Some((after, floor)) => {
                    Cursor { after: number(after)?, reading: Reading::FromStartUnder(number(floor)?) }
                }
                None => Cursor { after: number(text)?, reading: Reading::Incremental },
            },
        };
        Ok(match cursor.after {
            0 => Cursor { after: 0, reading: Reading::FromStart },
            _ => cursor,
        })
    }

    /// Whether no tombstone this device has not seen was compacted away.
    fn still_good(&self, last: i64, floor: i64) -> bool {
        // Past the last number: a cursor of another server or account.
        if self.after > last {
            return false;
        }
        match self.reading {
            Reading::FromStart => true,
            Reading::FromStartUnder(began_under) => began_under == floor,
            Reading::Incremental => self.after >= floor,
        }
    }

    /// The cursor for the next page, ending after `seq`.
    fn next(&self, seq: i64, floor: i64) -> String {
        match self.reading {
            Reading::FromStart | Reading::FromStartUnder(_) if seq < floor => format!("{seq}.{floor}"),
            _ => seq.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reading_from_the_start_may_pass_below_the_floor_while_it_stays() {
        let start = Cursor::parse(None).unwrap();
        assert!(start.still_good(100, 40));
        assert_eq!(Cursor::parse(Some("0")).unwrap(), start);
        assert_eq!(start.next(7, 40), "7.40");
        let paging = Cursor::parse(Some("7.40")).unwrap();
        assert!(paging.still_good(100, 40));
        assert!(!paging.still_good(100, 55), "the floor moved: start again");
        assert_eq!(paging.next(45, 40), "45");
        let old = Cursor::parse(Some("7")).unwrap();
        assert!(!old.still_good(100, 40));
        assert!(Cursor::parse(Some("41")).unwrap().still_good(100, 40));
        assert!(!Cursor::parse(Some("101")).unwrap().still_good(100, 40));
        for bad in ["x", "-1", "1.", ".1", "1.2.3", "99999999999999999999"] {
            assert!(Cursor::parse(Some(bad)).is_err(), "{bad}");
        }
    }
}
