//! How a change made offline meets the record as the server has it: per
//! field, the later clock wins; a delete wins over every older edit and
//! loses to a newer one. Pure, so that the rules are tested on their own.

use std::collections::HashMap;

use serde_json::Value;

use crate::clock::Clock;
use crate::entities::Fields;

/// What sync remembers of a field: the clock that set it, and its value then.
#[derive(Clone, Debug, PartialEq)]
pub struct Remembered {
    pub clock: Clock,
    pub value: Value,
}

/// The clock each current field was set at. A field whose value is still
/// the one sync remembers carries that change's clock; any other was set
/// through the regular API, at the time of the record's latest change.
pub fn clocks_now(
    current: &Fields,
    remembered: &HashMap<String, Remembered>,
    latest: &Clock,
) -> HashMap<String, Clock> {
    current
        .iter()
        .map(|(field, value)| {
            let clock = match remembered.get(field) {
                Some(r) if &r.value == value => r.clock.clone(),
                _ => latest.clone(),
            };
            (field.clone(), clock)
        })
        .collect()
}

/// The fields of an edit made at `clock` that win, and the names of those
/// that lose to a later change. A field set at this very clock was set by
/// this same change, sent again after its id was forgotten: it wins again.
pub fn edit(fields: &Fields, clock: &Clock, now: &HashMap<String, Clock>) -> (Fields, Vec<String>) {
    let mut won = Fields::new();
    let mut lost = Vec::new();
    for (field, value) in fields {
        match now.get(field) {
            Some(set) if set > clock => lost.push(field.clone()),
            _ => {
                won.insert(field.clone(), value.clone());
            }
        }
    }
    (won, lost)
}

/// The fields changed after a delete made at `clock`; none: the delete wins.
pub fn changed_after(clock: &Clock, now: &HashMap<String, Clock>) -> Vec<String> {
    let mut later: Vec<String> = now.iter().filter(|(_, set)| *set >= clock).map(|(f, _)| f.clone()).collect();
    later.sort();
    later
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn clock(ms: i64, device: &str) -> Clock {
        Clock::parse(&format!("{ms:015}-00000-{device}")).unwrap()
    }

    fn fields(v: Value) -> Fields {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn a_field_keeps_the_clock_that_set_it_until_the_api_changes_it() {
        let current = fields(json!({"title": "Hills", "notes": "edited on the web"}));
        let remembered = HashMap::from([
            ("title".to_string(), Remembered { clock: clock(10, "a"), value: json!("Hills") }),
            ("notes".to_string(), Remembered { clock: clock(10, "a"), value: json!("") }),
        ]);
        let now = clocks_now(&current, &remembered, &Clock::server(50));
        assert_eq!(now["title"], clock(10, "a"));
        assert_eq!(now["notes"], Clock::server(50));
    }

    #[test]
    fn the_later_clock_wins_each_field_on_its_own() {
        let now = HashMap::from([("title".to_string(), clock(20, "b")), ("notes".to_string(), clock(5, "b"))]);
        let (won, lost) = edit(&fields(json!({"title": "mine", "notes": "mine"})), &clock(10, "a"), &now);
        assert_eq!(won, fields(json!({"notes": "mine"})));
        assert_eq!(lost, vec!["title"]);
        // The same change again, its id forgotten: it still holds.
        let (won, lost) = edit(&fields(json!({"title": "x"})), &clock(20, "b"), &now);
        assert_eq!((won, lost), (fields(json!({"title": "x"})), vec![]));
    }

    #[test]
    fn a_delete_loses_only_to_later_edits() {
        let now = HashMap::from([("title".to_string(), clock(20, "b")), ("notes".to_string(), clock(5, "b"))]);
        assert!(changed_after(&clock(30, "a"), &now).is_empty());
        assert_eq!(changed_after(&clock(10, "a"), &now), vec!["title"]);
    }
}
