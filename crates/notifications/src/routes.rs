//! A person's notifications over HTTP.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use platform::http::Caller;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{NotificationsError, Result};
use crate::model::{valid_kind, NotificationPage, Preference, PreferenceChange};
use crate::{store, Notifications};

pub fn all(notifications: Notifications) -> OpenApiRouter<platform::Platform> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(read_one))
        .routes(routes!(read_all))
        .routes(routes!(preferences))
        .routes(routes!(choose))
        .with_state(notifications)
}

#[derive(Deserialize, utoipa::IntoParams)]
struct PageQuery {
    /// `next_cursor` of the page before.
    cursor: Option<String>,
    /// 1 to 100; 20 when left out.
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
struct KindPath {
    /// A kind of notice: lowercase letters, digits and `_`, such as `export_ready`.
    #[param(pattern = "^[a-z][a-z0-9_]{0,63}$")]
    kind: String,
}

/// The person's notifications, newest first, with how many are unread.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = NotificationPage)))]
async fn list(
    State(this): State<Notifications>,
    caller: Caller,
    Query(query): Query<PageQuery>,
) -> Result<Json<NotificationPage>> {
    let limit = query.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(NotificationsError::Invalid { field: "limit", detail: "limit must be between 1 and 100".into() });
    }
    let mut conn = this.platform.db.read().await?;
    let mut items = store::page(&mut conn, &caller.id, query.cursor.as_deref(), limit).await?;
    let next_cursor = (items.len() > limit as usize).then(|| {
        items.truncate(limit as usize);
        items.last().map(|n| n.id.clone()).unwrap_or_default()
    });
    let unread = store::unread(&mut conn, &caller.id).await?;
    Ok(Json(NotificationPage { items, next_cursor, unread }))
}

/// Marks one notification read (another person's is not found).
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "notifications", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 204), (status = 404, body = platform::http::Problem, content_type = "application/problem+json")))]
async fn read_one(State(this): State<Notifications>, caller: Caller, Path(id): Path<String>) -> Result<StatusCode> {
    let unread = {
        let mut conn = this.platform.db.pool().acquire().await?;
        if !store::mark_read(&mut conn, &caller.id, &id).await? {
            return Err(NotificationsError::NotFound);
        }
        store::unread(&mut conn, &caller.id).await?
    };
    this.tell_unread(&caller.id, unread).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Marks every notification of the person read.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "notifications", security(("bearer" = [])),
    responses((status = 204)))]
async fn read_all(State(this): State<Notifications>, caller: Caller) -> Result<StatusCode> {
    {
        let mut conn = this.platform.db.pool().acquire().await?;
        store::mark_all_read(&mut conn, &caller.id).await?;
    }
    this.tell_unread(&caller.id, 0).await;
    Ok(StatusCode::NO_CONTENT)
}

/// The kinds the person chose a channel for (the others go to the app).
#[utoipa::path(get, path = "/api/v1/notifications/preferences", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = Vec<Preference>)))]
async fn preferences(State(this): State<Notifications>, caller: Caller) -> Result<Json<Vec<Preference>>> {
    let mut conn = this.platform.db.pool().acquire().await?;
    Ok(Json(store::preferences(&mut conn, &caller.id).await?))
}

/// Chooses where a kind of notice goes: `app`, `digest` (the app and a daily mail) or `off`.
#[utoipa::path(put, path = "/api/v1/notifications/preferences/{kind}", tag = "notifications", security(("bearer" = [])),
    params(KindPath), request_body = PreferenceChange,
    responses((status = 200, body = Preference), (status = 404, body = platform::http::Problem, content_type = "application/problem+json")))]
async fn choose(
    State(this): State<Notifications>,
    caller: Caller,
    Path(KindPath { kind }): Path<KindPath>,
    Json(change): Json<PreferenceChange>,
) -> Result<Json<Preference>> {
    if !valid_kind(&kind) {
        let detail = "a kind is lowercase letters, digits and `_`, such as `export_ready`".into();
        return Err(NotificationsError::Invalid { field: "kind", detail });
    }
    let mut conn = this.platform.db.pool().acquire().await?;
    store::set_preference(&mut conn, &caller.id, &kind, change.channel).await?;
    Ok(Json(Preference { kind, channel: change.channel }))
}
