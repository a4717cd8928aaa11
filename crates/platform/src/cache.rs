//! A map of values that never change once written, bounded by the bytes
//! they hold: a read that finds its value here skips the database's copy.
//! Over the budget, the values kept longest go first. Every replica keeps
//! its own, so only what cannot change may be kept (or a value with the
//! stamp that says which version it is, checked by the reader against a
//! fresh row).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

pub struct Bounded<V> {
    budget: usize,
    held: Mutex<Held<V>>,
}

struct Held<V> {
    values: HashMap<String, (V, usize)>,
    /// The keys in the order they came: each key of `values` once.
    arrival: VecDeque<String>,
    bytes: usize,
}

impl<V: Clone> Bounded<V> {
    /// At most `budget` bytes, as the weights given with the values count them.
    pub fn new(budget: usize) -> Self {
        let held = Held { values: HashMap::new(), arrival: VecDeque::new(), bytes: 0 };
        Self { budget, held: Mutex::new(held) }
    }

    pub fn get(&self, key: &str) -> Option<V> {
        self.held().values.get(key).map(|(value, _)| value.clone())
    }

    /// Keeps `value` under `key`, making room by letting the oldest go; a
    /// value over an eighth of the budget is not kept, so that one large
    /// value cannot push out many.
    pub fn insert(&self, key: &str, value: V, bytes: usize) {
        if bytes > self.budget / 8 {
            return;
        }
        let mut held = self.held();
        match held.values.insert(key.to_owned(), (value, bytes)) {
            Some((_, replaced)) => held.bytes -= replaced,
            None => held.arrival.push_back(key.to_owned()),
        }
        held.bytes += bytes;
        while held.bytes > self.budget {
            let Some(oldest) = held.arrival.pop_front() else { break };
            if let Some((_, freed)) = held.values.remove(&oldest) {
                held.bytes -= freed;
            }
        }
    }

    /// The bytes held now.
    pub fn bytes(&self) -> usize {
        self.held().bytes
    }

    /// What is held, the lock taken as it is after a panic elsewhere, as
    /// before: nothing here is worth failing a request for.
    fn held(&self) -> std::sync::MutexGuard<'_, Held<V>> {
        self.held.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::Bounded;

    #[test]
    fn the_oldest_values_go_when_the_budget_is_spent() {
        let cache = Bounded::new(800);
        for i in 0..10 {
            cache.insert(&format!("k{i}"), i, 100);
        }
        assert_eq!(cache.bytes(), 800);
        assert_eq!(cache.get("k0"), None);
        assert_eq!(cache.get("k1"), None);
        assert_eq!(cache.get("k2"), Some(2));
        assert_eq!(cache.get("k9"), Some(9));
    }

    #[test]
    fn a_value_written_again_is_counted_once() {
        let cache = Bounded::new(800);
        cache.insert("k", 1, 100);
        cache.insert("k", 2, 60);
        assert_eq!(cache.bytes(), 60);
        assert_eq!(cache.get("k"), Some(2));
    }

    #[test]
    fn a_value_over_an_eighth_of_the_budget_is_not_kept() {
        let cache = Bounded::new(800);
        cache.insert("small", 1, 100);
        cache.insert("large", 2, 101);
        assert_eq!(cache.get("large"), None);
        assert_eq!(cache.get("small"), Some(1));
        assert_eq!(cache.bytes(), 100);
    }
}
