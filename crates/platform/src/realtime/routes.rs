//! `POST /api/v1/realtime/ticket` and `GET /api/v1/realtime`.

use std::sync::Arc;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{FromRef, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{session, store, Realtime};
use crate::http::{Authenticator, Bearer, CallerError, Problem};
use crate::{secret, Platform};

/// How long a ticket may wait to be used.
const TICKET_TTL_SECS: i64 = 30;
/// The largest message a client may send.
const MAX_MESSAGE_BYTES: usize = 16 * 1024;
const READ_BUFFER_BYTES: usize = 4 * 1024;

#[derive(Clone)]
struct RealtimeState {
    realtime: Realtime,
    authenticator: Arc<dyn Authenticator>,
}

impl FromRef<RealtimeState> for Arc<dyn Authenticator> {
    fn from_ref(state: &RealtimeState) -> Arc<dyn Authenticator> {
        state.authenticator.clone()
    }
}

pub fn all(realtime: Realtime, authenticator: Arc<dyn Authenticator>) -> OpenApiRouter<Platform> {
    OpenApiRouter::new()
        .routes(routes!(ticket))
        .routes(routes!(connect))
        .with_state(RealtimeState { realtime, authenticator })
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Ticket {
    /// Single use; pass it as `?ticket=` when opening the socket.
    pub ticket: String,
    /// Seconds it stays valid.
    pub expires_in: i64,
}

/// A ticket to open the realtime socket with: single use, valid for 30
/// seconds, so no long-lived secret ever goes in a URL.
#[utoipa::path(
    post, path = "/api/v1/realtime/ticket", tag = "realtime",
    security(("bearer" = [])),
    responses((status = 201, body = Ticket))
)]
async fn ticket(State(state): State<RealtimeState>, bearer: Bearer) -> Result<(StatusCode, Json<Ticket>), Response> {
    if bearer.application.is_some() {
        return Err(CallerError::InsufficientScope("applications cannot open a realtime socket".into()).into_response());
    }
    let ticket = secret::new_token();
    let issued = store::issue(&state.realtime.db, &secret::digest(&ticket), &bearer, TICKET_TTL_SECS * 1000).await;
    issued.map_err(|e| Problem::database(&e).into_response())?;
    Ok((StatusCode::CREATED, Json(Ticket { ticket, expires_in: TICKET_TTL_SECS })))
}

#[derive(Deserialize, utoipa::IntoParams)]
struct Connect {
    /// A ticket from `POST /api/v1/realtime/ticket`. Without one, send
    /// `{"type":"auth","token":"<access token>"}` as the first message.
    ticket: Option<String>,
}

/// The realtime socket (a websocket upgrade). Messages are JSON objects with
/// a `type`; the shapes, topics and close codes are in `docs/realtime.md`:
/// the client sends `auth`, `subscribe` (`topic`, optional `after`: the last
/// event id it saw), `unsubscribe` and `ping`; the server sends `ready`,
/// `subscribed`, `refused` (with a `reason`), `refetch` (resuming is no longer
/// possible), `event` (`topic`, `id`, `kind`, `data`), `pong` and `error`.
/// Close codes: 1001 going away, 4001 not authenticated, 4002 no heartbeat,
/// 4003 a message out of place, 4008 too slow.
#[utoipa::path(
    get, path = "/api/v1/realtime", tag = "realtime", params(Connect),
    responses(
        (status = 101, description = "Switching to the websocket protocol"),
        (status = 401, body = Problem, content_type = "application/problem+json", description = "The ticket is unknown, used or expired")
    )
)]
async fn connect(
    State(state): State<RealtimeState>,
    Query(connect): Query<Connect>,
    upgrade: WebSocketUpgrade,
) -> Result<Response, Problem> {
    let holder = match connect.ticket {
        None => None,
        Some(ticket) => {
            let holder =
                store::redeem(&state.realtime.db, &secret::digest(&ticket)).await.map_err(|e| Problem::database(&e))?;
            Some(holder.ok_or_else(|| {
                Problem::new(
                    StatusCode::UNAUTHORIZED,
                    "ticket-invalid",
                    "This ticket is unknown, used or expired; ask for a new one with POST /api/v1/realtime/ticket.",
                )
            })?)
        }
    };
    let RealtimeState { realtime, authenticator } = state;
    Ok(upgrade
        .max_message_size(MAX_MESSAGE_BYTES)
        // A client sends only small frames (subscribe, unsubscribe, ping).
        // The default buffer of 128 KiB was zeroed again on every read, a
        // third of a busy server's time with 10 000 sockets, and kept 128 KiB each.
        .read_buffer_size(READ_BUFFER_BYTES)
        .on_upgrade(move |socket| session::serve(socket, realtime, authenticator, holder)))
}
