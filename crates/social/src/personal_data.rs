//! A person's social data in their export: `social/social.json` with their
//! profile, follows both ways, requests, blocks, kudos, comments and reports.

use futures::future::BoxFuture;
use platform::personal_data::{Archive, PersonalData, PersonalDataError};
use serde::Serialize;

use crate::moderation::Report;
use crate::profiles::StoredProfile;
use crate::relations::{ACCEPTED, PENDING};
use crate::{moderation, profiles, reactions, relations, Social};

pub struct SocialData(pub Social);

#[derive(Serialize)]
struct Export {
    profile: StoredProfile,
    following: Vec<String>,
    followers: Vec<String>,
    requested: Vec<String>,
    blocked: Vec<String>,
    kudos_given: Vec<String>,
    comments: Vec<ExportedComment>,
    reports: Vec<Report>,
}

#[derive(Serialize)]
struct ExportedComment {
    workout_id: String,
    body: String,
    created_at: String,
}

impl PersonalData for SocialData {
    fn export<'a>(
        &'a self,
        user_id: &'a str,
        archive: &'a mut Archive,
    ) -> BoxFuture<'a, Result<(), PersonalDataError>> {
        Box::pin(async move {
            let export = self.0.exported(user_id).await.map_err(|e| PersonalDataError::Other(e.to_string()))?;
            archive.add_json("social/social.json", &export)
        })
    }
}

impl Social {
    async fn exported(&self, me: &str) -> crate::error::Result<Export> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let all = i64::MAX;
        let (kudos_given, comments) = reactions::store::given_by(&mut conn, me).await?;
        Ok(Export {
            profile: profiles::store::get(&mut conn, me).await?,
            following: relations::store::people(&mut conn, me, false, ACCEPTED, "", all).await?,
            followers: relations::store::people(&mut conn, me, true, ACCEPTED, "", all).await?,
            requested: relations::store::people(&mut conn, me, false, PENDING, "", all).await?,
            blocked: relations::store::blocked_by(&mut conn, me).await?,
            kudos_given,
            comments: comments
                .into_iter()
                .map(|c| ExportedComment {
                    workout_id: c.workout_id,
                    body: c.body,
                    created_at: platform::db::rfc3339(c.created_at),
                })
                .collect(),
            reports: moderation::store::reports_by(&mut conn, me).await?.into_iter().map(|r| r.shown(false)).collect(),
        })
    }
}
