//! One code a row for the combination of several columns' codes, found one column at a time
//! ([`super::CrimeTable::share_codes`]).
//!
//! Each pass refines every row's combination so far by its code in one more column: the pair
//! (combination, code) is looked up in a table indexed by both directly while that table is
//! small (the combinations so far times the column's codes), in a hash map otherwise. A pass is
//! one tight loop over one column; hashing each row's whole combination at once, with a cache by
//! its first value, took 0.33 s of the whole history's 3.5 s load once the location description
//! and the flags joined the IUCR code's group (the cache missed whenever they differed).

use rustc_hash::FxHashMap;

/// The most entries of a table indexed directly (16 MB of `u32`, for a moment).
const DIRECT: usize = 1 << 22;

/// Each row's combination code and, by code, the first row that has it (whose values are the
/// combination's).
pub(super) struct Combos {
    pub key: Vec<u16>,
    pub first: Vec<u32>,
}

impl Combos {
    /// `n` rows, all of the one empty combination.
    pub fn new(n: usize) -> Combos {
        Combos { key: vec![0; n], first: if n == 0 { Vec::new() } else { vec![0] } }
    }

    /// Refines the combinations by one more column's codes, each below `bound`, in row order.
    /// False (and the combinations left part-way) once there are more than two bytes number:
    /// a refinement only ever adds combinations, so the group cannot share a two-byte key.
    pub fn refine(&mut self, bound: usize, codes: impl Iterator<Item = u32>) -> bool {
        let mut next: Vec<u32> = Vec::new();
        // The code of a combination new at row i, if it fits two bytes.
        let mut add = |i: usize| -> Option<u16> {
            let c = u16::try_from(next.len()).ok()?;
            next.push(i as u32);
            Some(c)
        };
        let rows = self.key.iter_mut().zip(codes).enumerate();
        let ids = self.first.len();
        if ids.saturating_mul(bound) <= DIRECT {
            let mut table = vec![u32::MAX; ids * bound];
            for (i, (k, c)) in rows {
                debug_assert!((c as usize) < bound, "code {c} of at most {bound}");
                let at = usize::from(*k) * bound + c as usize;
                if table[at] == u32::MAX {
                    let Some(new) = add(i) else { return false };
                    table[at] = u32::from(new);
                }
                *k = table[at] as u16;
            }
        } else {
            // Each combination's last code and what they made: the columns grouped go together,
            // so a combination nearly always meets one code (a block, one beat) and the hash is
            // rarely probed.
            let mut recent = vec![(u32::MAX, 0u16); ids];
            let mut table: FxHashMap<(u16, u32), u16> = FxHashMap::default();
            for (i, (k, c)) in rows {
                let last = &mut recent[usize::from(*k)];
                if last.0 != c {
                    let code = match table.get(&(*k, c)) {
                        Some(&code) => code,
                        None => {
                            let Some(new) = add(i) else { return false };
                            table.insert((*k, c), new);
                            new
                        }
                    };
                    *last = (c, code);
                }
                *k = last.1;
            }
        }
        self.first = next;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows with the same values in every column share a code and no others do, whether the
    /// pairs were looked up directly or hashed; past 65,536 combinations the refinement stops.
    #[test]
    fn equal_rows_and_only_they_share_a_code() {
        let a: Vec<u32> = (0..5000u32).map(|i| i * 7 % 13).collect();
        let b: Vec<u32> = (0..5000u32).map(|i| i * 11 % 5).collect();
        let c: Vec<u32> = (0..5000u32).map(|i| (i / 100) * 1_000_003).collect();
        for big in [false, true] {
            let mut combos = Combos::new(5000);
            assert!(combos.refine(13, a.iter().copied()));
            assert!(combos.refine(5, b.iter().copied()));
            // Codes up to 49 M: the pairs are hashed.
            let bound = if big { 50_000_000 } else { 1 };
            let third = c.iter().map(|&v| if big { v } else { 0 });
            assert!(combos.refine(bound, third));
            let row = |i: usize| (a[i], b[i], if big { c[i] } else { 0 });
            for i in 0..5000 {
                let first = combos.first[usize::from(combos.key[i])] as usize;
                assert_eq!(row(first), row(i), "row {i} and its combination's first row");
                assert!(first <= i);
            }
            let distinct: std::collections::BTreeSet<_> = (0..5000).map(row).collect();
            assert_eq!(combos.first.len(), distinct.len());
        }
        let mut combos = Combos::new(70_000);
        assert!(!combos.refine(70_000, 0..70_000u32));
        assert!(Combos::new(0).refine(3, std::iter::empty()));
    }
}
