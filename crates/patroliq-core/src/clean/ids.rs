//! The set of IDs kept so far, for dropping duplicates: a paged bitmap while the IDs are dense
//! (the portal numbers its incidents consecutively: 8 million IDs span ~13 million numbers), a
//! hash set once they are not.
//!
//! A hash set of 8 million IDs is a 150 MB table probed at random — a fifth of a whole Parquet
//! load's time went to its cache misses. A page of the bitmap covers 4,096 consecutive IDs in
//! 512 bytes, and a file's rows, in any order, touch few pages: the page table is small and hot.

use rustc_hash::{FxHashMap, FxHashSet};

const PAGE_BITS: u32 = 12;
const WORDS: usize = (1 << PAGE_BITS) / 64;

pub(crate) enum IdSet {
    Pages { pages: FxHashMap<i64, Box<[u64; WORDS]>>, len: usize },
    Hashed(FxHashSet<i64>),
}

impl Default for IdSet {
    fn default() -> Self {
        IdSet::Pages { pages: FxHashMap::default(), len: 0 }
    }
}

impl IdSet {
    /// Adds `id`; false if it was already there.
    #[inline]
    pub(crate) fn insert(&mut self, id: i64) -> bool {
        match self {
            IdSet::Pages { pages, len } => {
                let page = pages.entry(id >> PAGE_BITS).or_insert_with(|| Box::new([0; WORDS]));
                let bit = (id & ((1 << PAGE_BITS) - 1)) as usize;
                let (w, m) = (bit / 64, 1u64 << (bit % 64));
                if page[w] & m != 0 {
                    return false;
                }
                page[w] |= m;
                *len += 1;
                // Sparse IDs (a few per page) cost 512 bytes each: a hash set is smaller then.
                if pages.len() > 1024 && pages.len() * 8 > *len {
                    self.switch_to_hashing();
                }
                true
            }
            IdSet::Hashed(s) => s.insert(id),
        }
    }

    fn switch_to_hashing(&mut self) {
        let IdSet::Pages { pages, len } = self else { return };
        let mut s = FxHashSet::with_capacity_and_hasher(*len * 2, Default::default());
        for (&p, words) in pages.iter() {
            for (w, &word) in words.iter().enumerate() {
                let mut bits = word;
                while bits != 0 {
                    let b = bits.trailing_zeros() as i64;
                    s.insert((p << PAGE_BITS) + w as i64 * 64 + b);
                    bits &= bits - 1;
                }
            }
        }
        *self = IdSet::Hashed(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn it_is_a_set(ids in prop::collection::vec(prop_oneof![-5000i64..5000, any::<i64>()], 0..6000)) {
            let mut s = IdSet::default();
            let mut want = std::collections::HashSet::new();
            for id in ids {
                prop_assert_eq!(s.insert(id), want.insert(id));
            }
        }
    }

    #[test]
    fn sparse_ids_move_to_a_hash_set_and_stay_a_set() {
        let mut s = IdSet::default();
        for i in 0..5000i64 {
            assert!(s.insert(i * 1_000_003));
        }
        assert!(matches!(s, IdSet::Hashed(_)));
        for i in 0..5000i64 {
            assert!(!s.insert(i * 1_000_003));
        }
        let mut d = IdSet::default();
        for i in (0..200_000i64).rev() {
            assert!(d.insert(i + 11_000_000));
        }
        assert!(matches!(d, IdSet::Pages { .. }) && !d.insert(11_000_000));
    }
}
