//! The in-memory crime table: one typed column per portal field.
//!
//! Why our own columns rather than Arrow arrays: the analyses index rows by position millions of
//! times (clustering, grids, routes): a column's `get(row)` is a load and an add (and for degrees a
//! division), no downcast.
//! Arrow stays at the edges: Parquet in and out (see `load::parquet` and `export`).
//!
//! Size: about 25.5 bytes a row once loaded (the 8,234,893 rows of the test history: 210 MB; the
//! real sample's 495,829 rows: 30.6 a row, the 2012–2016 file's 27.0), every value read back exactly: repeated text (block,
//! type, description, location description, IUCR, FBI code) is dictionary-encoded with codes of
//! one, two or four bytes as the dictionary needs ([`DictColumn`]); once loaded, the offence's
//! columns (the four an IUCR code names, the location description, arrest and domestic) share
//! one code a row, as do the block, beat, district, ward and community area
//! ([`CrimeTable::share_codes`], [`SmallColumn`]); arrest and domestic take two bits a row until
//! then ([`FlagColumn`]); small codes use `u8`/`u16` with a sentinel for "missing"; IDs, times
//! and degrees are 32-bit offsets from a base while every value allows it ([`IdColumn`],
//! [`DateColumn`], [`CoordColumn`]), IDs 24-bit once loaded when they lie within 16 M, times
//! as 24-bit minutes when they span under 31 years; update stamps are stored once each ([`StampColumn`]); case
//! numbers are a shape and a serial, in one `u32` while the serials allow ([`CaseColumn`]). The
//! accessors (`get`) hide the widths.

use std::borrow::Borrow;
use std::hash::Hash;
use std::sync::Arc;

use compact_str::CompactString;
use rustc_hash::FxHashMap;

/// The sizes of a column kept as `Narrow { offsets, .. }` — 32-bit offsets from a base, four
/// bytes a row — until a value does not fit, then `Wide(values)`, eight: [`CoordColumn`].
/// `narrow_or_wide!(Column, Packed)` adds the third size of [`IdColumn`] and [`DateColumn`]:
/// `Packed { bytes, .. }` once loaded, three bytes a row, made `Narrow` again by the column's
/// `unpack` before it grows. Each column shrinks its own parts (`shrink_to_fit`).
macro_rules! narrow_or_wide {
    ($column:ident $(, $packed:ident)?) => {
        impl $column {
            pub fn len(&self) -> usize {
                match self {
                    $column::Narrow { offsets, .. } => offsets.len(),
                    $column::Wide(v) => v.len(),
                    $($column::$packed { bytes, .. } => bytes.len() / 3,)?
                }
            }

            pub fn is_empty(&self) -> bool {
                self.len() == 0
            }

            /// Bytes a row takes: 4 or 8 (3 packed).
            pub fn width(&self) -> usize {
                match self {
                    $column::Narrow { .. } => 4,
                    $column::Wide(_) => 8,
                    $($column::$packed { .. } => 3,)?
                }
            }

            pub(crate) fn capacity(&self) -> usize {
                match self {
                    $column::Narrow { offsets, .. } => offsets.capacity(),
                    $column::Wide(v) => v.capacity(),
                    $($column::$packed { bytes, .. } => bytes.capacity() / 3,)?
                }
            }

            pub(crate) fn reserve_exact(&mut self, n: usize) {
                match self {
                    $column::Narrow { offsets, .. } => offsets.reserve_exact(n),
                    $column::Wide(v) => v.reserve_exact(n),
                    // Rows are added to a narrow column: unpacked first.
                    $($column::$packed { .. } => {
                        self.unpack();
                        self.reserve_exact(n);
                    })?
                }
            }
        }
    };
}

mod cases;
mod combine;
mod coords;
mod dates;
mod flags;
mod plane;
mod small;
pub use cases::CaseColumn;
use combine::Combos;
pub use coords::{CoordColumn, Offsets};
pub use dates::{DateColumn, Dates};
pub use flags::FlagColumn;
pub use plane::PlaneColumn;
pub use small::SmallColumn;

/// Bytes a row takes while loading, about ([`CrimeTable::used_bytes`]: 42 a row of the real
/// sample, 39 of the 2012–2016 file and the whole history; 11–14 fewer once the load ends and
/// [`CrimeTable::share_codes`] has run), with a margin: what the loaders' early refusals estimate
/// a file's rows against.
pub const ROW_BYTES: u64 = 48;

/// Sentinel for a missing small integer code (district, ward, community area, arrest, domestic).
pub const NULL_U8: u8 = u8::MAX;
/// Sentinel for a missing beat.
pub const NULL_U16: u16 = u16::MAX;
/// Sentinel for a missing ID or timestamp.
pub const NULL_I64: i64 = i64::MIN;

/// A column of repeated strings, stored once each and referenced by a code.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DictColumn {
    values: Vec<String>,
    codes: Codes,
    /// Fx, not SipHash: probed once a row per column while loading. Keys up to 24 bytes (nearly
    /// every block, code and label) sit inside the table's slot, so a probe of a large dictionary
    /// (Chicago's ~35,000 blocks) misses the cache once, at the slot, not again at a heap string.
    index: FxHashMap<CompactString, u32>,
}

/// A row's codes, as narrow as the dictionary allows: a byte while it holds at most 256 values
/// (crime types, FBI codes, location descriptions), two while 65,536 (IUCR codes, descriptions,
/// Chicago's blocks), else four. At 8.3 M rows that is 15 bytes a row less than `u32` codes
/// throughout. Widened in place when a value past the width is interned — at most twice in a
/// column's life, keeping the room reserved for the rows to come.
///
/// Or, for columns that are functions of one another, looked up through a key they share
/// ([`CrimeTable::share_codes`]).
#[derive(Debug, Clone)]
enum Codes {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
    /// Row i's code is `map[key[i]]`. Made once a table is loaded; anything that appends turns
    /// it back into codes of its own first.
    Via {
        key: SharedKey,
        map: Vec<u32>,
    },
}

impl Default for Codes {
    fn default() -> Self {
        Codes::U8(Vec::new())
    }
}

/// The same code in every row, however each side stores them.
impl PartialEq for Codes {
    fn eq(&self, other: &Codes) -> bool {
        self.len() == other.len() && (0..self.len()).all(|i| self.get(i) == other.get(i))
    }
}

/// Runs `$body` with `$v` bound to the codes' vector, whatever its width; `$via` for shared codes.
macro_rules! each_width {
    ($codes:expr, $v:ident => $body:expr, $key:ident, $map:ident => $via:expr) => {
        match $codes {
            Codes::U8($v) => $body,
            Codes::U16($v) => $body,
            Codes::U32($v) => $body,
            Codes::Via { key: $key, map: $map } => $via,
        }
    };
}

impl Codes {
    /// Bytes a code takes in this column's own vector (0 when shared: the key is counted once, by
    /// the table).
    fn width(&self) -> usize {
        match self {
            Codes::U8(_) => 1,
            Codes::U16(_) => 2,
            Codes::U32(_) => 4,
            Codes::Via { .. } => 0,
        }
    }

    /// Makes room for code `c`: widens the codes if `c` does not fit them.
    fn fit(&mut self, c: u32) {
        fn widened<T: Copy, U: From<T>>(v: &[T], capacity: usize) -> Vec<U> {
            let mut w = Vec::with_capacity(capacity);
            w.extend(v.iter().map(|&x| U::from(x)));
            w
        }
        let wide = c > u32::from(u16::MAX);
        match self {
            Codes::U8(v) if wide => *self = Codes::U32(widened(v, v.capacity())),
            Codes::U8(v) if c > u32::from(u8::MAX) => *self = Codes::U16(widened(v, v.capacity())),
            Codes::U16(v) if wide => *self = Codes::U32(widened(v, v.capacity())),
            Codes::Via { .. } => {
                self.own();
                self.fit(c);
            }
            _ => {}
        }
    }

    /// Plain codes from `codes`, as narrow as the largest allows.
    fn plain(codes: impl ExactSizeIterator<Item = u32> + Clone) -> Codes {
        let mut out = Codes::default();
        out.fit(codes.clone().max().unwrap_or(0));
        out.reserve_exact(codes.len());
        codes.for_each(|c| out.push(c));
        out
    }

    /// Shared codes made the column's own again, to be appended to.
    fn own(&mut self) {
        if let Codes::Via { key, map } = self {
            let (key, map) = (Arc::clone(key), std::mem::take(map));
            *self = Codes::plain(key.iter().map(|&k| map[usize::from(k)]));
        }
    }

    /// Appends code `c`, which [`Codes::fit`] has made room for.
    #[inline]
    fn push(&mut self, c: u32) {
        match self {
            Codes::U8(v) => v.push(c as u8),
            Codes::U16(v) => v.push(c as u16),
            Codes::U32(v) => v.push(c),
            Codes::Via { .. } => {
                self.own();
                self.fit(c);
                self.push(c);
            }
        }
    }

    /// Refines `combos` by these codes (each below `bound`): [`Combos::refine`], one loop per
    /// width.
    // One body for every width: the conversion is useless only in the `u32` arm.
    #[allow(clippy::useless_conversion)]
    fn refine(&self, combos: &mut Combos, bound: usize) -> bool {
        each_width!(self, v => combos.refine(bound, v.iter().map(|&c| u32::from(c))),
            key, map => combos.refine(bound, key.iter().map(|&k| map[usize::from(k)])))
    }

    #[inline]
    fn get(&self, row: usize) -> u32 {
        match self {
            Codes::U8(v) => u32::from(v[row]),
            Codes::U16(v) => u32::from(v[row]),
            Codes::U32(v) => v[row],
            Codes::Via { key, map } => map[usize::from(key[row])],
        }
    }

    fn len(&self) -> usize {
        each_width!(self, v => v.len(), key, _map => key.len())
    }

    fn capacity(&self) -> usize {
        each_width!(self, v => v.capacity(), _key, _map => 0)
    }

    /// Bytes of the map from a shared key's combinations to codes (0 when not shared).
    fn map_bytes(&self) -> usize {
        each_width!(self, _v => 0, _key, map => map.capacity() * 4)
    }

    fn reserve_exact(&mut self, n: usize) {
        self.own();
        each_width!(self, v => v.reserve_exact(n), _key, _map => unreachable!("owned above"))
    }

    fn shrink_to_fit(&mut self) {
        each_width!(self, v => v.shrink_to_fit(), _key, map => map.shrink_to_fit())
    }

    /// How many of `rows` (every row when `None`) have each code below `n`.
    fn counts(&self, n: usize, rows: Option<&[u32]>) -> Vec<u64> {
        let mut counts = vec![0u64; n];
        each_width!(self, v => match rows {
            Some(rows) => rows.iter().for_each(|&r| counts[v[r as usize] as usize] += 1),
            None => v.iter().for_each(|&c| counts[c as usize] += 1),
        }, key, map => {
            // The key's counts, each given to the code it stands for.
            let mut by_key = vec![0u64; map.len()];
            match rows {
                Some(rows) => rows.iter().for_each(|&r| by_key[usize::from(key[r as usize])] += 1),
                None => key.iter().for_each(|&k| by_key[usize::from(k)] += 1),
            }
            for (&code, c) in map.iter().zip(by_key) {
                counts[code as usize] += c;
            }
        });
        counts
    }
}

/// The code of `v` in a dictionary — its `values` by code, `index` from value to code — added,
/// with room made for it in the rows' `codes`, when new: the one interning of [`DictColumn`] and
/// [`StampColumn`].
fn intern<V, K, Q>(
    values: &mut Vec<V>,
    index: &mut FxHashMap<K, u32>,
    codes: &mut Codes,
    v: &Q,
    key: impl FnOnce(&Q) -> K,
) -> u32
where
    K: Borrow<Q> + Hash + Eq,
    Q: ?Sized + Hash + Eq + ToOwned<Owned = V>,
{
    if let Some(&c) = index.get(v) {
        return c;
    }
    let c = values.len() as u32;
    codes.fit(c);
    values.push(v.to_owned());
    index.insert(key(v), c);
    c
}

/// The codes of combinations that columns share: two bytes a row, so at most 65,536
/// combinations (the groups that share take seven and a half and seven bytes a row on their
/// own).
pub(crate) type SharedKey = Arc<Vec<u16>>;

impl DictColumn {
    /// Code 0 is always the empty string, so "missing" needs no special case.
    pub fn new() -> Self {
        let mut d = DictColumn { values: Vec::new(), codes: Codes::default(), index: FxHashMap::default() };
        d.intern("");
        d
    }

    pub(crate) fn intern(&mut self, s: &str) -> u32 {
        intern(&mut self.values, &mut self.index, &mut self.codes, s, |s: &str| CompactString::new(s))
    }

    pub fn push(&mut self, s: &str) {
        let c = self.intern(s);
        self.codes.push(c);
    }

    pub fn get(&self, row: usize) -> &str {
        &self.values[self.codes.get(row) as usize]
    }

    /// Appends a row by a code [`DictColumn::intern`] gave (the Parquet fast path maps each
    /// dictionary value once, not each row).
    pub(crate) fn push_code(&mut self, c: u32) {
        debug_assert!((c as usize) < self.values.len());
        self.codes.push(c);
    }

    #[inline]
    pub fn code(&self, row: usize) -> u32 {
        self.codes.get(row)
    }

    /// How many of `rows` have each code (indexed by code, as [`DictColumn::values`]).
    pub fn counts_of(&self, rows: &[u32]) -> Vec<u64> {
        self.codes.counts(self.values.len(), Some(rows))
    }

    /// How many rows have each code.
    pub fn counts(&self) -> Vec<u64> {
        self.codes.counts(self.values.len(), None)
    }

    /// Bytes a row's code takes: 1, 2 or 4.
    pub fn code_width(&self) -> usize {
        self.codes.width()
    }

    /// Distinct values, indexed by code (code 0 is "").
    pub fn values(&self) -> &[String] {
        &self.values
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.len() == 0
    }

    /// The key this column's codes are looked up through, when shared.
    fn key(&self) -> Option<&SharedKey> {
        match &self.codes {
            Codes::Via { key, .. } => Some(key),
            _ => None,
        }
    }

    /// Bytes in use (lengths, not capacities): what the memory budget counts while loading.
    fn used_bytes(&self) -> usize {
        self.codes.len() * self.codes.width() + self.values.len() * 48
    }

    fn heap_bytes(&self) -> usize {
        self.codes.capacity() * self.codes.width()
            + self.codes.map_bytes()
            + self.values.iter().map(|v| v.capacity() + 24).sum::<usize>() * 2
    }
}

/// Record IDs, as offsets in 32 bits from a base near the first while every ID is within two
/// billion of it (the portal's run from 1 to ~13 M: half the bytes of `i64`), else in 64 bits —
/// widened in place the moment one is not. Once a load ends, IDs that all lie within 16 M of
/// one another (the portal's whole history does: ~13.7 M) take 3 bytes a row
/// ([`IdColumn::pack`]).
#[derive(Debug, Clone)]
pub enum IdColumn {
    /// `base + offset`; `u32::MAX` is a missing ID. No base until the first ID.
    Narrow { base: Option<i64>, offsets: Vec<u32> },
    /// [`NULL_I64`] is a missing ID.
    Wide(Vec<i64>),
    /// `base + offset`, each offset in 3 little-endian bytes; [`IdColumn::MISSING_24`] is a
    /// missing ID. Appending makes the column `Narrow` again.
    Packed { base: i64, bytes: Vec<u8> },
}

/// The same ID in every row, however each side stores them.
impl PartialEq for IdColumn {
    fn eq(&self, other: &IdColumn) -> bool {
        self.len() == other.len() && (0..self.len()).all(|i| self.get(i) == other.get(i))
    }
}

impl Default for IdColumn {
    fn default() -> Self {
        IdColumn::Narrow { base: None, offsets: Vec::new() }
    }
}

narrow_or_wide!(IdColumn, Packed);

impl IdColumn {
    const MISSING: u32 = u32::MAX;
    const MISSING_24: u32 = (1 << 24) - 1;

    /// Three bytes a row when every ID lies within 16 M of the lowest (nothing changes otherwise).
    pub fn pack(&mut self) {
        if matches!(self, IdColumn::Packed { .. }) {
            return;
        }
        let (mut lo, mut hi) = (i64::MAX, i64::MIN);
        for id in (0..self.len()).filter_map(|i| self.get(i)) {
            (lo, hi) = (lo.min(id), hi.max(id));
        }
        let fits = lo > hi || hi.checked_sub(lo).is_some_and(|span| span < i64::from(Self::MISSING_24));
        if !fits {
            return;
        }
        let base = if lo > hi { 0 } else { lo };
        let mut bytes = Vec::with_capacity(self.len() * 3);
        for i in 0..self.len() {
            let o = self.get(i).map_or(Self::MISSING_24, |id| (id - base) as u32);
            bytes.extend_from_slice(&o.to_le_bytes()[..3]);
        }
        *self = IdColumn::Packed { base, bytes };
    }

    /// A packed column as `Narrow` (or `Wide`) again, to be appended to.
    fn unpack(&mut self) {
        if let IdColumn::Packed { .. } = self {
            let ids: Vec<Option<i64>> = (0..self.len()).map(|i| self.get(i)).collect();
            *self = IdColumn::default();
            self.reserve_exact(ids.len());
            self.extend(ids);
        }
    }

    pub fn push(&mut self, id: Option<i64>) {
        match self {
            IdColumn::Packed { .. } => {
                self.unpack();
                self.push(id);
            }
            IdColumn::Narrow { base, offsets } => {
                let Some(v) = id else { return offsets.push(Self::MISSING) };
                let b = *base.get_or_insert(v.saturating_sub(1 << 31));
                match v.checked_sub(b).and_then(|o| u32::try_from(o).ok()).filter(|&o| o != Self::MISSING) {
                    Some(o) => offsets.push(o),
                    None => {
                        self.widen();
                        self.push(id);
                    }
                }
            }
            IdColumn::Wide(v) => v.push(id.unwrap_or(NULL_I64)),
        }
    }

    fn widen(&mut self) {
        if let IdColumn::Narrow { base, offsets } = self {
            let b = base.unwrap_or(0);
            let mut wide = Vec::with_capacity(offsets.capacity());
            wide.extend(
                offsets.iter().map(|&o| if o == Self::MISSING { NULL_I64 } else { b + i64::from(o) }),
            );
            *self = IdColumn::Wide(wide);
        }
    }

    pub fn extend(&mut self, ids: impl IntoIterator<Item = Option<i64>>) {
        ids.into_iter().for_each(|id| self.push(id));
    }

    #[inline]
    pub fn get(&self, row: usize) -> Option<i64> {
        match self {
            IdColumn::Narrow { base, offsets } => {
                let o = offsets[row];
                (o != Self::MISSING).then(|| base.unwrap_or(0) + i64::from(o))
            }
            IdColumn::Wide(v) => Some(v[row]).filter(|&id| id != NULL_I64),
            IdColumn::Packed { base, bytes } => {
                let b = &bytes[row * 3..row * 3 + 3];
                let o = u32::from_le_bytes([b[0], b[1], b[2], 0]);
                (o != Self::MISSING_24).then(|| base + i64::from(o))
            }
        }
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        match self {
            IdColumn::Narrow { offsets, .. } => offsets.shrink_to_fit(),
            IdColumn::Wide(v) => v.shrink_to_fit(),
            IdColumn::Packed { bytes, .. } => bytes.shrink_to_fit(),
        }
    }
}

/// Timestamps that repeat — a record's last update: a portal updates its records in batches
/// (1,574 distinct among the 500,000 rows of the sample) — each stored once and referenced by a
/// code as narrow as their number allows ([`Codes`]): two bytes a row, not eight.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StampColumn {
    values: Vec<i64>,
    codes: Codes,
    index: FxHashMap<i64, u32>,
    /// The last value pushed and its code: consecutive rows mostly share their update.
    last: Option<(i64, u32)>,
}

impl StampColumn {
    pub fn push(&mut self, v: i64) {
        let c = match self.last {
            Some((l, c)) if l == v => c,
            _ => {
                let c = intern(&mut self.values, &mut self.index, &mut self.codes, &v, |&v| v);
                self.last = Some((v, c));
                c
            }
        };
        self.codes.push(c);
    }

    pub fn extend(&mut self, values: impl IntoIterator<Item = i64>) {
        values.into_iter().for_each(|v| self.push(v));
    }

    #[inline]
    pub fn get(&self, row: usize) -> i64 {
        self.values[self.codes.get(row) as usize]
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.len() == 0
    }

    fn used_bytes(&self) -> usize {
        self.codes.len() * self.codes.width() + self.values.len() * 32
    }

    fn heap_bytes(&self) -> usize {
        self.codes.capacity() * self.codes.width() + self.values.capacity() * 8 + self.index.capacity() * 16
    }
}

/// One cleaned incident, as handed from the cleaner to the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident<'a> {
    pub id: Option<i64>,
    /// Owned, but inline up to 24 bytes: a table stores case numbers as shapes and serials
    /// ([`CaseColumn`]), so a row read back has no text to borrow.
    pub case_number: CompactString,
    /// Seconds since 1970-01-01 00:00 in Chicago local (wall-clock) time; the portal gives no zone.
    pub date: i64,
    pub block: &'a str,
    pub iucr: &'a str,
    pub primary_type: &'a str,
    pub description: &'a str,
    pub location_description: &'a str,
    pub arrest: Option<bool>,
    pub domestic: Option<bool>,
    pub beat: Option<u16>,
    pub district: Option<u8>,
    pub ward: Option<u8>,
    pub community_area: Option<u8>,
    pub fbi_code: &'a str,
    pub x_coordinate: Option<f32>,
    pub y_coordinate: Option<f32>,
    pub updated_on: Option<i64>,
    pub latitude: f64,
    pub longitude: f64,
}

/// The cleaned dataset. Every column has the same length; rows keep the source order.
/// (No `PartialEq`: missing coordinates are NaN; compare with [`CrimeTable::same_rows`].)
#[derive(Debug, Clone, Default)]
pub struct CrimeTable {
    pub id: IdColumn,
    pub case_number: CaseColumn,
    pub date: DateColumn,
    pub block: DictColumn,
    pub iucr: DictColumn,
    pub primary_type: DictColumn,
    pub description: DictColumn,
    pub location_description: DictColumn,
    pub arrest: FlagColumn,
    pub domestic: FlagColumn,
    pub beat: SmallColumn<u16>,
    pub district: SmallColumn<u8>,
    pub ward: SmallColumn<u8>,
    pub community_area: SmallColumn<u8>,
    pub fbi_code: DictColumn,
    /// Illinois East State Plane (NAD83, US feet), as the portal gives them; NaN when missing.
    /// Predicted from the row's latitude and longitude while they can be, read back exactly
    /// ([`CrimeTable::plane`]).
    pub plane: PlaneColumn,
    pub updated_on: StampColumn,
    /// Degrees (WGS 84); NaN when missing.
    pub latitude: CoordColumn,
    pub longitude: CoordColumn,
}

/// Each row's (latitude, longitude), as a [`PlaneColumn`] predicts its feet from them.
pub(crate) fn places<'a>(lat: &'a CoordColumn, lon: &'a CoordColumn) -> impl Fn(usize) -> (f64, f64) + 'a {
    move |i| (lat.get(i), lon.get(i))
}

fn opt_bool(b: Option<bool>) -> u8 {
    b.map_or(NULL_U8, u8::from)
}

impl CrimeTable {
    pub fn new() -> Self {
        CrimeTable {
            block: DictColumn::new(),
            iucr: DictColumn::new(),
            primary_type: DictColumn::new(),
            description: DictColumn::new(),
            location_description: DictColumn::new(),
            fbi_code: DictColumn::new(),
            ..Default::default()
        }
    }

    pub fn len(&self) -> usize {
        self.date.len()
    }

    pub fn is_empty(&self) -> bool {
        self.date.is_empty()
    }

    pub fn push(&mut self, r: &Incident<'_>) {
        self.id.push(r.id);
        self.case_number.push(&r.case_number);
        self.date.push(r.date);
        self.block.push(r.block);
        self.iucr.push(r.iucr);
        self.primary_type.push(r.primary_type);
        self.description.push(r.description);
        self.location_description.push(r.location_description);
        self.arrest.push(opt_bool(r.arrest));
        self.domestic.push(opt_bool(r.domestic));
        self.beat.push(r.beat.unwrap_or(NULL_U16));
        self.district.push(r.district.unwrap_or(NULL_U8));
        self.ward.push(r.ward.unwrap_or(NULL_U8));
        self.community_area.push(r.community_area.unwrap_or(NULL_U8));
        self.fbi_code.push(r.fbi_code);
        self.updated_on.push(r.updated_on.unwrap_or(NULL_I64));
        self.latitude.push(r.latitude);
        self.longitude.push(r.longitude);
        let x = r.x_coordinate.unwrap_or(f32::NAN);
        self.plane.push(x, r.y_coordinate.unwrap_or(f32::NAN), &places(&self.latitude, &self.longitude));
    }

    /// Reads row `i` back as an [`Incident`] (used by exports and tests).
    pub fn row(&self, i: usize) -> Incident<'_> {
        let b = |v: u8| (v != NULL_U8).then_some(v == 1);
        let u8o = |v: u8| (v != NULL_U8).then_some(v);
        let f = |v: f32| (!v.is_nan()).then_some(v);
        let (x, y) = self.plane(i);
        Incident {
            id: self.id.get(i),
            case_number: self.case_number.get(i),
            date: self.date.get(i),
            block: self.block.get(i),
            iucr: self.iucr.get(i),
            primary_type: self.primary_type.get(i),
            description: self.description.get(i),
            location_description: self.location_description.get(i),
            arrest: b(self.arrest[i]),
            domestic: b(self.domestic[i]),
            beat: (self.beat[i] != NULL_U16).then_some(self.beat[i]),
            district: u8o(self.district[i]),
            ward: u8o(self.ward[i]),
            community_area: u8o(self.community_area[i]),
            fbi_code: self.fbi_code.get(i),
            x_coordinate: f(x),
            y_coordinate: f(y),
            updated_on: Some(self.updated_on.get(i)).filter(|&u| u != NULL_I64),
            latitude: self.latitude.get(i),
            longitude: self.longitude.get(i),
        }
    }

    /// Row `i`'s State Plane X and Y (NaN when missing).
    pub fn plane(&self, i: usize) -> (f32, f32) {
        self.plane.get(i, &places(&self.latitude, &self.longitude))
    }

    /// The rows for which `keep(i)` holds, in order.
    pub fn filter(&self, keep: impl Fn(usize) -> bool) -> CrimeTable {
        let mut out = CrimeTable::new();
        for i in (0..self.len()).filter(|&i| keep(i)) {
            out.push(&self.row(i));
        }
        out.shrink_to_fit();
        out.share_codes();
        out
    }

    /// Whether both tables hold the same rows in the same order (dictionary codes may differ).
    pub fn same_rows(&self, other: &CrimeTable) -> bool {
        self.len() == other.len() && (0..self.len()).all(|i| self.row(i) == other.row(i))
    }

    /// Approximate heap size in bytes (for the UI's memory figure and the benchmarks).
    pub fn heap_bytes(&self) -> usize {
        self.id.capacity() * self.id.width()
            + self.case_number.heap_bytes()
            + self.date.heap_bytes()
            + self.block.heap_bytes()
            + self.iucr.heap_bytes()
            + self.primary_type.heap_bytes()
            + self.description.heap_bytes()
            + self.location_description.heap_bytes()
            + self.arrest.heap_bytes()
            + self.domestic.heap_bytes()
            + self.beat.heap_bytes()
            + self.district.heap_bytes()
            + self.ward.heap_bytes()
            + self.community_area.heap_bytes()
            + self.fbi_code.heap_bytes()
            + self.plane.heap_bytes()
            + self.updated_on.heap_bytes()
            + self.latitude.capacity() * self.latitude.width()
            + self.longitude.capacity() * self.longitude.width()
            + self.shared_keys().map(|k| k.capacity() * 2).sum::<usize>()
    }

    /// Bytes the rows use — lengths, not the capacities a growing `Vec` doubles — plus the
    /// dictionaries' entries (without their text, which is small next to the codes): what the
    /// loader's memory budget is measured against every few thousand rows, in O(1).
    pub fn used_bytes(&self) -> u64 {
        let widths = self.id.width() + self.latitude.width() + self.longitude.width();
        (self.len() * widths
            + self.date.used_bytes()
            + self.beat.used_bytes()
            + self.district.used_bytes()
            + self.ward.used_bytes()
            + self.community_area.used_bytes()
            + self.arrest.used_bytes()
            + self.domestic.used_bytes()
            + self.case_number.used_bytes()
            + self.updated_on.used_bytes()
            + self.plane.used_bytes()
            + self.block.used_bytes()
            + self.iucr.used_bytes()
            + self.primary_type.used_bytes()
            + self.description.used_bytes()
            + self.location_description.used_bytes()
            + self.fbi_code.used_bytes()
            + self.shared_keys().map(|k| k.len() * 2).sum::<usize>()) as u64
    }

    fn dictionaries_mut(&mut self) -> [&mut DictColumn; 6] {
        [
            &mut self.block,
            &mut self.iucr,
            &mut self.primary_type,
            &mut self.description,
            &mut self.location_description,
            &mut self.fbi_code,
        ]
    }

    /// The dictionary columns that share one key once loaded: what was done and where (an IUCR
    /// code names its type, description and FBI code; a kind of crime happens in few kinds of
    /// place).
    fn offence_columns(&self) -> [&DictColumn; 5] {
        [&self.iucr, &self.primary_type, &self.description, &self.fbi_code, &self.location_description]
    }

    /// The key the FBI code and both flags share once loaded (the offence's), if they do: a
    /// row's values of the three are then its key's, so what is made of them can be found once a
    /// key instead of once a row (the EDA's correlation groups).
    pub(crate) fn offence_key(&self) -> Option<&[u16]> {
        let k = self.fbi_code.key()?;
        let same = |c: &FlagColumn| c.key().is_some_and(|c| Arc::ptr_eq(c, k));
        (same(&self.arrest) && same(&self.domestic)).then(|| k.as_slice())
    }

    /// The offence key when the primary type and the location description share it too: a row's
    /// type, location, FBI code and flags are then its key's, so the EDA counts rows by key and
    /// names their type and location once a key.
    pub(crate) fn offence_and_place_key(&self) -> Option<&[u16]> {
        let k = self.fbi_code.key()?;
        let same = |c: &DictColumn| c.key().is_some_and(|c| Arc::ptr_eq(c, k));
        if same(&self.primary_type) && same(&self.location_description) {
            self.offence_key()
        } else {
            None
        }
    }

    /// The keys shared by columns ([`CrimeTable::share_codes`]), each once.
    fn shared_keys(&self) -> impl Iterator<Item = &Vec<u16>> {
        let mut seen: Vec<&SharedKey> = Vec::new();
        let dicts = self.offence_columns().map(DictColumn::key);
        let flags = [self.arrest.key(), self.domestic.key()];
        let areas = [
            self.block.key(),
            self.beat.key(),
            self.district.key(),
            self.ward.key(),
            self.community_area.key(),
        ];
        for key in dicts.into_iter().chain(flags).chain(areas).flatten() {
            if !seen.iter().any(|k| Arc::ptr_eq(k, key)) {
                seen.push(key);
            }
        }
        seen.into_iter().map(|k| &**k)
    }

    /// Once loaded: columns that go together share one code a row for their combination, each
    /// column's value looked up from it. An IUCR code names its crime type, description and FBI
    /// code, and a kind of crime happens in few kinds of place and nearly always ends the same
    /// way (arrest, domestic): 18,410 combinations in the 8.2 M rows of the test history, two
    /// bytes a row instead of seven and a half; a block lies in one beat nearly always, and a
    /// beat in one district and nearly always one ward and community area (43,562: two bytes
    /// instead of seven; the beat's four alone, 1,127, when the blocks are too many). A group is
    /// left as it is when its combinations would need as many bytes as its columns (a file whose
    /// columns do not go together) or more than two bytes number. The combinations are found a
    /// column at a time ([`Combos`]). The IDs and the times are packed in three bytes a row
    /// while they allow ([`IdColumn::pack`], [`DateColumn::pack`]).
    pub fn share_codes(&mut self) {
        self.id.pack();
        self.date.pack();
        let n = self.len();
        // A group is shared to save whole bytes: the flags' half byte a row rounds to nothing.
        let worth = |separate: usize| n > 0 && separate > 2;
        let (dicts, arrest, domestic) = (self.offence_columns(), &self.arrest, &self.domestic);
        if dicts.iter().all(|d| d.key().is_none()) && arrest.key().is_none() && domestic.key().is_none() {
            let mut combos = Combos::new(n);
            // 0, 1 and missing (255) as 0, 1 and 2.
            fn flag(f: &FlagColumn) -> impl Iterator<Item = u32> + '_ {
                f.iter().map(|v| u32::from(v.min(2)))
            }
            let shared = worth(dicts.iter().map(|d| d.codes.width()).sum())
                && dicts.iter().all(|d| d.codes.refine(&mut combos, d.values.len()))
                && combos.refine(3, flag(arrest))
                && combos.refine(3, flag(domestic));
            if shared {
                let (key, first) = (Arc::new(combos.key), combos.first);
                let flags = |f: &FlagColumn| first.iter().map(|&r| f[r as usize]).collect::<Vec<u8>>();
                self.arrest = FlagColumn::shared(Arc::clone(&key), &flags(&self.arrest));
                self.domestic = FlagColumn::shared(Arc::clone(&key), &flags(&self.domestic));
                let cols = [
                    &mut self.iucr,
                    &mut self.primary_type,
                    &mut self.description,
                    &mut self.fbi_code,
                    &mut self.location_description,
                ];
                for d in cols {
                    let map = first.iter().map(|&r| d.codes.get(r as usize)).collect();
                    d.codes = Codes::Via { key: Arc::clone(&key), map };
                }
            }
        }
        let (block, beat, district, ward, area) =
            (&self.block, &self.beat, &self.district, &self.ward, &self.community_area);
        if block.key().is_none()
            && [beat.key(), district.key(), ward.key(), area.key()].iter().all(Option::is_none)
        {
            let areas = |combos: &mut Combos| {
                combos.refine(1 << 16, beat.iter().map(u32::from))
                    && [district, ward, area].iter().all(|c| combos.refine(1 << 8, c.iter().map(u32::from)))
            };
            // A block lies in one beat nearly always: it joins the area's key while their
            // combinations fit it (43,562 in the test history, for 33,390 blocks), else the
            // area's columns share one of their own. The block first: each later pass then
            // meets nearly one value per combination.
            let mut with_block = Combos::new(n);
            let joined = worth(block.codes.width() + 5)
                && block.codes.refine(&mut with_block, block.values.len())
                && areas(&mut with_block);
            let combos = if joined {
                Some(with_block)
            } else {
                let mut alone = Combos::new(n);
                (worth(5) && areas(&mut alone)).then_some(alone)
            };
            if let Some(combos) = combos {
                let (key, first) = (Arc::new(combos.key), combos.first);
                fn via<T: Copy>(key: &SharedKey, first: &[u32], c: &SmallColumn<T>) -> SmallColumn<T> {
                    SmallColumn::shared(Arc::clone(key), first.iter().map(|&r| c[r as usize]).collect())
                }
                if joined {
                    let map = first.iter().map(|&r| self.block.codes.get(r as usize)).collect();
                    self.block.codes = Codes::Via { key: Arc::clone(&key), map };
                }
                self.beat = via(&key, &first, &self.beat);
                self.district = via(&key, &first, &self.district);
                self.ward = via(&key, &first, &self.ward);
                self.community_area = via(&key, &first, &self.community_area);
            }
        }
    }

    /// Room for `rows` more rows in every column, so a load whose size is known does not double
    /// its columns' capacity at the end (a 2× peak that a full history cannot afford).
    pub fn reserve(&mut self, rows: usize) {
        self.id.reserve_exact(rows);
        self.date.reserve_exact(rows);
        self.arrest.reserve_exact(rows);
        self.domestic.reserve_exact(rows);
        self.beat.reserve_exact(rows);
        self.district.reserve_exact(rows);
        self.ward.reserve_exact(rows);
        self.community_area.reserve_exact(rows);
        self.plane.reserve_exact(rows);
        self.updated_on.codes.reserve_exact(rows);
        self.latitude.reserve_exact(rows);
        self.longitude.reserve_exact(rows);
        self.case_number.reserve_exact(rows);
        for d in self.dictionaries_mut() {
            d.codes.reserve_exact(rows);
        }
    }

    /// Releases spare capacity once loading is done.
    pub fn shrink_to_fit(&mut self) {
        self.id.shrink_to_fit();
        self.date.shrink_to_fit();
        self.arrest.shrink_to_fit();
        self.domestic.shrink_to_fit();
        self.beat.shrink_to_fit();
        self.district.shrink_to_fit();
        self.ward.shrink_to_fit();
        self.community_area.shrink_to_fit();
        self.plane.shrink_to_fit();
        self.updated_on.codes.shrink_to_fit();
        self.latitude.shrink_to_fit();
        self.longitude.shrink_to_fit();
        self.case_number.shrink_to_fit();
        for d in self.dictionaries_mut() {
            d.codes.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incident(id: i64, kind: &'static str) -> Incident<'static> {
        Incident {
            id: Some(id),
            case_number: "JB100016".into(),
            date: 1_514_764_680,
            block: "046XX N ST LOUIS AVE",
            iucr: "0630",
            primary_type: kind,
            description: "ATTEMPT FORCIBLE ENTRY",
            location_description: "APARTMENT",
            arrest: Some(false),
            domestic: None,
            beat: Some(1723),
            district: Some(17),
            ward: Some(33),
            community_area: Some(14),
            fbi_code: "05",
            x_coordinate: Some(1_152_214.0),
            y_coordinate: None,
            updated_on: None,
            latitude: 41.965693651,
            longitude: -87.715726125,
        }
    }

    /// The offence's columns (the IUCR code's, the place, the flags) and the beat's share one
    /// code a row each once loaded: every row reads the same, the counts are the same, the table
    /// is smaller, and a row appended afterwards gives the columns their own codes back.
    #[test]
    fn columns_that_go_together_share_one_code() {
        const KINDS: [(&str, &str, &str, &str); 3] = [
            ("0630", "BURGLARY", "ATTEMPT FORCIBLE ENTRY", "05"),
            ("0820", "THEFT", "$500 AND UNDER", "06"),
            ("0486", "BATTERY", "DOMESTIC BATTERY SIMPLE", "08B"),
        ];
        let mut t = CrimeTable::new();
        for i in 0..1000 {
            let (iucr, kind, description, fbi_code) = KINDS[i * 7 % 11 % 3];
            t.push(&Incident { iucr, description, fbi_code, ..incident(i as i64, kind) });
        }
        let before = t.clone();
        let bytes = t.used_bytes();
        t.share_codes();
        assert!(matches!(t.primary_type.codes, Codes::Via { .. }));
        assert!(t.same_rows(&before));
        // Two bytes a row instead of five and a half for the offence's columns (a byte each
        // here, the flags a quarter each), and instead of six for the block's and the beat's;
        // the IDs and the times in three bytes instead of four.
        assert_eq!(bytes - t.used_bytes(), 1000 * (3 + 4 + 1 + 1) + 500);
        assert_eq!((t.id.width(), t.date.width()), (3, 3));
        assert!(t.district.key().is_some());
        assert!(t.block.key().is_some_and(|k| t.beat.key().is_some_and(|b| Arc::ptr_eq(k, b))));
        assert!(t.arrest.key().is_some() && t.domestic.key().is_some());
        assert_eq!(t.primary_type.counts(), before.primary_type.counts());
        let some: Vec<u32> = (0..1000).step_by(3).collect();
        assert_eq!(t.fbi_code.counts_of(&some), before.fbi_code.counts_of(&some));
        t.push(&incident(1000, "NARCOTICS"));
        assert!(!matches!(t.primary_type.codes, Codes::Via { .. }));
        assert_eq!(t.primary_type.get(1000), "NARCOTICS");
        assert_eq!(t.primary_type.get(999), before.primary_type.get(999));
        assert!(t.offence_columns().iter().all(|d| d.key().is_none()));
        assert!(t.beat.key().is_none() && t.community_area.key().is_none());
        assert!(t.arrest.key().is_none() && t.domestic.key().is_none());
        assert!(t.block.key().is_none());
        assert_eq!((t.id.width(), t.date.width()), (4, 4));
        assert!((0..1000).all(|i| t.row(i) == before.row(i)));

        // Columns that do not go together stay as they were: each of a byte a row (255 values),
        // with more combinations than two bytes number.
        // So do blocks too many for one key: the beat's columns share one of their own.
        let mut t = CrimeTable::new();
        let names: Vec<String> = (0..255).map(|i| format!("{i:03}")).collect();
        let blocks: Vec<String> = (0..70_000).map(|i| format!("{i:05}XX W MAIN ST")).collect();
        for (i, block) in blocks.iter().enumerate() {
            let name = |j: usize| names[j % 255].as_str();
            let (kind, iucr) = (name(i), name(i / 255));
            t.push(&Incident {
                iucr,
                description: name(i / 7),
                primary_type: kind,
                block,
                ..incident(i as i64, "")
            });
        }
        let before = t.clone();
        t.share_codes();
        assert!(!matches!(t.iucr.codes, Codes::Via { .. }));
        assert!(t.block.key().is_none() && t.beat.key().is_some());
        assert!(t.same_rows(&before));
    }

    /// Codes take a byte until the 257th value, two until the 65,537th, then four; every row
    /// reads back its own value across each widening, codes interned before their rows (the
    /// Parquet path) included, and the room reserved for the rows stays.
    #[test]
    fn codes_widen_as_the_dictionary_grows() {
        let mut d = DictColumn::new();
        d.codes.reserve_exact(70_000);
        let value = |i: usize| format!("{:05} X ST", i % 66_000);
        for i in 0..70_000 {
            d.push(&value(i));
            let want = match d.values().len() {
                n if n <= 256 => 1,
                n if n <= 65_536 => 2,
                _ => 4,
            };
            assert_eq!(d.code_width(), want, "after {} values", d.values().len());
        }
        assert!(d.codes.capacity() >= 70_000);
        assert!((0..70_000).all(|i| d.get(i) == value(i)));
        let counts = d.counts();
        assert_eq!((counts[0], counts[1], counts.iter().sum::<u64>()), (0, 2, 70_000));
        assert_eq!(d.counts_of(&[0, 66_000, 5]), {
            let mut c = vec![0; d.values().len()];
            c[1] = 2;
            c[6] = 1;
            c
        });
        // Interned first, pushed by code after.
        let mut e = DictColumn::new();
        let codes: Vec<u32> = (0..300).map(|i| e.intern(&i.to_string())).collect();
        assert_eq!(e.code_width(), 2);
        codes.iter().rev().for_each(|&c| e.push_code(c));
        assert_eq!((e.get(0), e.get(299)), ("299", "0"));
    }

    /// IDs take 4 bytes while they stay within two billion of the first, missing ones included,
    /// and 8 from the first that does not — every row reading back its own either way.
    #[test]
    fn ids_are_narrow_until_one_is_far() {
        let ids = [None, Some(11_192_233), Some(22_353), None, Some(11_192_233 + (1 << 31) - 2), Some(-5)];
        let mut c = IdColumn::default();
        c.extend(ids[..5].iter().copied());
        assert_eq!(c.width(), 4);
        c.push(ids[5]);
        assert_eq!((c.width(), c.len()), (4, 6), "-5 is within two billion below the first");
        for far in [Some(i64::MAX), Some(i64::MIN + 1), Some(11_192_233 + (1 << 31))] {
            let mut d = IdColumn::default();
            d.extend(ids.iter().copied().chain([far, Some(7)]));
            assert_eq!(d.width(), 8, "{far:?}");
            let want: Vec<_> = ids.iter().copied().chain([far, Some(7)]).collect();
            assert_eq!((0..d.len()).map(|i| d.get(i)).collect::<Vec<_>>(), want);
        }
        assert!((0..6).all(|i| c.get(i) == ids[i]));
        // The first ID near the bottom of i64: its base saturates, the rest still fit or widen.
        let mut e = IdColumn::default();
        e.extend([Some(i64::MIN + 3), Some(i64::MIN + 4), None]);
        assert_eq!(
            (e.width(), e.get(0), e.get(1), e.get(2)),
            (4, Some(i64::MIN + 3), Some(i64::MIN + 4), None)
        );
    }

    /// Once loaded, IDs within 16 M of the lowest take three bytes a row (the portal's own:
    /// the sample's first is 11,192,233, its lowest 22,353); an ID appended after gives the
    /// column its four again; IDs further apart stay as they were. Every row reads back its own.
    #[test]
    fn ids_within_16_million_are_packed_in_three_bytes() {
        let ids = [Some(11_192_233), None, Some(22_353), Some(22_353 + (1 << 24) - 2), Some(11_511_276)];
        let mut c = IdColumn::default();
        c.extend(ids);
        let before = c.clone();
        c.pack();
        assert_eq!((c.width(), c.len()), (3, 5));
        assert!((0..5).all(|i| c.get(i) == ids[i]));
        assert_eq!(c, before);
        c.push(Some(-3));
        assert_eq!((c.width(), c.len(), c.get(5), c.get(2)), (4, 6, Some(-3), Some(22_353)));
        // One more than 16 M apart (the sentinel's value): left in four bytes.
        let mut far = IdColumn::default();
        far.extend([Some(5), Some(5 + (1 << 24) - 1), None]);
        far.pack();
        assert_eq!(far.width(), 4);
        let mut none = IdColumn::default();
        none.extend([None, None]);
        none.pack();
        assert_eq!((none.width(), none.get(1)), (3, None));
        // Packing a wide column packs it too when its IDs are close after all.
        let mut wide = IdColumn::default();
        wide.extend([Some(i64::MAX - 10), Some(i64::MAX - 1)]);
        assert_eq!(wide.width(), 4);
        wide.push(Some(i64::MIN + 1));
        assert_eq!(wide.width(), 8);
        wide.pack();
        assert_eq!(wide.width(), 8);
    }

    /// Update stamps are stored once each: every row reads back its own, missing ones included,
    /// runs of one stamp or not, through a widening of the codes.
    #[test]
    fn stamps_are_stored_once_and_read_back() {
        let stamp = |i: i64| if i % 7 == 3 { NULL_I64 } else { 1_500_000_000 + (i / 3) % 400 * 60 };
        let mut c = StampColumn::default();
        c.extend((0..5_000).map(stamp));
        assert_eq!((c.len(), c.values.len()), (5_000, 401));
        assert_eq!(c.codes.width(), 2);
        assert!((0..5_000).all(|i| c.get(i as usize) == stamp(i)));
        let mut t = CrimeTable::new();
        t.push(&Incident { updated_on: Some(1_525_448_664), ..incident(1, "THEFT") });
        t.push(&incident(2, "THEFT"));
        assert_eq!((t.row(0).updated_on, t.row(1).updated_on), (Some(1_525_448_664), None));
    }

    #[test]
    fn rows_round_trip_and_dictionary_dedups() {
        let mut t = CrimeTable::new();
        t.push(&incident(1, "BURGLARY"));
        t.push(&incident(2, "THEFT"));
        t.push(&incident(3, "BURGLARY"));
        assert_eq!(t.len(), 3);
        assert_eq!(t.row(1), incident(2, "THEFT"));
        assert_eq!(t.row(2), incident(3, "BURGLARY"));
        // "", BURGLARY, THEFT
        assert_eq!(t.primary_type.values().len(), 3);
        assert_eq!(t.primary_type.code(0), t.primary_type.code(2));
    }
}
