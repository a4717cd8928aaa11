//! `/api/v1/promotions`: offers for a person, and partners' own offers.

use axum::extract::{Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use platform::http::json::Json;
use platform::http::{Caller, Problem};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::pictures::{self, Picture};
use crate::error::Result;
use crate::promotions::{NewPromotion, Offer, Promotion, PromotionChanges};
use crate::Inventory;

pub fn routes() -> OpenApiRouter<Inventory> {
    OpenApiRouter::new()
        .routes(routes!(offers, publish))
        .routes(routes!(mine))
        .routes(routes!(change, withdraw))
        .routes(routes!(dismiss))
        .routes(routes!(visit))
        .routes(routes!(picture))
}

pub fn uploads() -> OpenApiRouter<Inventory> {
    OpenApiRouter::new().routes(routes!(set_picture))
}

/// At most three offers for you, most relevant first (none when you turned
/// promotions off). Each is counted as one view; who viewed is not kept.
#[utoipa::path(get, path = "/api/v1/promotions", tag = "promotions", security(("bearer" = [])),
    responses((status = 200, body = Vec<Offer>)))]
async fn offers(State(this): State<Inventory>, caller: Caller) -> Result<Json<Vec<Offer>>> {
    Ok(Json(this.offers_for(&caller.id).await?))
}

/// Publishes an offer (partners and administrators).
#[utoipa::path(post, path = "/api/v1/promotions", tag = "promotions", security(("bearer" = [])), request_body = NewPromotion,
    responses((status = 201, body = Promotion), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn publish(
    State(this): State<Inventory>,
    caller: Caller,
    Json(new): Json<NewPromotion>,
) -> Result<(StatusCode, Json<Promotion>)> {
    Ok((StatusCode::CREATED, Json(this.publish(&caller, new).await?)))
}

/// Your offers with their views, clicks and dismissals (an administrator sees every offer).
#[utoipa::path(get, path = "/api/v1/promotions/mine", tag = "promotions", security(("bearer" = [])),
    responses((status = 200, body = Vec<Promotion>), (status = 403, body = Problem)))]
async fn mine(State(this): State<Inventory>, caller: Caller) -> Result<Json<Vec<Promotion>>> {
    Ok(Json(this.promotions_of(&caller).await?))
}

/// Changes one of your offers.
#[utoipa::path(patch, path = "/api/v1/promotions/{id}", tag = "promotions", security(("bearer" = [])),
    request_body = PromotionChanges,
    responses((status = 200, body = Promotion), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn change(
    State(this): State<Inventory>,
    caller: Caller,
    Path(id): Path<String>,
    Json(changes): Json<PromotionChanges>,
) -> Result<Json<Promotion>> {
    Ok(Json(this.change_promotion(&caller, &id, changes).await?))
}

/// Withdraws one of your offers.
#[utoipa::path(delete, path = "/api/v1/promotions/{id}", tag = "promotions", security(("bearer" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn withdraw(State(this): State<Inventory>, caller: Caller, Path(id): Path<String>) -> Result<StatusCode> {
    this.withdraw(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Not to be shown that offer again.
#[utoipa::path(post, path = "/api/v1/promotions/{id}/dismissal", tag = "promotions", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem)))]
async fn dismiss(State(this): State<Inventory>, caller: Caller, Path(id): Path<String>) -> Result<StatusCode> {
    this.dismiss(&caller.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Counts a click and redirects to the offer's link, sending no referrer;
/// who clicked is not kept.
#[utoipa::path(get, path = "/api/v1/promotions/{id}/visit", tag = "promotions",
    responses((status = 303, description = "To the offer's link"), (status = 404, body = Problem)))]
async fn visit(State(this): State<Inventory>, Path(id): Path<String>) -> Result<Response> {
    let link = this.visit(&id).await?;
    let headers = [
        (header::LOCATION, link),
        (header::REFERRER_POLICY, "no-referrer".to_string()),
        (header::CACHE_CONTROL, "no-store".to_string()),
    ];
    Ok((StatusCode::SEE_OTHER, headers).into_response())
}

/// The offer's picture (JPEG), for anyone.
#[utoipa::path(get, path = "/api/v1/promotions/{id}/picture", tag = "promotions",
    responses((status = 200, content_type = "image/jpeg"), (status = 404, body = Problem)))]
async fn picture(State(this): State<Inventory>, Path(id): Path<String>) -> Result<Response> {
    Ok(pictures::jpeg(this.offer_picture(&id).await?, "public, max-age=300"))
}

/// Sets one of your offers' picture: a JPEG, PNG or WebP of at most 10 MiB as the body.
#[utoipa::path(put, path = "/api/v1/promotions/{id}/picture", tag = "promotions", security(("bearer" = [])),
    request_body(content((Picture = "image/jpeg"), (Picture = "image/png"), (Picture = "image/webp"))),
    responses((status = 200, body = Promotion), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
async fn set_picture(
    State(this): State<Inventory>,
    caller: Caller,
    Path(id): Path<String>,
    request: Request,
) -> Result<Json<Promotion>> {
    let picture = pictures::receive(request).await?;
    Ok(Json(this.set_offer_picture(&caller, &id, picture).await?))
}
