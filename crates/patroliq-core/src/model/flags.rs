//! A yes / no / unknown column (arrest, domestic) in two bits a row, four rows a byte: a quarter
//! of the byte a row it took, 1.5 bytes a row for the two at 8.3 M rows.

use std::ops::Index;

use super::NULL_U8;

/// Each row's value as the rest of the table reads it: 0, 1 or [`NULL_U8`] (missing).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlagColumn {
    /// Row i in bits 2·(i mod 4) and up of byte i / 4: 0 no, 1 yes, 2 missing. Bits past the last
    /// row are 0, so equal columns are equal bytes.
    bits: Vec<u8>,
    len: usize,
}

/// What the two bits stand for, as references: [`Index`] hands out a `&u8`, so `t.arrest[i]`
/// reads as it did when the column was a `Vec<u8>`.
const VALUES: [u8; 4] = [0, 1, NULL_U8, NULL_U8];

const MISSING: u8 = 2;

impl FlagColumn {
    /// Appends 0, 1 or anything else for missing.
    #[inline]
    pub fn push(&mut self, v: u8) {
        let bits = match v {
            0 | 1 => v,
            _ => MISSING,
        };
        let shift = (self.len % 4) * 2;
        if shift == 0 {
            self.bits.push(bits);
        } else {
            *self.bits.last_mut().expect("a byte for rows 4k + 1 to 4k + 3") |= bits << shift;
        }
        self.len += 1;
    }

    #[inline]
    pub fn get(&self, row: usize) -> u8 {
        self[row]
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = u8> + '_ {
        (0..self.len).map(|i| self.get(i))
    }

    /// Bytes held (capacity).
    pub fn heap_bytes(&self) -> usize {
        self.bits.capacity()
    }

    /// Bytes used by the rows so far.
    pub fn used_bytes(&self) -> usize {
        self.bits.len()
    }

    /// Room for `rows` more rows.
    pub fn reserve_exact(&mut self, rows: usize) {
        let bytes = (self.len + rows).div_ceil(4);
        self.bits.reserve_exact(bytes.saturating_sub(self.bits.len()));
    }

    pub fn shrink_to_fit(&mut self) {
        self.bits.shrink_to_fit();
    }
}

impl Index<usize> for FlagColumn {
    type Output = u8;

    #[inline]
    fn index(&self, row: usize) -> &u8 {
        assert!(row < self.len, "row {row} of {}", self.len);
        &VALUES[usize::from((self.bits[row / 4] >> ((row % 4) * 2)) & 3)]
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
    #[should_panic(expected = "row 5 of 5")]
    fn a_row_past_the_end_is_refused() {
        let mut c = FlagColumn::default();
        c.extend([1, 0, 1, 0, 1]);
        let _ = c[5];
    }
}
