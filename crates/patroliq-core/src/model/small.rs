//! A column of small numbers (beat, district, ward, community area) that is either its own
//! vector or, once a table is loaded, looked up through a key it shares with columns that go with
//! it ([`super::CrimeTable::share_codes`]): a beat lies in one district and nearly always in one
//! ward and community area, so the four take one two-byte code a row instead of five bytes.

use std::ops::Index;

use super::SharedKey;

#[derive(Debug, Clone)]
pub struct SmallColumn<T>(Values<T>);

#[derive(Debug, Clone)]
enum Values<T> {
    Own(Vec<T>),
    /// Row i's value is `map[key[i]]`.
    Via {
        key: SharedKey,
        map: Vec<T>,
    },
}

impl<T> Default for SmallColumn<T> {
    fn default() -> Self {
        SmallColumn(Values::Own(Vec::new()))
    }
}

impl<T: Copy + PartialEq> PartialEq for SmallColumn<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && (0..self.len()).all(|i| self[i] == other[i])
    }
}

impl<T: Copy> SmallColumn<T> {
    /// Row i's value `map[key[i]]`.
    pub(super) fn shared(key: SharedKey, map: Vec<T>) -> Self {
        SmallColumn(Values::Via { key, map })
    }

    /// The values as a vector of its own again, to be appended to.
    fn own(&mut self) -> &mut Vec<T> {
        if let Values::Via { key, map } = &self.0 {
            let v = key.iter().map(|&k| map[usize::from(k)]).collect();
            self.0 = Values::Own(v);
        }
        match &mut self.0 {
            Values::Own(v) => v,
            Values::Via { .. } => unreachable!("owned above"),
        }
    }

    #[inline]
    pub fn push(&mut self, v: T) {
        match &mut self.0 {
            Values::Own(own) => own.push(v),
            Values::Via { .. } => self.own().push(v),
        }
    }

    #[inline]
    pub fn get(&self, row: usize) -> T {
        self[row]
    }

    pub fn len(&self) -> usize {
        match &self.0 {
            Values::Own(v) => v.len(),
            Values::Via { key, .. } => key.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = T> + '_ {
        (0..self.len()).map(|i| self[i])
    }

    /// Bytes held by this column's own vector (a shared key is counted once, by the table).
    pub fn heap_bytes(&self) -> usize {
        match &self.0 {
            Values::Own(v) => v.capacity() * size_of::<T>(),
            Values::Via { map, .. } => map.capacity() * size_of::<T>(),
        }
    }

    /// Bytes its rows use (0 when shared).
    pub fn used_bytes(&self) -> usize {
        match &self.0 {
            Values::Own(v) => v.len() * size_of::<T>(),
            Values::Via { .. } => 0,
        }
    }

    pub fn reserve_exact(&mut self, rows: usize) {
        self.own().reserve_exact(rows);
    }

    pub fn shrink_to_fit(&mut self) {
        match &mut self.0 {
            Values::Own(v) => v.shrink_to_fit(),
            Values::Via { map, .. } => map.shrink_to_fit(),
        }
    }

    /// The shared key, when there is one.
    pub(super) fn key(&self) -> Option<&SharedKey> {
        match &self.0 {
            Values::Own(_) => None,
            Values::Via { key, .. } => Some(key),
        }
    }
}

impl<T: Copy> Index<usize> for SmallColumn<T> {
    type Output = T;

    #[inline]
    fn index(&self, row: usize) -> &T {
        match &self.0 {
            Values::Own(v) => &v[row],
            Values::Via { key, map } => &map[usize::from(key[row])],
        }
    }
}

impl<T: Copy> Extend<T> for SmallColumn<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, values: I) {
        self.own().extend(values);
    }
}
