//! What identity tells the other contexts, in the transaction of the change:
//! `UserRegistered` when an account is made (by registration, by an
//! administrator or by a first external login), `ProfileChanged` when what
//! others see of a person changes (name, picture, preferences, the facts
//! competitions place them in categories by), and
//! `UserDeleted` when an account goes, for every context to erase the
//! person's data.

use platform::outbox::{self, DomainEvent};
use serde::Serialize;
use sqlx::AnyConnection;

use crate::athlete::Sex;
use crate::error::{IdentityError, Result};
use crate::store;

pub const USER_REGISTERED: &str = "UserRegistered";
pub const PROFILE_CHANGED: &str = "ProfileChanged";
pub const USER_DELETED: &str = "UserDeleted";

/// A person as the other contexts may know them: never their address.
#[derive(Serialize)]
struct Person<'a> {
    user_id: &'a str,
    display_name: &'a str,
    /// Their picture's address, or null.
    avatar_url: Option<String>,
    units: &'a str,
    language: &'a str,
    default_privacy: &'a str,
    /// `female`, `male` or null (not said); with the two below, what
    /// competitions place the person in categories by.
    sex: Option<Sex>,
    birth_year: Option<i32>,
    weight_kg: Option<f64>,
}

#[derive(Serialize)]
struct Gone<'a> {
    user_id: &'a str,
}

pub async fn registered(conn: &mut AnyConnection, user_id: &str) -> Result<()> {
    announce(conn, USER_REGISTERED, user_id).await
}

/// Record after the write that changed the account, so the event carries what it is now.
pub async fn profile_changed(conn: &mut AnyConnection, user_id: &str) -> Result<()> {
    announce(conn, PROFILE_CHANGED, user_id).await
}

pub async fn deleted(conn: &mut AnyConnection, user_id: &str) -> Result<()> {
    let event = DomainEvent { kind: USER_DELETED, subject_id: user_id, user_id, payload: &Gone { user_id } };
    outbox::record(conn, &event).await?;
    Ok(())
}

/// Records `kind` with the person as the account now reads.
async fn announce(conn: &mut AnyConnection, kind: &str, user_id: &str) -> Result<()> {
    let user = store::user_by_id(&mut *conn, user_id).await?.ok_or(IdentityError::NotFound)?;
    let preferences = store::preferences(&mut *conn, user_id).await?.unwrap_or_default();
    let person = Person {
        user_id,
        display_name: &user.display_name,
        avatar_url: crate::avatar::url(&user),
        units: preferences.units.as_str(),
        language: preferences.language.as_str(),
        default_privacy: preferences.default_privacy.as_str(),
        sex: user.athlete.sex,
        birth_year: user.athlete.birth_year,
        weight_kg: user.athlete.weight_kg,
    };
    outbox::record(conn, &DomainEvent { kind, subject_id: user_id, user_id, payload: &person }).await?;
    Ok(())
}
