//! The words every context uses about people: who may see what they record,
//! the language and units they chose, their role, how others see them, and
//! what competitions place them in categories by.
//! Identity keeps each person's choices; other contexts ask for them through
//! small traits of their own, and both sides speak these types.

mod athlete;
mod language;
mod privacy;
mod profile;
mod role;
mod units;

pub use athlete::AthleteFacts;
pub use language::Language;
pub use privacy::Privacy;
pub use profile::PublicProfile;
pub use role::Role;
pub use units::Units;
