use serde::{Deserialize, Serialize};

/// What competitions place a person in categories by, as the person told
/// identity; each is `None` when they did not say. `sex` is `female` or
/// `male`; `weight_kg` is the body weight in kilograms.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AthleteFacts {
    pub sex: Option<String>,
    pub birth_year: Option<i32>,
    pub weight_kg: Option<f64>,
}
