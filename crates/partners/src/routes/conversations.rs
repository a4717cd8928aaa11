//! Conversations and their messages.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use platform::http::json::Json;
use platform::http::{Caller, Problem};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::chat::{Conversation, HistoryPage, HistoryQuery, Message, NewMessage, NewMessageReport, Opening, Receipts};
use crate::error::Result;
use crate::Partners;

pub fn routes() -> OpenApiRouter<Partners> {
    OpenApiRouter::new()
        .routes(routes!(conversations, open_conversation))
        .routes(routes!(conversation))
        .routes(routes!(message_history, send_message))
        .routes(routes!(delete_message))
        .routes(routes!(message_receipts))
        .routes(routes!(typing))
        .routes(routes!(report_message))
}

/// My conversations, latest message first.
#[utoipa::path(get, path = "/api/v1/conversations", tag = "chat", security(("bearer" = [])),
    responses((status = 200, body = Vec<Conversation>)))]
async fn conversations(State(this): State<Partners>, caller: Caller) -> Result<Json<Vec<Conversation>>> {
    Ok(Json(this.conversations(&caller.id).await?))
}

/// Opens (or finds) my conversation with someone I follow both ways or matched with.
#[utoipa::path(post, path = "/api/v1/conversations", tag = "chat", security(("bearer" = [])),
    request_body = Opening,
    responses((status = 200, body = Conversation), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
async fn open_conversation(
    State(this): State<Partners>,
    caller: Caller,
    Json(opening): Json<Opening>,
) -> Result<Json<Conversation>> {
    Ok(Json(this.open_conversation(&caller.id, &opening.user_id).await?))
}

#[utoipa::path(get, path = "/api/v1/conversations/{id}", tag = "chat", security(("bearer" = [])),
    responses((status = 200, body = Conversation), (status = 404, body = Problem)))]
async fn conversation(
    State(this): State<Partners>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Conversation>> {
    Ok(Json(this.conversation(&caller.id, &id).await?))
}

/// The history, newest first, a page at a time.
#[utoipa::path(get, path = "/api/v1/conversations/{id}/messages", tag = "chat", security(("bearer" = [])),
    params(HistoryQuery),
    responses((status = 200, body = HistoryPage), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn message_history(
    State(this): State<Partners>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<HistoryQuery>,
) -> Result<Json<HistoryPage>> {
    Ok(Json(this.history(&caller.id, &id, query).await?))
}

/// Sends a message; sending again with the same `client_id` returns the first.
#[utoipa::path(post, path = "/api/v1/conversations/{id}/messages", tag = "chat", security(("bearer" = [])),
    request_body = NewMessage,
    responses((status = 201, body = Message), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn send_message(
    State(this): State<Partners>,
    caller: Caller,
    Path(id): Path<String>,
    Json(new): Json<NewMessage>,
) -> Result<(StatusCode, Json<Message>)> {
    Ok((StatusCode::CREATED, Json(this.send(&caller.id, &id, new).await?)))
}

/// Deletes one of my messages: its text goes for both.
#[utoipa::path(delete, path = "/api/v1/conversations/{id}/messages/{message_id}", tag = "chat",
    security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem)))]
async fn delete_message(
    State(this): State<Partners>,
    caller: Caller,
    Path((id, message_id)): Path<(String, String)>,
) -> Result<StatusCode> {
    this.delete_message(&caller.id, &id, &message_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Up to where I received and read the other person's messages.
#[utoipa::path(put, path = "/api/v1/conversations/{id}/receipts", tag = "chat", security(("bearer" = [])),
    request_body = Receipts,
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn message_receipts(
    State(this): State<Partners>,
    caller: Caller,
    Path(id): Path<String>,
    Json(receipts): Json<Receipts>,
) -> Result<StatusCode> {
    this.receipts(&caller.id, &id, receipts).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Tells the other person I am typing.
#[utoipa::path(post, path = "/api/v1/conversations/{id}/typing", tag = "chat", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem)))]
async fn typing(State(this): State<Partners>, caller: Caller, Path(id): Path<String>) -> Result<StatusCode> {
    this.typing(&caller.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reports the other person's message to the moderators.
#[utoipa::path(post, path = "/api/v1/conversations/{id}/messages/{message_id}/report", tag = "chat",
    security(("bearer" = [])), request_body = NewMessageReport,
    responses((status = 201), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn report_message(
    State(this): State<Partners>,
    caller: Caller,
    Path((id, message_id)): Path<(String, String)>,
    Json(new): Json<NewMessageReport>,
) -> Result<StatusCode> {
    this.report_message(&caller.id, &id, &message_id, new).await?;
    Ok(StatusCode::CREATED)
}
