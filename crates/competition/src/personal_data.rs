//! A person's competition data in their export: `competition/entries.json`,
//! each entry with its competition's title, and the competitions they organise.

use futures::future::BoxFuture;
use platform::personal_data::{Archive, PersonalData, PersonalDataError};
use serde::Serialize;

use crate::entries::Entry;
use crate::{competitions, entries, Competitions};

pub struct CompetitionData(pub Competitions);

#[derive(Serialize)]
struct Exported {
    competition_id: String,
    competition: String,
    entry: Entry,
}

impl PersonalData for CompetitionData {
    fn export<'a>(
        &'a self,
        user_id: &'a str,
        archive: &'a mut Archive,
    ) -> BoxFuture<'a, Result<(), PersonalDataError>> {
        Box::pin(async move {
            let entries = self.0.exported(user_id).await.map_err(|e| PersonalDataError::Other(e.to_string()))?;
            archive.add_json("competition/entries.json", &entries)
        })
    }
}

impl Competitions {
    async fn exported(&self, user_id: &str) -> crate::error::Result<Vec<Exported>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let mut out = Vec::new();
        for (competition_id, entry) in entries::store::of_person(&mut conn, user_id).await? {
            let title =
                competitions::store::get(&mut conn, &competition_id).await?.map(|c| c.title).unwrap_or_default();
            out.push(Exported { competition_id, competition: title, entry });
        }
        Ok(out)
    }
}
