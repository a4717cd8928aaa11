//! Where a store's reads run: any sqlx connection or transaction, or a
//! [`ReadConnection`] from [`super::Database::read`], which on a SQLite file
//! reads on the calling thread (see `local`). A store function that only
//! reads takes `&mut impl Reads`, so the same code serves a request's quick
//! read and a read inside a transaction.

use std::future::Future;

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection};

use super::aside::AsideConnection;
use super::local::LocalConnection;
use super::Transaction;

/// A query as `sqlx::query(..).bind(..)` builds it.
pub type Query<'q> = sqlx::query::Query<'q, Any, AnyArguments<'q>>;

pub trait Reads: Send {
    fn fetch_all<'q>(&mut self, query: Query<'q>) -> impl Future<Output = Result<Vec<AnyRow>, sqlx::Error>> + Send;

    fn fetch_optional<'q>(
        &mut self,
        query: Query<'q>,
    ) -> impl Future<Output = Result<Option<AnyRow>, sqlx::Error>> + Send {
        async move { Ok(self.fetch_all(query).await?.into_iter().next()) }
    }

    /// The first row; `RowNotFound` when there is none.
    fn fetch_one<'q>(&mut self, query: Query<'q>) -> impl Future<Output = Result<AnyRow, sqlx::Error>> + Send {
        async move { self.fetch_optional(query).await?.ok_or(sqlx::Error::RowNotFound) }
    }
}

/// A connection for reads outside a transaction.
pub enum ReadConnection {
    /// On the calling thread, from a SQLite file.
    Local(LocalConnection),
    /// From the pool.
    Pooled(PoolConnection<Any>),
    /// One of the connections kept aside for the session check.
    Aside(AsideConnection),
}

impl ReadConnection {
    /// Its query has answered in full: a connection kept aside may serve
    /// the next request as it is (see `aside`). Dropped without this, it is
    /// closed; the others go back either way.
    pub fn keep(self) {
        if let ReadConnection::Aside(aside) = self {
            aside.keep();
        }
    }
}

impl Reads for ReadConnection {
    async fn fetch_all<'q>(&mut self, query: Query<'q>) -> Result<Vec<AnyRow>, sqlx::Error> {
        match self {
            ReadConnection::Local(local) => local.fetch(query, usize::MAX),
            ReadConnection::Pooled(conn) => query.fetch_all(&mut **conn).await,
            ReadConnection::Aside(conn) => query.fetch_all(&mut **conn).await,
        }
    }

    async fn fetch_optional<'q>(&mut self, query: Query<'q>) -> Result<Option<AnyRow>, sqlx::Error> {
        match self {
            ReadConnection::Local(local) => Ok(local.fetch(query, 1)?.pop()),
            ReadConnection::Pooled(conn) => query.fetch_optional(&mut **conn).await,
            ReadConnection::Aside(conn) => query.fetch_optional(&mut **conn).await,
        }
    }
}

impl Reads for AnyConnection {
    async fn fetch_all<'q>(&mut self, query: Query<'q>) -> Result<Vec<AnyRow>, sqlx::Error> {
        query.fetch_all(self).await
    }

    async fn fetch_optional<'q>(&mut self, query: Query<'q>) -> Result<Option<AnyRow>, sqlx::Error> {
        query.fetch_optional(self).await
    }
}

impl Reads for PoolConnection<Any> {
    async fn fetch_all<'q>(&mut self, query: Query<'q>) -> Result<Vec<AnyRow>, sqlx::Error> {
        query.fetch_all(&mut **self).await
    }

    async fn fetch_optional<'q>(&mut self, query: Query<'q>) -> Result<Option<AnyRow>, sqlx::Error> {
        query.fetch_optional(&mut **self).await
    }
}

impl Reads for Transaction {
    async fn fetch_all<'q>(&mut self, query: Query<'q>) -> Result<Vec<AnyRow>, sqlx::Error> {
        query.fetch_all(&mut **self).await
    }

    async fn fetch_optional<'q>(&mut self, query: Query<'q>) -> Result<Option<AnyRow>, sqlx::Error> {
        query.fetch_optional(&mut **self).await
    }
}
