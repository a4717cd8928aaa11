/// A person as others see them beside what they recorded.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PublicProfile {
    pub id: String,
    pub display_name: String,
    /// Their picture (open to `<img>`, no token needed), or null.
    pub avatar_url: Option<String>,
}
