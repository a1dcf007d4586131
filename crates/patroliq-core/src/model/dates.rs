//! Incident times in four bytes a row while they allow it.
//!
//! A time is seconds since 1970 in the city's wall-clock time (`i64`). A crime history spans
//! decades, far less than the 136 years 32 bits of seconds hold, so each row stores its offset
//! from a base near the first time — half the bytes, exactly the same seconds (the portal's times
//! carry seconds now and then: 644 of the sample's 500,000). A time more than 68 years from the
//! first (a mistyped year the cleaner's 1900–2200 range lets through) widens the column to
//! `i64` in place, once.
//!
//! Once a load ends, times are packed in three bytes a row ([`DateColumn::pack`]) when they span
//! under 31 years of whole minutes (24 bits of minutes; the portal's whole history, 2001 on, is
//! 26): a time with seconds is kept whole in a short list its row points to. Appending to a
//! packed column makes it narrow again.

/// Times as offsets from `base`, or whole.
#[derive(Debug, Clone)]
pub enum DateColumn {
    /// `base + offset`; no base until the first time.
    Narrow {
        base: Option<i64>,
        offsets: Vec<u32>,
    },
    Wide(Vec<i64>),
    /// `base + 60 · minutes`, the minutes in 3 little-endian bytes a row; [`SECONDS`] for a
    /// row whose time is in `seconds` (by row, ascending).
    Packed {
        base: i64,
        bytes: Vec<u8>,
        seconds: Vec<(u32, i64)>,
    },
}

/// The packed minutes that mean "the time is in the list" (the list's times carry seconds).
const SECONDS: u32 = (1 << 24) - 1;

#[inline]
fn minutes(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], 0])
}

/// The same time in every row, however each side stores them.
impl PartialEq for DateColumn {
    fn eq(&self, other: &DateColumn) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Default for DateColumn {
    fn default() -> Self {
        DateColumn::Narrow { base: None, offsets: Vec::new() }
    }
}

/// The times of a [`DateColumn`] in order (one match on the width a call, not a row).
pub enum Dates<'a> {
    Narrow(i64, std::slice::Iter<'a, u32>),
    Wide(std::slice::Iter<'a, i64>),
    /// The base, the rows' bytes, and the listed times still to come (met in row order).
    Packed(i64, std::slice::ChunksExact<'a, u8>, std::slice::Iter<'a, (u32, i64)>),
}

impl Iterator for Dates<'_> {
    type Item = i64;

    #[inline]
    fn next(&mut self) -> Option<i64> {
        match self {
            Dates::Narrow(base, it) => it.next().map(|&o| *base + i64::from(o)),
            Dates::Wide(it) => it.next().copied(),
            Dates::Packed(base, it, seconds) => it.next().map(|b| match minutes(b) {
                SECONDS => seconds.next().expect("a listed time for every marked row").1,
                m => *base + 60 * i64::from(m),
            }),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Dates::Narrow(_, it) => it.size_hint(),
            Dates::Wide(it) => it.size_hint(),
            Dates::Packed(_, it, _) => it.size_hint(),
        }
    }
}

impl ExactSizeIterator for Dates<'_> {}

impl DateColumn {
    /// Three bytes a row when the times span under 2²⁴ − 1 minutes from the first minute and
    /// few (a sixteenth of the rows at most) carry seconds; nothing changes otherwise.
    pub fn pack(&mut self) {
        if matches!(self, DateColumn::Packed { .. }) || self.is_empty() {
            return;
        }
        let (lo, hi) = self.iter().fold((i64::MAX, i64::MIN), |(lo, hi), t| (lo.min(t), hi.max(t)));
        let base = lo - lo.rem_euclid(60);
        if (hi - base) / 60 >= i64::from(SECONDS) {
            return;
        }
        let n = self.len();
        let mut bytes = Vec::with_capacity(3 * n);
        let mut seconds = Vec::new();
        for (i, t) in self.iter().enumerate() {
            let o = t - base;
            let m = if o % 60 == 0 {
                (o / 60) as u32
            } else {
                if seconds.len() >= n / 16 {
                    return;
                }
                seconds.push((i as u32, t));
                SECONDS
            };
            bytes.extend_from_slice(&m.to_le_bytes()[..3]);
        }
        seconds.shrink_to_fit();
        *self = DateColumn::Packed { base, bytes, seconds };
    }

    /// A packed column as `Narrow` again, to be appended to or changed.
    fn unpack(&mut self) {
        if let DateColumn::Packed { .. } = self {
            let times: Vec<i64> = self.iter().collect();
            *self = DateColumn::default();
            self.extend(times);
        }
    }

    pub fn push(&mut self, t: i64) {
        match self {
            DateColumn::Packed { .. } => {
                self.unpack();
                self.push(t);
            }
            DateColumn::Narrow { base, offsets } => {
                let b = *base.get_or_insert(t.saturating_sub(1 << 31));
                match t.checked_sub(b).and_then(|o| u32::try_from(o).ok()) {
                    Some(o) => offsets.push(o),
                    None => {
                        self.widen();
                        self.push(t);
                    }
                }
            }
            DateColumn::Wide(v) => v.push(t),
        }
    }

    fn widen(&mut self) {
        if let DateColumn::Narrow { .. } = self {
            let mut wide = Vec::with_capacity(self.capacity());
            wide.extend(self.iter());
            *self = DateColumn::Wide(wide);
        }
    }

    /// Appends `times`, matching on the width once, not per time (the Parquet path's columns).
    pub fn extend(&mut self, times: impl IntoIterator<Item = i64>) {
        self.unpack();
        let mut times = times.into_iter();
        let mut misfit = None;
        if let DateColumn::Narrow { base, offsets } = self {
            offsets.reserve(times.size_hint().0);
            for t in times.by_ref() {
                let b = *base.get_or_insert(t.saturating_sub(1 << 31));
                match t.checked_sub(b).and_then(|o| u32::try_from(o).ok()) {
                    Some(o) => offsets.push(o),
                    None => {
                        misfit = Some(t);
                        break;
                    }
                }
            }
        }
        if let Some(t) = misfit {
            self.push(t);
        }
        if let DateColumn::Wide(v) = self {
            v.extend(times);
        }
    }

    /// Row `i`'s time.
    #[inline]
    pub fn get(&self, i: usize) -> i64 {
        match self {
            DateColumn::Narrow { base, offsets } => base.unwrap_or(0) + i64::from(offsets[i]),
            DateColumn::Wide(v) => v[i],
            DateColumn::Packed { base, bytes, seconds } => match minutes(&bytes[3 * i..3 * i + 3]) {
                SECONDS => {
                    let at = seconds.binary_search_by_key(&(i as u32), |&(r, _)| r);
                    seconds[at.expect("a listed time for every marked row")].1
                }
                m => base + 60 * i64::from(m),
            },
        }
    }

    /// Sets row `i`'s time (tests that move rows in time).
    pub fn set(&mut self, i: usize, t: i64) {
        match self {
            DateColumn::Packed { .. } => {
                self.unpack();
                self.set(i, t);
            }
            DateColumn::Narrow { base, offsets } => {
                match t.checked_sub(base.unwrap_or(0)).and_then(|o| u32::try_from(o).ok()) {
                    Some(o) => offsets[i] = o,
                    None => {
                        self.widen();
                        self.set(i, t);
                    }
                }
            }
            DateColumn::Wide(v) => v[i] = t,
        }
    }

    pub fn iter(&self) -> Dates<'_> {
        match self {
            DateColumn::Narrow { base, offsets } => Dates::Narrow(base.unwrap_or(0), offsets.iter()),
            DateColumn::Wide(v) => Dates::Wide(v.iter()),
            DateColumn::Packed { base, bytes, seconds } => {
                Dates::Packed(*base, bytes.chunks_exact(3), seconds.iter())
            }
        }
    }

    /// Bytes the rows use (a packed column's listed times included, beside its 3 a row).
    pub(crate) fn used_bytes(&self) -> usize {
        match self {
            DateColumn::Packed { bytes, seconds, .. } => bytes.len() + seconds.len() * 16,
            _ => self.len() * self.width(),
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        match self {
            DateColumn::Narrow { offsets, .. } => offsets.capacity() * 4,
            DateColumn::Wide(v) => v.capacity() * 8,
            DateColumn::Packed { bytes, seconds, .. } => bytes.capacity() + seconds.capacity() * 16,
        }
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        match self {
            DateColumn::Narrow { offsets, .. } => offsets.shrink_to_fit(),
            DateColumn::Wide(v) => v.shrink_to_fit(),
            DateColumn::Packed { bytes, seconds, .. } => {
                bytes.shrink_to_fit();
                seconds.shrink_to_fit();
            }
        }
    }
}

narrow_or_wide!(DateColumn, Packed);

#[cfg(test)]
mod tests {
    use super::*;

    /// Times within 68 years of the first take four bytes; one farther widens the column, and
    /// every row reads back its own second before and after, by `get` and by `iter`.
    #[test]
    fn times_are_narrow_until_one_is_far() {
        let y2001 = 978_307_200;
        let times = [y2001 + 59, y2001 + 25 * 365 * 86_400 + 1, y2001 - 60 * 365 * 86_400, y2001];
        let mut c = DateColumn::default();
        c.extend(times);
        assert_eq!(c.width(), 4);
        assert_eq!(c.iter().collect::<Vec<_>>(), times);
        c.set(3, y2001 + 7 * 3600);
        assert_eq!((c.width(), c.get(3)), (4, y2001 + 7 * 3600));
        for far in [y2001 + 69 * 365 * 86_400, -2_208_988_800 /* 1900 */, 7_258_118_400 /* 2200 */] {
            let mut d = DateColumn::default();
            d.extend(times.iter().copied().chain([far, y2001]));
            assert_eq!(d.width(), 8, "{far}");
            let want: Vec<i64> = times.iter().copied().chain([far, y2001]).collect();
            assert_eq!((0..d.len()).map(|i| d.get(i)).collect::<Vec<_>>(), want);
            assert_eq!(d.iter().collect::<Vec<_>>(), want);
        }
        let mut e = DateColumn::default();
        e.extend(times);
        e.set(0, 7_258_118_400);
        assert_eq!((e.width(), e.get(0), e.get(1)), (8, 7_258_118_400, times[1]));
    }

    /// Whole minutes over 26 years, a few with seconds, take three bytes a row and read back
    /// exactly by `get` and `iter`; appending or setting a time makes the column narrow again.
    /// A span of 32 years, or seconds on more than a sixteenth of the rows, stays narrow.
    #[test]
    fn times_of_whole_minutes_pack_in_three_bytes() {
        let y2001 = 978_307_200;
        let year = 365 * 86_400;
        let times: Vec<i64> = (0..10_000i64)
            .map(|i| {
                let t = y2001 + (i * 7_919 * 60) % (26 * year);
                if i % 500 == 3 {
                    t + i % 59 + 1
                } else {
                    t
                }
            })
            .chain([y2001 + 26 * year, y2001 - 3600 + 17])
            .collect();
        let mut c = DateColumn::default();
        c.extend(times.iter().copied());
        c.pack();
        assert_eq!(c.width(), 3);
        assert!(c.used_bytes() < 3 * times.len() + 16 * 30);
        assert_eq!(c.iter().collect::<Vec<_>>(), times);
        assert!((0..times.len()).all(|i| c.get(i) == times[i]));
        let mut d = c.clone();
        d.push(y2001 + 1);
        assert_eq!((d.width(), d.get(times.len()), d.get(3)), (4, y2001 + 1, times[3]));
        c.set(0, y2001 + 5);
        assert_eq!((c.width(), c.get(0), c.get(1)), (4, y2001 + 5, times[1]));

        let mut far = DateColumn::default();
        far.extend([y2001, y2001 + 32 * year]);
        far.pack();
        assert_eq!(far.width(), 4);
        let mut odd = DateColumn::default();
        odd.extend((0..100).map(|i| y2001 + i * 61));
        odd.pack();
        assert_eq!(odd.width(), 4);
        let mut none = DateColumn::default();
        none.pack();
        assert!(none.is_empty());
    }
}
