//! A person's partners data in their export: `partners/finder.json` (the
//! opt-in), `partners/swipes.json`, `partners/matches.json` and
//! `partners/messages.json` (the messages they sent).

use futures::future::BoxFuture;
use platform::db::rfc3339;
use platform::personal_data::{Archive, PersonalData, PersonalDataError};
use serde::Serialize;

use crate::{chat, swipes, Partners};

pub struct PartnersData(pub Partners);

#[derive(Serialize)]
struct Swipe {
    user_id: String,
    yes: bool,
    at: String,
}

impl PersonalData for PartnersData {
    fn export<'a>(
        &'a self,
        user_id: &'a str,
        archive: &'a mut Archive,
    ) -> BoxFuture<'a, Result<(), PersonalDataError>> {
        Box::pin(async move {
            let other = |e: crate::PartnersError| PersonalDataError::Other(e.to_string());
            let this = &self.0;
            let finder = this.my_finder(user_id).await.map_err(other)?;
            let settings = this.settings(user_id).await.map_err(other)?;
            let matches = this.matches(user_id).await.map_err(other)?;
            let (swiped, sent) = {
                let mut conn = this.platform.db.pool().acquire().await.map_err(|e| other(e.into()))?;
                let swiped = swipes::store::swipes_by(&mut conn, user_id).await.map_err(other)?;
                (swiped, chat::store::sent_by(&mut conn, user_id).await.map_err(other)?)
            };
            let swiped: Vec<Swipe> = swiped
                .into_iter()
                .map(|s| Swipe { user_id: s.target_id, yes: s.yes, at: rfc3339(s.created_at) })
                .collect();
            archive.add_json("partners/finder.json", &serde_json::json!({ "finder": finder, "mail": settings }))?;
            archive.add_json("partners/swipes.json", &swiped)?;
            archive.add_json("partners/matches.json", &matches)?;
            archive.add_json("partners/messages.json", &sent)
        })
    }
}
