//! Profiles: what a person tells others (bio, sports, a coarse home area,
//! public or private) beside the name and picture identity keeps, what a
//! viewer is shown of someone, finding people by name, and who follows whom.

pub(crate) mod store;

use std::collections::HashMap;

use platform::db::now_ms;
use platform::people::PublicProfile;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{Result, SocialError};
use crate::feed::Entry;
use crate::relations::{self, FollowState};
use crate::{trainings, Social};

/// What a person tells others; nothing here is a precise place.
#[derive(Clone, Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StoredProfile {
    /// At most 500 characters.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub bio: String,
    /// Sport ids, at most 20.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub sports: Vec<String>,
    /// A geohash of at most 5 characters (a cell of about 5 km); longer ones
    /// are cut, so no exact place is ever kept.
    #[schema(max_length = 12, pattern = "^[0-9bcdefghjkmnpqrstuvwxyz]{1,12}$")]
    pub home_area: Option<String>,
    /// Following a private profile needs the person's approval.
    #[serde(default)]
    pub private: bool,
}

/// What a person tells others, as shown: the same fields as
/// [`StoredProfile`], whose schema refuses unknown fields and so could not
/// be flattened into a larger answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct About {
    pub bio: String,
    pub sports: Vec<String>,
    pub home_area: Option<String>,
    pub private: bool,
}

impl From<StoredProfile> for About {
    fn from(p: StoredProfile) -> Self {
        Self { bio: p.bio, sports: p.sports, home_area: p.home_area, private: p.private }
    }
}

/// Someone as a viewer sees them.
#[derive(Debug, Serialize, ToSchema)]
pub struct Profile {
    #[serde(flatten)]
    pub person: PublicProfile,
    #[serde(flatten)]
    pub about: About,
    pub followers: i64,
    pub following: i64,
    /// Whether the viewer follows them.
    pub you_follow: FollowState,
    /// Whether they follow the viewer.
    pub follows_you: FollowState,
    /// Trainings the viewer may see: how many, how far, how long.
    pub totals: ProfileTotals,
    /// Their newest trainings the viewer may see, at most 5.
    pub recent: Vec<Entry>,
    /// Their fastest time over each distance, per sport, among the
    /// trainings the viewer may see (trainings read from a file only).
    pub records: Vec<ProfileRecord>,
}

/// The fastest someone covered a distance inside one training.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileRecord {
    pub sport: String,
    /// One of 400, 1 000, 1 609.344 (a mile), 5 000, 10 000, 21 097.5 and 42 195.
    pub distance_m: f64,
    pub seconds: f64,
    /// The training it was set in.
    pub workout_id: String,
    /// When that training started, RFC 3339.
    pub started_at: String,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ProfileTotals {
    pub trainings: i64,
    pub distance_m: f64,
    pub duration_s: f64,
}

/// A page of people.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeoplePage {
    pub items: Vec<PublicProfile>,
    /// Pass as `cursor` for the next page; none on the last.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchQuery {
    /// Words in the name, 1 to 100 characters.
    #[param(min_length = 1, max_length = 100)]
    pub q: String,
    pub cursor: Option<String>,
    /// 1 to 50; 20 when left out.
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<u32>,
}

const GEOHASH: &str = "0123456789bcdefghjkmnpqrstuvwxyz";
/// About 5 km by 5 km: enough to find partners nearby, never a home.
const AREA_PRECISION: usize = 5;

impl StoredProfile {
    fn checked(mut self) -> Result<Self> {
        self.bio = self.bio.trim().to_string();
        if self.bio.chars().count() > 500 {
            return Err(SocialError::invalid("bio", "the bio is longer than 500 characters"));
        }
        if self.sports.len() > 20 {
            return Err(SocialError::invalid("sports", "at most 20 sports"));
        }
        if let Some(area) = &self.home_area {
            if area.is_empty() || area.len() > 12 || !area.chars().all(|c| GEOHASH.contains(c)) {
                return Err(SocialError::invalid("home_area", "the home area is a geohash, such as u33db"));
            }
            self.home_area = Some(area.chars().take(AREA_PRECISION).collect());
        }
        Ok(self)
    }
}

impl Social {
    pub async fn my_profile(&self, me: &str) -> Result<StoredProfile> {
        let mut conn = self.platform.db.pool().acquire().await?;
        store::get(&mut conn, me).await
    }

    /// Changes what I tell others. Making a private profile public accepts
    /// every pending request.
    pub async fn set_profile(&self, me: &str, profile: StoredProfile) -> Result<StoredProfile> {
        let profile = profile.checked()?;
        let mut tx = self.platform.db.begin().await?;
        store::put(&mut tx, me, &profile, now_ms()).await?;
        if !profile.private {
            for follower in relations::store::people(&mut tx, me, true, relations::PENDING, "", i64::MAX).await? {
                relations::store::accept(&mut tx, &follower, me).await?;
                crate::feed::store::backfill(&mut tx, &follower, me).await?;
            }
        }
        tx.commit().await?;
        Ok(profile)
    }

    /// Someone as `viewer` may see them; blocked either way is not found.
    pub async fn profile(&self, viewer: &str, user_id: &str) -> Result<Profile> {
        let person = self.existing(user_id).await?;
        let mut conn = self.platform.db.pool().acquire().await?;
        if relations::store::blocked_either_way(&mut conn, viewer, user_id).await? {
            return Err(SocialError::NotFound);
        }
        let about = store::get(&mut conn, user_id).await?.into();
        let (followers, following) = relations::store::counts(&mut conn, user_id).await?;
        let you_follow = relations::store::follow_state(&mut conn, viewer, user_id).await?;
        let follows_you = relations::store::follow_state(&mut conn, user_id, viewer).await?;
        let you_follow = FollowState::from_stored(you_follow);
        let privacies = trainings::privacies_for(viewer, user_id, you_follow == FollowState::Accepted);
        let totals = trainings::store::totals(&mut conn, user_id, &privacies).await?;
        let records = trainings::store::records(&mut conn, user_id, &privacies).await?;
        let recent = trainings::store::recent(&mut conn, user_id, &privacies, 5).await?;
        let recent = crate::feed::entries(&mut conn, viewer, recent).await?;
        drop(conn);
        let recent = self.with_authors(recent).await?;
        Ok(Profile {
            person,
            about,
            followers,
            following,
            you_follow,
            follows_you: FollowState::from_stored(follows_you),
            totals,
            recent,
            records,
        })
    }

    /// People whose name has these words, without those blocked either way.
    pub async fn search(&self, viewer: &str, query: SearchQuery) -> Result<PeoplePage> {
        let words = query.q.trim();
        if words.is_empty() || words.chars().count() > 100 {
            return Err(SocialError::invalid("q", "search for 1 to 100 characters of a name"));
        }
        let limit = query.limit.unwrap_or(20);
        if !(1..=50).contains(&limit) {
            return Err(SocialError::invalid("limit", "ask for 1 to 50 people"));
        }
        let after = query.cursor.as_deref().filter(|c| !c.is_empty()).map(decode_cursor).transpose()?;
        let after = after.as_ref().map(|(name, id)| (name.as_str(), id.as_str()));
        let found = self.people.search(words, after, limit + 1).await.map_err(SocialError::Internal)?;
        let mut conn = self.platform.db.pool().acquire().await?;
        let blocked = relations::store::blocked_around(&mut conn, viewer).await?;
        drop(conn);
        let mut items = found;
        let next_cursor = (items.len() > limit as usize).then(|| {
            items.truncate(limit as usize);
            let last = items.last().expect("a full page");
            encode_cursor(&last.display_name, &last.id)
        });
        items.retain(|p| !blocked.contains(&p.id));
        Ok(PeoplePage { items, next_cursor })
    }

    /// Someone's followers or followings, a page at a time: shown when
    /// their profile is public, to their followers, and to themselves.
    pub async fn follow_list(
        &self,
        viewer: &str,
        user_id: &str,
        followers: bool,
        cursor: Option<&str>,
    ) -> Result<PeoplePage> {
        self.existing(user_id).await?;
        let ids = {
            let mut conn = self.platform.db.pool().acquire().await?;
            if relations::store::blocked_either_way(&mut conn, viewer, user_id).await? {
                return Err(SocialError::NotFound);
            }
            let private = store::is_private(&mut conn, user_id).await?;
            let accepted = relations::store::follow_state(&mut conn, viewer, user_id).await?.as_deref()
                == Some(relations::ACCEPTED);
            if private && viewer != user_id && !accepted {
                return Err(SocialError::NotFound);
            }
            relations::store::people(&mut conn, user_id, followers, relations::ACCEPTED, cursor.unwrap_or(""), 51)
                .await?
        };
        self.page_of(ids, 50).await
    }

    /// The requests waiting for my approval.
    pub async fn requests(&self, me: &str, cursor: Option<&str>) -> Result<PeoplePage> {
        let ids = {
            let mut conn = self.platform.db.pool().acquire().await?;
            relations::store::people(&mut conn, me, true, relations::PENDING, cursor.unwrap_or(""), 51).await?
        };
        self.page_of(ids, 50).await
    }

    pub async fn blocked(&self, me: &str) -> Result<Vec<PublicProfile>> {
        let ids = {
            let mut conn = self.platform.db.pool().acquire().await?;
            relations::store::blocked_by(&mut conn, me).await?
        };
        self.profiles_of(&ids).await
    }

    /// People by id, as identity knows them; gone accounts are left out.
    async fn page_of(&self, mut ids: Vec<String>, limit: usize) -> Result<PeoplePage> {
        let next_cursor = (ids.len() > limit).then(|| {
            ids.truncate(limit);
            ids.last().cloned().unwrap_or_default()
        });
        Ok(PeoplePage { items: self.profiles_of(&ids).await?, next_cursor })
    }

    /// People by id, in the order of `ids`; gone accounts are left out.
    pub(crate) async fn profiles_of(&self, ids: &[String]) -> Result<Vec<PublicProfile>> {
        let mut known = self.people_by_id(ids).await?;
        Ok(ids.iter().filter_map(|id| known.remove(id)).collect())
    }

    /// The people among `ids`, asking identity once.
    pub(crate) async fn people_by_id(&self, ids: &[String]) -> Result<HashMap<String, PublicProfile>> {
        let people = self.people.profiles(ids).await.map_err(SocialError::Internal)?;
        Ok(people.into_iter().map(|person| (person.id.clone(), person)).collect())
    }
}

fn encode_cursor(name: &str, id: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{name}\n{id}"))
}

fn decode_cursor(cursor: &str) -> Result<(String, String)> {
    use base64::Engine;
    let bad = || SocialError::invalid("cursor", "the cursor is not one this server gave");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (name, id) = text.split_once('\n').ok_or_else(bad)?;
    Ok((name.to_string(), id.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_home_area_is_kept_coarse() {
        let profile = StoredProfile { home_area: Some("u33dbfcyegcv".into()), ..StoredProfile::default() };
        assert_eq!(profile.checked().unwrap().home_area.as_deref(), Some("u33db"));
        let wrong = StoredProfile { home_area: Some("u33a".into()), ..StoredProfile::default() };
        assert!(wrong.checked().is_err(), "a is not a geohash letter");
    }

    #[test]
    fn cursors_read_back() {
        let cursor = encode_cursor("Anna Berg", "0193");
        assert_eq!(decode_cursor(&cursor).unwrap(), ("Anna Berg".to_string(), "0193".to_string()));
        assert!(decode_cursor("!!").is_err());
    }
}
