//! A yes / no / unknown column (arrest, domestic) in two bits a row, four rows a byte: a quarter
//! of the byte a row it took, 1.5 bytes a row for the two at 8.3 M rows. Once a table is loaded
//! the two flags join the key the offence columns share ([`super::CrimeTable::share_codes`]):
//! whether a kind of crime ends in an arrest, or is domestic, is nearly always the same few
//! answers, so the key's combinations grow (10,840 → 18,410 in the 8.2 M rows of the test
//! history) while the flags' half byte a row goes.

use std::ops::Index;

use super::{SharedKey, NULL_U8};

/// Each row's value as the rest of the table reads it: 0, 1 or [`NULL_U8`] (missing).
#[derive(Debug, Clone)]
pub struct FlagColumn(Flags);

#[derive(Debug, Clone)]
enum Flags {
    /// Row i in bits 2·(i mod 4) and up of byte i / 4: 0 no, 1 yes, 2 missing. Bits past the last
    /// row are 0.
    Own { bits: Vec<u8>, len: usize },
    /// Row i's two bits are `map[key[i]]`.
    Via { key: SharedKey, map: Vec<u8> },
}

impl Default for FlagColumn {
    fn default() -> Self {
        FlagColumn(Flags::Own { bits: Vec::new(), len: 0 })
    }
}

/// The same value in every row, however each side stores them.
impl PartialEq for FlagColumn {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

/// What the two bits stand for, as references: [`Index`] hands out a `&u8`, so `t.arrest[i]`
/// reads as it did when the column was a `Vec<u8>`.
const VALUES: [u8; 4] = [0, 1, NULL_U8, NULL_U8];

const MISSING: u8 = 2;

/// The two bits that stand for `v`: 0, 1, or missing for anything else.
fn bits_of(v: u8) -> u8 {
    match v {
        0 | 1 => v,
        _ => MISSING,
    }
}

impl FlagColumn {
    /// Row i's value `map[key[i]]` (each 0, 1 or missing as [`FlagColumn::push`] takes them).
    pub(super) fn shared(key: SharedKey, map: &[u8]) -> Self {
        FlagColumn(Flags::Via { key, map: map.iter().map(|&v| bits_of(v)).collect() })
    }

    /// The shared key, when there is one.
    pub(super) fn key(&self) -> Option<&SharedKey> {
        match &self.0 {
            Flags::Own { .. } => None,
            Flags::Via { key, .. } => Some(key),
        }
    }

    /// The rows as bits of their own again, to be appended to.
    fn own(&mut self) -> (&mut Vec<u8>, &mut usize) {
        if let Flags::Via { key, map } = &self.0 {
            let (key, map) = (SharedKey::clone(key), map.clone());
            self.0 = Flags::Own { bits: Vec::with_capacity(key.len().div_ceil(4)), len: 0 };
            for &k in key.iter() {
                self.push(VALUES[usize::from(map[usize::from(k)])]);
            }
        }
        match &mut self.0 {
            Flags::Own { bits, len } => (bits, len),
            Flags::Via { .. } => unreachable!("owned above"),
        }
    }

    /// Appends 0, 1 or anything else for missing.
    #[inline]
    pub fn push(&mut self, v: u8) {
        let Flags::Own { bits, len } = &mut self.0 else {
            self.own();
            return self.push(v);
        };
        let shift = (*len % 4) * 2;
        if shift == 0 {
            bits.push(bits_of(v));
        } else {
            *bits.last_mut().expect("a byte for rows 4k + 1 to 4k + 3") |= bits_of(v) << shift;
        }
        *len += 1;
    }

    #[inline]
    pub fn get(&self, row: usize) -> u8 {
        self[row]
    }

    pub fn len(&self) -> usize {
        match &self.0 {
            Flags::Own { len, .. } => *len,
            Flags::Via { key, .. } => key.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = u8> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Bytes held (capacity; a shared key is counted once, by the table).
    pub fn heap_bytes(&self) -> usize {
        match &self.0 {
            Flags::Own { bits, .. } => bits.capacity(),
            Flags::Via { map, .. } => map.capacity(),
        }
    }

    /// Bytes used by the rows so far (0 when shared).
    pub fn used_bytes(&self) -> usize {
        match &self.0 {
            Flags::Own { bits, .. } => bits.len(),
            Flags::Via { .. } => 0,
        }
    }

    /// Room for `rows` more rows.
    pub fn reserve_exact(&mut self, rows: usize) {
        let (bits, len) = self.own();
        let bytes = (*len + rows).div_ceil(4);
        bits.reserve_exact(bytes.saturating_sub(bits.len()));
    }

    pub fn shrink_to_fit(&mut self) {
        match &mut self.0 {
            Flags::Own { bits, .. } => bits.shrink_to_fit(),
            Flags::Via { map, .. } => map.shrink_to_fit(),
        }
    }
}

impl Index<usize> for FlagColumn {
    type Output = u8;

    #[inline]
    fn index(&self, row: usize) -> &u8 {
        let two = match &self.0 {
            Flags::Own { bits, len } => {
                assert!(row < *len, "row {row} of {len}");
                (bits[row / 4] >> ((row % 4) * 2)) & 3
            }
            Flags::Via { key, map } => map[usize::from(key[row])],
        };
        &VALUES[usize::from(two)]
    }
}

impl Extend<u8> for FlagColumn {
    fn extend<I: IntoIterator<Item = u8>>(&mut self, values: I) {
        values.into_iter().for_each(|v| self.push(v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_reads_back_in_a_quarter_of_the_bytes() {
        let values: Vec<u8> = (0..1001u32).map(|i| [0, 1, NULL_U8, 7][(i * 7 % 11 % 4) as usize]).collect();
        let mut c = FlagColumn::default();
        c.reserve_exact(values.len());
        c.extend(values.iter().copied());
        assert_eq!(c.len(), 1001);
        assert_eq!(c.used_bytes(), 251);
        for (i, &v) in values.iter().enumerate() {
            let want = if v > 1 { NULL_U8 } else { v };
            assert_eq!((c[i], c.get(i)), (want, want), "row {i}");
        }
        assert!(c.iter().eq(values.iter().map(|&v| if v > 1 { NULL_U8 } else { v })));
        // The same rows pushed one by one make the same column.
        let mut d = FlagColumn::default();
        values.iter().for_each(|&v| d.push(v));
        assert_eq!(c, d);
    }

    #[test]
    fn a_shared_column_reads_its_values_and_owns_them_again_to_append() {
        let key: SharedKey = std::sync::Arc::new(vec![2, 0, 1, 1, 2, 0]);
        let mut c = FlagColumn::shared(key, &[1, 0, NULL_U8]);
        assert_eq!(c.key().map(|k| k.len()), Some(6));
        assert_eq!(c.used_bytes(), 0);
        let want = [NULL_U8, 1, 0, 0, NULL_U8, 1];
        assert!(c.iter().eq(want));
        let mut own = FlagColumn::default();
        own.extend(want);
        assert_eq!(c, own, "equal by value whichever way each is stored");
        c.push(1);
        own.push(1);
        assert!(c.key().is_none());
        assert_eq!(c.used_bytes(), 2);
        assert!(c.iter().eq(want.into_iter().chain([1])));
        assert_eq!(c, own);
    }

    #[test]
    #[should_panic(expected = "row 5 of 5")]
    fn a_row_past_the_end_is_refused() {
        let mut c = FlagColumn::default();
        c.extend([1, 0, 1, 0, 1]);
        let _ = c[5];
    }
}
