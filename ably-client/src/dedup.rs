//! A bounded set of recently seen message ids: the oldest id is forgotten once the set is
//! full, so memory stays constant however long the client runs.

use std::collections::{HashSet, VecDeque};

/// The last `capacity` distinct ids, in arrival order.
#[derive(Debug)]
pub(crate) struct RecentIds {
    capacity: usize,
    order: VecDeque<String>,
    set: HashSet<String>,
}

impl RecentIds {
    /// An empty set remembering at most `capacity` ids (at least one).
    pub(crate) fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            capacity,
            order: VecDeque::with_capacity(capacity),
            set: HashSet::with_capacity(capacity),
        }
    }

    /// Records `id`; `true` if it was not already remembered.
    pub(crate) fn insert(&mut self, id: &str) -> bool {
        if self.set.contains(id) {
            return false;
        }
        if self.order.len() == self.capacity
            && let Some(oldest) = self.order.pop_front()
        {
            self.set.remove(&oldest);
        }
        self.order.push_back(id.to_string());
        self.set.insert(id.to_string());
        true
    }

    /// Whether `id` is remembered.
    #[cfg(test)]
    pub(crate) fn contains(&self, id: &str) -> bool {
        self.set.contains(id)
    }

    /// How many ids are remembered.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.order.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_reported_once() {
        let mut ids = RecentIds::new(10);
        assert!(ids.insert("a"));
        assert!(!ids.insert("a"));
        assert!(ids.insert("b"));
        assert!(ids.contains("a") && ids.contains("b"));
    }

    #[test]
    fn memory_is_bounded_and_oldest_forgotten_first() {
        let mut ids = RecentIds::new(3);
        for id in ["a", "b", "c", "d"] {
            assert!(ids.insert(id));
        }
        assert_eq!(ids.len(), 3);
        assert!(!ids.contains("a"));
        assert!(ids.contains("b") && ids.contains("d"));
        // A re-seen id does not refresh or grow the set.
        assert!(!ids.insert("b"));
        assert_eq!(ids.len(), 3);
        assert!(ids.insert("a"));
        assert!(!ids.contains("b"));
    }

    #[test]
    fn zero_capacity_still_remembers_the_last_id() {
        let mut ids = RecentIds::new(0);
        assert!(ids.insert("a"));
        assert!(!ids.insert("a"));
    }
}
