//! `/api/v1/reactions/{workout_id}`: kudos and comments on a training.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use platform::http::json::Json;
use platform::http::{Caller, Problem};
use platform::people::Role;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::Result;
use crate::reactions::{Comment, CommentChange, KudosState, NewComment};
use crate::Social;

pub fn routes() -> OpenApiRouter<Social> {
    OpenApiRouter::new()
        .routes(routes!(kudos, give_kudos, take_back_kudos))
        .routes(routes!(comments, comment))
        .routes(routes!(change_comment, delete_comment))
}

/// How many gave kudos to a training you may see, and whether you did.
#[utoipa::path(get, path = "/api/v1/reactions/{workout_id}/kudos", tag = "social", security(("bearer" = [])),
    responses((status = 200, body = KudosState), (status = 404, body = Problem)))]
async fn kudos(State(this): State<Social>, caller: Caller, Path(workout_id): Path<String>) -> Result<Json<KudosState>> {
    Ok(Json(this.kudos(&caller.id, &workout_id).await?))
}

/// Gives kudos to a training you may see; once per person.
#[utoipa::path(put, path = "/api/v1/reactions/{workout_id}/kudos", tag = "social", security(("bearer" = [])),
    responses((status = 200, body = KudosState), (status = 404, body = Problem)))]
async fn give_kudos(
    State(this): State<Social>,
    caller: Caller,
    Path(workout_id): Path<String>,
) -> Result<Json<KudosState>> {
    Ok(Json(this.give_kudos(&caller.id, &workout_id).await?))
}

#[utoipa::path(delete, path = "/api/v1/reactions/{workout_id}/kudos", tag = "social", security(("bearer" = [])),
    responses((status = 200, body = KudosState), (status = 404, body = Problem)))]
async fn take_back_kudos(
    State(this): State<Social>,
    caller: Caller,
    Path(workout_id): Path<String>,
) -> Result<Json<KudosState>> {
    Ok(Json(this.take_back_kudos(&caller.id, &workout_id).await?))
}

/// The comments on a training you may see, oldest first.
#[utoipa::path(get, path = "/api/v1/reactions/{workout_id}/comments", tag = "social", security(("bearer" = [])),
    responses((status = 200, body = Vec<Comment>), (status = 404, body = Problem)))]
async fn comments(
    State(this): State<Social>,
    caller: Caller,
    Path(workout_id): Path<String>,
) -> Result<Json<Vec<Comment>>> {
    Ok(Json(this.comments(&caller.id, caller.role == Role::Admin, &workout_id).await?))
}

/// Comments on a training you may see; the people mentioned are told.
#[utoipa::path(post, path = "/api/v1/reactions/{workout_id}/comments", tag = "social", security(("bearer" = [])),
    request_body = NewComment,
    responses((status = 201, body = Comment), (status = 404, body = Problem), (status = 422, body = Problem),
        (status = 429, body = Problem, description = "60 comments in the last hour")))]
async fn comment(
    State(this): State<Social>,
    caller: Caller,
    Path(workout_id): Path<String>,
    Json(new): Json<NewComment>,
) -> Result<(StatusCode, Json<Comment>)> {
    Ok((StatusCode::CREATED, Json(this.comment(&caller.id, &workout_id, new).await?)))
}

/// Changes your comment.
#[utoipa::path(patch, path = "/api/v1/reactions/{workout_id}/comments/{id}", tag = "social", security(("bearer" = [])),
    request_body = CommentChange,
    responses((status = 200, body = Comment), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn change_comment(
    State(this): State<Social>,
    caller: Caller,
    Path((workout_id, id)): Path<(String, String)>,
    Json(change): Json<CommentChange>,
) -> Result<Json<Comment>> {
    Ok(Json(this.change_comment(&caller.id, &workout_id, &id, change).await?))
}

/// Deletes your comment, or removes one from your training.
#[utoipa::path(delete, path = "/api/v1/reactions/{workout_id}/comments/{id}", tag = "social", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem)))]
async fn delete_comment(
    State(this): State<Social>,
    caller: Caller,
    Path((workout_id, id)): Path<(String, String)>,
) -> Result<StatusCode> {
    this.delete_comment(&caller.id, &workout_id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
