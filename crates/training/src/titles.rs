//! A workout's title when the person gave none: the file's own name when it
//! says something, else the time of day and the sport in the person's
//! language ("Morning Run", "Бег утром"), never a device's "ACTIVE LOG".

use platform::people::Language;
use serde::{Deserialize, Serialize};

use crate::sports::Sport;

/// What a made title depends on besides the workout itself.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
pub struct TitleContext {
    pub language: Language,
    /// The device's offset from UTC when it uploaded; unknown, the offset is
    /// guessed from where the track starts (the sun's time there).
    pub utc_offset_minutes: Option<i32>,
}

/// Names that devices give every track and that tell a person nothing.
const DEVICE_NAMES: &[&str] = &["active log", "current track", "current", "track", "untitled", "activity", "move"];

/// The file's name for the track, unless it is one of the devices' defaults
/// (`ACTIVE LOG`, `Current Track: 05 AUG 2010 07:12`).
pub fn meaningful(name: &str) -> Option<&str> {
    let name = name.trim();
    let lower = name.to_lowercase();
    let stem = lower.split(':').next().unwrap_or_default().trim();
    if name.is_empty() || DEVICE_NAMES.contains(&stem) || stem.chars().all(|c| !c.is_alphabetic()) {
        return None;
    }
    Some(name)
}

/// "Morning Run" from the sport and the local hour of the start.
pub fn made(sport: &Sport, start_ms: i64, offset_minutes: i32, language: Language) -> String {
    let local_hour = (start_ms / 60_000 + i64::from(offset_minutes)).rem_euclid(24 * 60) / 60;
    let part = PartOfDay::at(local_hour as u32);
    match language {
        Language::En => format!("{} {}", part.english(), noun(sport, language)),
        Language::Ru => format!("{} {}", noun(sport, language), part.russian()),
    }
}

/// The offset of solar time where a track starts: 15° of longitude an hour.
/// Close enough to the clock to tell morning from evening.
pub fn offset_from_longitude(lon: f64) -> i32 {
    ((lon / 15.0).round() as i32).clamp(-12, 14) * 60
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PartOfDay {
    Morning,
    Afternoon,
    Evening,
    Night,
}

impl PartOfDay {
    fn at(hour: u32) -> Self {
        match hour {
            5..=11 => PartOfDay::Morning,
            12..=16 => PartOfDay::Afternoon,
            17..=21 => PartOfDay::Evening,
            _ => PartOfDay::Night,
        }
    }

    fn english(self) -> &'static str {
        match self {
            PartOfDay::Morning => "Morning",
            PartOfDay::Afternoon => "Afternoon",
            PartOfDay::Evening => "Evening",
            PartOfDay::Night => "Night",
        }
    }

    /// An adverb: it agrees with every sport's noun, where an adjective would not.
    fn russian(self) -> &'static str {
        match self {
            PartOfDay::Morning => "утром",
            PartOfDay::Afternoon => "днём",
            PartOfDay::Evening => "вечером",
            PartOfDay::Night => "ночью",
        }
    }
}

/// What a training of each built-in sport is called, in English and in
/// Russian; a sport added by an administrator goes by its name.
const NOUNS: &[(&str, &str, &str)] = &[
    ("running", "Run", "Бег"),
    ("trail-running", "Trail Run", "Трейл"),
    ("cycling", "Ride", "Велозаезд"),
    ("mountain-biking", "Mountain Bike Ride", "Маунтинбайк"),
    ("swimming", "Swim", "Плавание"),
    ("walking", "Walk", "Прогулка"),
    ("hiking", "Hike", "Поход"),
    ("rowing", "Row", "Гребля"),
    ("skiing", "Ski", "Лыжи"),
    ("strength", "Strength Training", "Силовая тренировка"),
    ("yoga", "Yoga", "Йога"),
    ("other", "Workout", "Тренировка"),
];

fn noun(sport: &Sport, language: Language) -> String {
    match NOUNS.iter().find(|(id, _, _)| *id == sport.id) {
        Some((_, english, _)) if language == Language::En => english.to_string(),
        Some((_, _, russian)) => russian.to_string(),
        None => sport.name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sport(id: &str, name: &str) -> Sport {
        Sport { id: id.into(), name: name.into(), icon: String::new(), has_distance: true, position: 0 }
    }

    #[test]
    fn titles_follow_the_local_time_of_day_and_the_language() {
        let run = sport("running", "Running");
        // 2010-08-05 05:30 UTC.
        let start = 1_280_986_200_000;
        assert_eq!(made(&run, start, 120, Language::En), "Morning Run");
        assert_eq!(made(&run, start, 0, Language::En), "Morning Run");
        assert_eq!(made(&run, start, -360, Language::En), "Night Run");
        assert_eq!(made(&sport("cycling", "Cycling"), start, 600, Language::En), "Afternoon Ride");
        assert_eq!(made(&run, start, 720, Language::Ru), "Бег вечером");
        assert_eq!(made(&sport("kayak", "Kayaking"), start, 120, Language::En), "Morning Kayaking");
    }

    #[test]
    fn device_defaults_are_not_titles() {
        for generic in ["ACTIVE LOG", "Active Log", "Current Track: 05 AUG 2010 07:12", "  ", "2010-08-05 07:12"] {
            assert_eq!(meaningful(generic), None, "{generic}");
        }
        assert_eq!(meaningful(" Lake loop "), Some("Lake loop"));
        assert_eq!(meaningful("Morning Run"), Some("Morning Run"));
    }

    #[test]
    fn the_offset_guessed_from_longitude_is_the_suns() {
        assert_eq!(offset_from_longitude(14.4), 60);
        assert_eq!(offset_from_longitude(-73.9), -300);
        assert_eq!(offset_from_longitude(179.9), 720);
    }
}
