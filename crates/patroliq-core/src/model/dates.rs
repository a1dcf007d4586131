//! Incident times in four bytes a row while they allow it.
//!
//! A time is seconds since 1970 in the city's wall-clock time (`i64`). A crime history spans
//! decades, far less than the 136 years 32 bits of seconds hold, so each row stores its offset
//! from a base near the first time — half the bytes, exactly the same seconds (the portal's times
//! carry seconds now and then: 644 of the sample's 500,000). A time more than 68 years from the
//! first (a mistyped year the cleaner's 1900–2200 range lets through) widens the column to
//! `i64` in place, once.

/// Times as offsets from `base`, or whole.
#[derive(Debug, Clone, PartialEq)]
pub enum DateColumn {
    /// `base + offset`; no base until the first time.
    Narrow {
        base: Option<i64>,
        offsets: Vec<u32>,
    },
    Wide(Vec<i64>),
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
}

impl Iterator for Dates<'_> {
    type Item = i64;

    #[inline]
    fn next(&mut self) -> Option<i64> {
        match self {
            Dates::Narrow(base, it) => it.next().map(|&o| *base + i64::from(o)),
            Dates::Wide(it) => it.next().copied(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Dates::Narrow(_, it) => it.size_hint(),
            Dates::Wide(it) => it.size_hint(),
        }
    }
}

impl ExactSizeIterator for Dates<'_> {}

impl DateColumn {
    pub fn push(&mut self, t: i64) {
        match self {
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
        }
    }

    /// Sets row `i`'s time (tests that move rows in time).
    pub fn set(&mut self, i: usize, t: i64) {
        match self {
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
        }
    }
}

narrow_or_wide!(DateColumn);

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
}
