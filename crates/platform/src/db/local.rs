//! Reads of a SQLite database on the thread that asks for them.
//!
//! sqlx runs each SQLite connection on a worker thread of its own: every
//! query is a hop there and back (a handful of context switches), every
//! value is copied once more on the way, and the pool pings each connection
//! as it comes back, one more hop. For the short indexed reads that make up
//! most requests those hops cost more than the query itself (measured in
//! issue #21: 80 µs of CPU a query for a query SQLite answers in 10). Here
//! the statement runs where the request runs, from a cache of prepared
//! statements, and its rows come out as the same `AnyRow`s sqlx gives, so
//! a store decodes them with the same code on either path.
//!
//! Only reads come here: each connection is `query_only`. A read holds its
//! thread for as long as SQLite takes, so long scans belong on the pool.

use std::borrow::Cow;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, Statement};
use sqlx::any::{AnyArguments, AnyRow, AnyTypeInfo, AnyTypeInfoKind, AnyValue};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::Execute;
use sqlx_core::any::{AnyColumn, AnyValueKind};
use sqlx_core::ext::ustr::UStr;

use super::Query;

/// How many prepared statements each connection keeps: every distinct
/// text of a read, and lists build a few from their filters.
const STATEMENTS: usize = 128;

/// How many idle connections are kept: one per thread that runs requests
/// is all that is ever in use at once.
const IDLE: usize = 16;

/// The connections to one SQLite file, opened as they are first needed.
pub(super) struct LocalReads {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl std::fmt::Debug for LocalReads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalReads").field("path", &self.path).finish_non_exhaustive()
    }
}

/// A connection lent for reads; it goes back when dropped.
pub struct LocalConnection {
    conn: Option<Connection>,
    home: Arc<LocalReads>,
}

impl LocalReads {
    /// Reads of the file a sqlx SQLite `url` names; none for an in-memory
    /// database, which another connection cannot see.
    pub(super) fn for_url(url: &str) -> Option<Self> {
        if url.contains(":memory:") || url.contains("mode=memory") {
            return None;
        }
        // sqlx's own reading of the URL, so both open the same file.
        let options = SqliteConnectOptions::from_str(url).ok()?;
        let path = options.get_filename().to_path_buf();
        Some(Self { path, idle: Mutex::new(Vec::new()) })
    }

    pub(super) fn acquire(self: &Arc<Self>) -> Result<LocalConnection, sqlx::Error> {
        let idle = self.idle.lock().expect("the idle list is never poisoned").pop();
        let conn = match idle {
            Some(conn) => conn,
            None => self.open().map_err(driver_error)?,
        };
        Ok(LocalConnection { conn: Some(conn), home: self.clone() })
    }

    fn open(&self) -> rusqlite::Result<Connection> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&self.path, flags)?;
        conn.set_prepared_statement_cache_capacity(STATEMENTS);
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "query_only", true)?;
        Ok(conn)
    }

    pub(super) fn close(&self) {
        self.idle.lock().expect("the idle list is never poisoned").clear();
    }
}

impl LocalConnection {
    /// The first `at_most` rows the query answers; the rest are not read.
    pub(super) fn fetch(&mut self, mut query: Query<'_>, at_most: usize) -> Result<Vec<AnyRow>, sqlx::Error> {
        let arguments = query.take_arguments().map_err(sqlx::Error::Encode)?;
        let conn = self.conn.as_ref().expect("a lent connection is present until dropped");
        let mut statement = conn.prepare_cached(query.sql()).map_err(driver_error)?;
        bind(&mut statement, arguments)?;
        let names = column_names(&statement);
        let width = statement.column_count();
        let mut rows = statement.raw_query();
        let mut found = Vec::new();
        while found.len() < at_most {
            let Some(row) = rows.next().map_err(driver_error)? else { break };
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(AnyValue { kind: value(row.get_ref(i).map_err(driver_error)?) });
            }
            found.push(AnyRow { column_names: names.0.clone(), columns: names.1.clone(), values });
        }
        Ok(found)
    }
}

impl Drop for LocalConnection {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else { return };
        let mut idle = self.home.idle.lock().expect("the idle list is never poisoned");
        if idle.len() < IDLE {
            idle.push(conn);
        }
    }
}

/// Binds as sqlx does: `$N` and `?N` to the N-th argument, a bare `?` to
/// the next one, and a parameter past the arguments stays null.
fn bind(statement: &mut Statement<'_>, arguments: Option<AnyArguments<'_>>) -> Result<(), sqlx::Error> {
    let values = arguments.map(|a| a.values.0).unwrap_or_default();
    let mut next = 0;
    for slot in 1..=statement.parameter_count() {
        let n = match statement.parameter_name(slot) {
            Some(name) => name[1..]
                .parse::<usize>()
                .map_err(|_| sqlx::Error::Protocol(format!("the parameter {name} is not numbered like $1 or ?1")))?,
            None => {
                next += 1;
                next
            }
        };
        let Some(value) = n.checked_sub(1).and_then(|i| values.get(i)) else { break };
        bind_one(statement, slot, value).map_err(driver_error)?;
    }
    Ok(())
}

fn bind_one(statement: &mut Statement<'_>, slot: usize, value: &AnyValueKind<'_>) -> rusqlite::Result<()> {
    match value {
        AnyValueKind::Null(_) => statement.raw_bind_parameter(slot, rusqlite::types::Null),
        AnyValueKind::Bool(b) => statement.raw_bind_parameter(slot, *b as i32),
        AnyValueKind::SmallInt(i) => statement.raw_bind_parameter(slot, *i),
        AnyValueKind::Integer(i) => statement.raw_bind_parameter(slot, *i),
        AnyValueKind::BigInt(i) => statement.raw_bind_parameter(slot, *i),
        AnyValueKind::Real(r) => statement.raw_bind_parameter(slot, *r as f64),
        AnyValueKind::Double(d) => statement.raw_bind_parameter(slot, *d),
        AnyValueKind::Text(t) => statement.raw_bind_parameter(slot, t.as_ref()),
        AnyValueKind::Blob(b) => statement.raw_bind_parameter(slot, b.as_ref()),
        other => unreachable!("sqlx 0.8 binds no other kind of value: {other:?}"),
    }
}

type Columns = (Arc<sqlx_core::HashMap<UStr, usize>>, Vec<AnyColumn>);

/// The statement's columns by name, shared by all its rows. Their types
/// are left unknown: a value is decoded by its own type, as sqlx does.
fn column_names(statement: &Statement<'_>) -> Columns {
    let names = statement.column_names();
    let by_name = names.iter().enumerate().map(|(i, name)| (UStr::new(name), i)).collect();
    let columns = names
        .iter()
        .enumerate()
        .map(|(ordinal, name)| AnyColumn {
            ordinal,
            name: UStr::new(name),
            type_info: AnyTypeInfo { kind: AnyTypeInfoKind::Null },
        })
        .collect();
    (Arc::new(by_name), columns)
}

/// A SQLite value as sqlx's SQLite driver hands it to `Any`: its storage
/// class decides its kind.
fn value(value: ValueRef<'_>) -> AnyValueKind<'static> {
    match value {
        ValueRef::Null => AnyValueKind::Null(AnyTypeInfoKind::Null),
        ValueRef::Integer(i) => AnyValueKind::BigInt(i),
        ValueRef::Real(r) => AnyValueKind::Double(r),
        ValueRef::Text(t) => AnyValueKind::Text(Cow::Owned(String::from_utf8_lossy(t).into_owned())),
        ValueRef::Blob(b) => AnyValueKind::Blob(Cow::Owned(b.to_vec())),
    }
}

fn driver_error(e: rusqlite::Error) -> sqlx::Error {
    sqlx::Error::AnyDriverError(Box::new(e))
}
