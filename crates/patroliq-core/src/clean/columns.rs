//! Cleaning a typed Arrow batch column by column: the fast path of Parquet files whose columns
//! carry the portal's names and proper types (what `patroliq prepare` writes, and DuckDB or
//! pyarrow exports of a typed table).
//!
//! Row by row through [`Cleaner::push`] every field is a [`Value`] dispatched on its type, every
//! text hashed into its dictionary and every label normalised — 90 % of a Parquet load's time.
//! Here each dictionary value of a batch is trimmed, normalised and interned once (its rows then
//! copy a code), numbers are read straight from their arrays, and the rules are the same: the same
//! drop reasons in the same order, null and invalid counts, the load filter, duplicate IDs. A test
//! loads the same file both ways and compares tables and reports.

use arrow::array::{Array, AsArray, BooleanArray, DictionaryArray, Float64Array, Int64Array, StringArray};
use arrow::array::{RecordBatch, TimestampSecondArray};
use arrow::datatypes::{DataType, Float64Type, Int32Type, Int64Type, TimeUnit, TimestampSecondType};

use super::parse::{self, normalise_label, Value};
use super::{max_district, pad_iucr, state_plane, Cleaner, DropReason};
use crate::model::{DictColumn, FlagColumn, NULL_I64, NULL_U16, NULL_U8};
use crate::schema::Column;

/// A text column of a batch: dictionary-encoded (each value once) or plain.
enum Text<'a> {
    Dict(&'a DictionaryArray<Int32Type>, &'a StringArray),
    Plain(&'a StringArray),
}

impl<'a> Text<'a> {
    fn of(a: &'a dyn Array) -> Option<Text<'a>> {
        match a.data_type() {
            DataType::Utf8 => Some(Text::Plain(a.as_string::<i32>())),
            DataType::Dictionary(k, v) if **k == DataType::Int32 && **v == DataType::Utf8 => {
                let d = a.as_dictionary::<Int32Type>();
                Some(Text::Dict(d, d.values().as_string::<i32>()))
            }
            _ => None,
        }
    }
}

/// The batch's columns in the types the fast path reads; built by [`Typed::of`], which says no
/// (the caller then cleans row by row) for any column of another type.
pub(crate) struct Typed {
    arrays: Vec<arrow::array::ArrayRef>,
}

/// Whether `batch`'s column types allow the fast path for the columns `cleaner` reads.
fn readable(c: Column, t: &DataType) -> bool {
    use Column::*;
    let text = |t: &DataType| {
        matches!(t, DataType::Utf8)
            || matches!(t, DataType::Dictionary(k, v) if **k == DataType::Int32 && **v == DataType::Utf8)
    };
    match c {
        Id | Beat | District | Ward | CommunityArea | Year => t.is_integer(),
        Date | UpdatedOn => matches!(t, DataType::Timestamp(_, None) | DataType::Date32 | DataType::Date64),
        Arrest | Domestic => matches!(t, DataType::Boolean),
        XCoordinate | YCoordinate | Latitude | Longitude => t.is_floating(),
        CaseNumber | Block | Iucr | PrimaryType | Description | LocationDescription | FbiCode => text(t),
        // A point column is parsed per row: left to the row path.
        Location => false,
    }
}

impl Typed {
    /// The batch's columns, integers widened to Int64, if the fast path can read every one.
    pub(crate) fn of(cleaner: &Cleaner, batch: &RecordBatch) -> Option<Typed> {
        let l = &cleaner.layout;
        if l.date_format.is_some()
            || l.time.is_some()
            || l.status.is_some()
            || l.swapped
            || l.projected.is_some()
            || l.derive_fbi
            || l.map.get(Column::Date).is_none()
        {
            return None;
        }
        let mut arrays = batch.columns().to_vec();
        for c in Column::ALL {
            let Some(i) = l.map.get(c) else { continue };
            let a = arrays.get(i)?;
            if !readable(c, a.data_type()) {
                return None;
            }
            // Widened as the row path's casts do: integers to Int64, floats to Float64, dates and
            // timestamps to seconds.
            let to = match a.data_type() {
                t if t.is_integer() => DataType::Int64,
                t if t.is_floating() => DataType::Float64,
                DataType::Timestamp(..) | DataType::Date32 | DataType::Date64 => {
                    DataType::Timestamp(TimeUnit::Second, None)
                }
                t => t.clone(),
            };
            if *a.data_type() != to {
                arrays[i] = arrow_cast::cast(a, &to).ok()?;
            }
        }
        Some(Typed { arrays })
    }
}

/// Per dictionary value of a text column: its trimmed text's code, whether it is empty, and
/// (crime types) whether normalising changed it.
#[derive(Clone)]
pub(crate) struct Mapped {
    codes: Vec<u32>,
    empty: Vec<bool>,
    changed: Vec<bool>,
}

/// The last dictionary each text column was mapped from: the batches of one row group share their
/// dictionary's buffer, mapped once for all of them. The values array is kept, so its buffer
/// cannot be freed and another dictionary allocated at the same address be taken for it.
#[derive(Default)]
pub(crate) struct MappedCache([Option<(arrow::array::ArrayRef, Mapped)>; 6]);

/// Whether two dictionaries' values are the same buffer.
fn same_values(a: &StringArray, b: &StringArray) -> bool {
    a.len() == b.len()
        && a.values().as_ptr() == b.values().as_ptr()
        && a.offsets().as_ptr() == b.offsets().as_ptr()
}

impl Cleaner {
    fn col(&self, t: &Typed, c: Column) -> Option<usize> {
        self.layout.map.get(c).filter(|&i| i < t.arrays.len())
    }

    /// Maps text column `i`'s dictionary (or plain values, row by row) into `dict`, each value
    /// through `fix` (trim, label normalisation, IUCR padding) once; `fix` says if it changed.
    fn map_text(
        t: &Typed,
        i: Option<usize>,
        dict: &mut DictColumn,
        cache: &mut Option<(arrow::array::ArrayRef, Mapped)>,
        fix: &dyn Fn(&str, &mut String) -> bool,
    ) -> Option<Mapped> {
        let text = Text::of(t.arrays[i?].as_ref())?;
        if let (Text::Dict(_, values), Some((kept, m))) = (&text, &cache) {
            if same_values(values, kept.as_string::<i32>()) {
                return Some(m.clone());
            }
        }
        let mut buf = String::new();
        let mut m = Mapped { codes: Vec::new(), empty: Vec::new(), changed: Vec::new() };
        let mut one = |s: Option<&str>| {
            let s = parse::trim(s.unwrap_or(""));
            let s = if parse::missing_text(s) { "" } else { s };
            m.changed.push(fix(s, &mut buf));
            m.codes.push(dict.intern(&buf));
            m.empty.push(buf.is_empty());
        };
        match &text {
            Text::Dict(_, values) => {
                (0..values.len()).for_each(|v| one(values.is_valid(v).then(|| values.value(v))))
            }
            Text::Plain(a) => (0..a.len()).for_each(|r| one(a.is_valid(r).then(|| a.value(r)))),
        }
        if let Text::Dict(d, _) = &text {
            *cache = Some((d.values().clone(), m.clone()));
        }
        Some(m)
    }

    /// Cleans every row of a batch that [`Typed::of`] accepted, as [`Cleaner::push`] would: first
    /// row by row which rows are kept (the drop reasons in the row path's order, the filter,
    /// duplicate IDs), then column by column the kept rows' values — tight loops over one array
    /// each instead of twenty pushes a row.
    pub(crate) fn push_typed(&mut self, t: &Typed) {
        use Column::*;
        let n = t.arrays.first().map_or(0, |a| a.len());
        let chicago = self.layout.is_chicago();

        let trimmed = |s: &str, b: &mut String| {
            b.clear();
            b.push_str(s);
            false
        };
        let iucr_fix = |s: &str, b: &mut String| {
            b.clear();
            b.push_str(pad_iucr(s, chicago).as_deref().unwrap_or(s));
            false
        };
        let label_fix = |s: &str, b: &mut String| normalise_label(s, b);
        let table = &mut self.table;
        let cache = &mut self.mapped.0;
        let m = &self.layout.map;
        // Each text column's values, mapped once; in the order of `self.mapped`'s caches.
        let block = Self::map_text(t, m.get(Block), &mut table.block, &mut cache[0], &trimmed);
        let iucr = Self::map_text(t, m.get(Iucr), &mut table.iucr, &mut cache[1], &iucr_fix);
        let ptype = Self::map_text(t, m.get(PrimaryType), &mut table.primary_type, &mut cache[2], &label_fix);
        let desc = Self::map_text(t, m.get(Description), &mut table.description, &mut cache[3], &trimmed);
        let locd = Self::map_text(
            t,
            m.get(LocationDescription),
            &mut table.location_description,
            &mut cache[4],
            &trimmed,
        );
        let fbi = Self::map_text(t, m.get(FbiCode), &mut table.fbi_code, &mut cache[5], &trimmed);
        let text_cols = [Block, Iucr, PrimaryType, Description, LocationDescription, FbiCode];
        let texts = [&block, &iucr, &ptype, &desc, &locd, &fbi];
        let arrays = text_cols.map(|c| self.col(t, c).and_then(|i| Text::of(t.arrays[i].as_ref())));

        let i64s = |c: Column| self.col(t, c).map(|i| t.arrays[i].as_primitive::<Int64Type>().clone());
        let f64s = |c: Column| self.col(t, c).map(|i| t.arrays[i].as_primitive::<Float64Type>().clone());
        let stamps =
            |c: Column| self.col(t, c).map(|i| t.arrays[i].as_primitive::<TimestampSecondType>().clone());
        let bools = |c: Column| self.col(t, c).map(|i| t.arrays[i].as_boolean().clone());
        let (id, date, updated) = (i64s(Id), stamps(Date), stamps(UpdatedOn));
        let (beat, district, ward, area, year) =
            (i64s(Beat), i64s(District), i64s(Ward), i64s(CommunityArea), i64s(Year));
        let (x, y, lat, lon) = (f64s(XCoordinate), f64s(YCoordinate), f64s(Latitude), f64s(Longitude));
        let (arrest, domestic) = (bools(Arrest), bools(Domestic));
        let case = self.col(t, CaseNumber).and_then(|i| Text::of(t.arrays[i].as_ref()));

        // Null counts, column by column (as `count_nulls` does for each well-formed row).
        let nan_nulls = |a: &Option<Float64Array>| {
            a.as_ref().map_or(0, |a| a.null_count() + a.iter().filter(|v| v.is_some_and(f64::is_nan)).count())
        };
        let null_i = |a: &Option<Int64Array>| a.as_ref().map_or(0, Array::null_count);
        let null_t = |a: &Option<TimestampSecondArray>| a.as_ref().map_or(0, Array::null_count);
        let null_b = |a: &Option<BooleanArray>| a.as_ref().map_or(0, Array::null_count);
        let mut nulls = [0usize; 22];
        nulls[Id as usize] = null_i(&id);
        nulls[Date as usize] = null_t(&date);
        nulls[UpdatedOn as usize] = null_t(&updated);
        nulls[Beat as usize] = null_i(&beat);
        nulls[District as usize] = null_i(&district);
        nulls[Ward as usize] = null_i(&ward);
        nulls[CommunityArea as usize] = null_i(&area);
        nulls[Year as usize] = null_i(&year);
        nulls[XCoordinate as usize] = nan_nulls(&x);
        nulls[YCoordinate as usize] = nan_nulls(&y);
        nulls[Latitude as usize] = nan_nulls(&lat);
        nulls[Longitude as usize] = nan_nulls(&lon);
        nulls[Arrest as usize] = null_b(&arrest);
        nulls[Domestic as usize] = null_b(&domestic);
        for (j, m) in texts.iter().enumerate() {
            if let (Some(m), Some(a)) = (m, &arrays[j]) {
                nulls[text_cols[j] as usize] =
                    (0..n).filter(|&r| key_of(a, r).is_none_or(|v| m.empty[v])).count();
            }
        }
        if let Some(c) = &case {
            nulls[CaseNumber as usize] = (0..n).filter(|&r| text_at(c, r).is_empty()).count();
        }
        for c in Column::ALL {
            if self.layout.map.get(c).is_some() {
                self.nulls[c as usize] += nulls[c as usize] as u64;
            }
        }

        let int =
            |a: &Option<Int64Array>, r: usize| a.as_ref().and_then(|a| a.is_valid(r).then(|| a.value(r)));
        let float = |a: &Option<Float64Array>, r: usize| {
            a.as_ref().and_then(|a| a.is_valid(r).then(|| a.value(r))).filter(|v| !v.is_nan())
        };
        // Row `r`'s crime type: its index into the mapped values, if it has a non-empty one.
        let type_of = |r: usize| -> Option<usize> {
            let v = key_of(arrays[2].as_ref()?, r)?;
            ptype.as_ref().is_some_and(|m| !m.empty[v]).then_some(v)
        };

        // Which rows are kept, in order.
        let mut kept: Vec<u32> = Vec::with_capacity(n);
        for r in 0..n {
            self.rows_read += 1;
            let Some(d) = date.as_ref().and_then(|a| a.is_valid(r).then(|| a.value(r))) else {
                self.drop_row(DropReason::MissingDate);
                continue;
            };
            let Some(tc) = type_of(r) else {
                self.drop_row(DropReason::MissingPrimaryType);
                continue;
            };
            let label_code = ptype.as_ref().map_or(0, |m| m.codes[tc]);
            if !self.filter.keeps_date(d)
                || !self.filter.keeps_type(self.table.primary_type.values()[label_code as usize].as_str())
            {
                self.rows_filtered += 1;
                continue;
            }
            let coords = match (float(&lat, r), float(&lon, r)) {
                (Some(a), Some(o)) if !a.is_finite() || !o.is_finite() => Err(DropReason::InvalidCoordinates),
                (Some(a), Some(o)) if a == 0.0 && o == 0.0 => Err(DropReason::ZeroCoordinates),
                (Some(a), Some(o)) if !self.layout.area.contains(a, o) => Err(DropReason::OutOfBounds),
                (Some(_), Some(_)) => Ok(()),
                _ => Err(DropReason::MissingCoordinates),
            };
            if let Err(reason) = coords {
                self.drop_row(reason);
                continue;
            }
            if let Some(i) = int(&id, r) {
                if !self.seen_ids.insert(i) {
                    self.drop_row(DropReason::DuplicateId);
                    continue;
                }
            }
            if ptype.as_ref().is_some_and(|m| m.changed[tc]) {
                self.labels_normalised += 1;
            }
            kept.push(r as u32);
        }

        // The kept rows' values, column by column.
        let rows = || kept.iter().map(|&r| r as usize);
        let tb = &mut self.table;
        let invalid = &mut self.invalid;
        tb.id.extend(rows().map(|r| int(&id, r)));
        for r in rows() {
            tb.case_number.push(case.as_ref().map_or("", |c| text_at(c, r)));
        }
        // Kept rows have a date and a latitude and longitude.
        let date = date.expect("kept rows have a date");
        tb.date.extend(rows().map(|r| date.value(r)));
        let dicts: [&mut DictColumn; 6] = [
            &mut tb.block,
            &mut tb.iucr,
            &mut tb.primary_type,
            &mut tb.description,
            &mut tb.location_description,
            &mut tb.fbi_code,
        ];
        for (j, dict) in dicts.into_iter().enumerate() {
            match (texts[j], &arrays[j]) {
                (Some(m), Some(a)) => {
                    rows().for_each(|r| dict.push_code(key_of(a, r).map_or(0, |v| m.codes[v])))
                }
                _ => rows().for_each(|_| dict.push_code(0)),
            }
        }
        let flags = |out: &mut FlagColumn, a: &Option<BooleanArray>| match a {
            Some(a) => out.extend(rows().map(|r| if a.is_valid(r) { u8::from(a.value(r)) } else { NULL_U8 })),
            None => out.extend(rows().map(|_| NULL_U8)),
        };
        flags(&mut tb.arrest, &arrest);
        flags(&mut tb.domestic, &domestic);
        codes_into(&mut tb.beat, &mut invalid[Beat as usize], &beat, &kept, 9999, NULL_U16, false);
        let d_max = max_district(chicago);
        codes_into(
            &mut tb.district,
            &mut invalid[District as usize],
            &district,
            &kept,
            d_max,
            NULL_U8,
            false,
        );
        codes_into(&mut tb.ward, &mut invalid[Ward as usize], &ward, &kept, 99, NULL_U8, false);
        codes_into(
            &mut tb.community_area,
            &mut invalid[CommunityArea as usize],
            &area,
            &kept,
            77,
            NULL_U8,
            true,
        );
        tb.updated_on.extend(
            rows().map(|r| {
                updated.as_ref().and_then(|a| a.is_valid(r).then(|| a.value(r))).unwrap_or(NULL_I64)
            }),
        );
        let (lat, lon) = (lat.expect("kept rows have a latitude"), lon.expect("kept rows have a longitude"));
        tb.latitude.extend(rows().map(|r| lat.value(r)));
        tb.longitude.extend(rows().map(|r| lon.value(r)));
        // After the degrees: the feet are stored as the rows' places predict them.
        let plane = |v: Option<f64>| state_plane(v).unwrap_or(f32::NAN);
        let place = crate::model::places(&tb.latitude, &tb.longitude);
        for r in rows() {
            tb.plane.push(plane(float(&x, r)), plane(float(&y, r)), &place);
        }
    }
}

/// Row `r`'s index into a text column's mapped values (its dictionary key, or `r` for plain
/// text); `None` when null.
fn key_of(a: &Text<'_>, r: usize) -> Option<usize> {
    match a {
        Text::Dict(d, _) => d.is_valid(r).then(|| d.keys().value(r) as usize),
        Text::Plain(_) => Some(r),
    }
}

/// Pushes the kept rows' small integer codes of one column by the row path's rule, `parse::code`
/// (in `0..=max`, else invalid and counted), missing when null — or, for community areas, 0.
#[allow(clippy::too_many_arguments)]
fn codes_into<T: TryFrom<i64> + Copy>(
    out: &mut impl Extend<T>,
    invalid: &mut u64,
    a: &Option<Int64Array>,
    kept: &[u32],
    max: i64,
    missing: T,
    zero_missing: bool,
) {
    let Some(a) = a else {
        out.extend(kept.iter().map(|_| missing));
        return;
    };
    out.extend(kept.iter().map(|&r| {
        let r = r as usize;
        if a.is_null(r) {
            return missing;
        }
        match parse::code::<T>(Value::Int(a.value(r)), max) {
            Ok(Some(c)) if !(zero_missing && a.value(r) == 0) => c,
            Ok(_) => missing,
            Err(_) => {
                *invalid += 1;
                missing
            }
        }
    }));
}

/// Row `r` of a case-number column, trimmed ("" when null or `NULL`).
fn text_at<'a>(t: &'a Text<'a>, r: usize) -> &'a str {
    let s = match t {
        Text::Plain(a) => a.is_valid(r).then(|| a.value(r)),
        Text::Dict(d, v) => d.is_valid(r).then(|| v.value(d.keys().value(r) as usize)),
    };
    let t = parse::trim(s.unwrap_or(""));
    if parse::missing_text(t) {
        ""
    } else {
        t
    }
}
