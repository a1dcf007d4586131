//! Results the worker keeps per (filter, parameters), so that only what a change touches is
//! computed again.
//!
//! A filter change makes every page ask for its analysis of the new selection. Each analysis is
//! computed once per filter and parameters and kept: going back to an earlier filter (a chip
//! removed, a district toggled off and on), revisiting a page, or re-running with the same
//! parameters answers from here at once instead of clustering or mapping the rows again. What a
//! result is combined with at answer time (the temporal patterns colouring a map, the hotspots of
//! the last clustering) is not kept: it is taken from the worker's state when answering.
//!
//! A few results per analysis, least recently used dropped first: a clustering of 500,000 rows
//! keeps 2 MB of labels, a map of 20,000 points 0.5 MB. A new dataset empties every memo.

use std::collections::VecDeque;
use std::rc::Rc;

use serde::Serialize;

/// Results kept per analysis.
pub const KEPT: usize = 6;

/// The identity of a request: its filter and parameters, as canonical JSON.
pub fn key(parts: &impl Serialize) -> String {
    serde_json::to_string(parts).expect("requests serialise")
}

/// The last [`KEPT`] results of one analysis, most recently used first.
pub struct Memo<V> {
    entries: VecDeque<(String, Rc<V>)>,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo { entries: VecDeque::new() }
    }
}

impl<V> Memo<V> {
    /// The result kept for `key`, now the most recently used.
    pub fn get(&mut self, key: &str) -> Option<Rc<V>> {
        let at = self.entries.iter().position(|(k, _)| k == key)?;
        let entry = self.entries.remove(at)?;
        let value = entry.1.clone();
        self.entries.push_front(entry);
        Some(value)
    }

    /// Keeps `value` for `key`, dropping the least recently used past [`KEPT`].
    pub fn put(&mut self, key: String, value: V) -> Rc<V> {
        self.entries.retain(|(k, _)| *k != key);
        let value = Rc::new(value);
        self.entries.push_front((key, value.clone()));
        self.entries.truncate(KEPT);
        value
    }

    /// The kept result for `key`, or `compute`'s, kept when it succeeds.
    pub fn get_or_try<E>(&mut self, key: String, compute: impl FnOnce() -> Result<V, E>) -> Result<Rc<V>, E> {
        if let Some(v) = self.get(&key) {
            return Ok(v);
        }
        compute().map(|v| self.put(key, v))
    }

    /// The kept result for `key`, or `compute`'s, kept.
    pub fn get_or(&mut self, key: String, compute: impl FnOnce() -> V) -> Rc<V> {
        match self.get(&key) {
            Some(v) => v,
            None => self.put(key, compute()),
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_most_recently_used_results() {
        let mut m = Memo::default();
        for i in 0..KEPT {
            m.put(key(&("f", i)), i);
        }
        // Using the oldest makes it the newest: the next one out is the second oldest.
        assert_eq!(m.get(&key(&("f", 0))).as_deref(), Some(&0));
        m.put(key(&("f", 99)), 99);
        assert_eq!(m.len(), KEPT);
        assert!(m.get(&key(&("f", 1))).is_none());
        assert_eq!(m.get(&key(&("f", 0))).as_deref(), Some(&0));
        m.clear();
        assert!(m.is_empty());
    }

    #[test]
    fn computes_once_per_key_and_keeps_no_failure() {
        let mut m: Memo<u32> = Memo::default();
        let mut runs = 0;
        let mut run = |m: &mut Memo<u32>, k: &str, ok: bool| {
            m.get_or_try(k.to_string(), || {
                runs += 1;
                if ok {
                    Ok(7)
                } else {
                    Err("no")
                }
            })
        };
        assert_eq!(run(&mut m, "a", false), Err("no"));
        assert_eq!(run(&mut m, "a", true).map(|v| *v), Ok(7));
        assert_eq!(run(&mut m, "a", true).map(|v| *v), Ok(7));
        // Computed by the failed call and the next one; the third was answered from the memo.
        assert_eq!(runs, 2);
        assert_ne!(key(&("a", 1)), key(&("a", 2)));
    }
}
