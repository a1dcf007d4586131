//! Exploratory data analysis of the filtered rows: what happened, when, where and to whom.
//!
//! [`Eda::of`] makes every aggregate the EDA page draws in one pass over the rows (plus one
//! streaming pass for the correlation matrix), so the UI receives a few kilobytes whatever the
//! row count.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::clean::parse::format_datetime;
use crate::coverage::{partial_bins, Bin, PartialBin};
use crate::features::{categories, index_of, Features, COORDINATE_FEATURES, TIME_FEATURES};
use crate::model::{CrimeTable, NULL_U8};

/// How many of [`CORRELATED`] are not time features (`features::TIME_FEATURES`): the size of the
/// correlation's per-row sums, fixed so that they compile to vector operations.
const M: usize = 10;

/// Numeric features in the correlation matrix. Codes of nominal categories (district, beat,
/// ward, crime type, FBI code, location group) are left out: a correlation of arbitrary codes
/// means nothing.
pub const CORRELATED: [&str; 19] = [
    "hour",
    "weekday",
    "month",
    "day_of_year",
    "is_weekend",
    "is_night",
    "is_holiday",
    "hour_sin",
    "hour_cos",
    "latitude",
    "longitude",
    "x_m",
    "y_m",
    "dist_centre_km",
    "density_250m",
    "is_index_crime",
    "arrest",
    "domestic",
    "severity",
];

/// How many location descriptions the page lists.
pub const TOP_LOCATIONS: usize = 15;

/// Figures of one crime type among the filtered rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeStat {
    pub primary_type: String,
    pub count: u64,
    /// Share of the filtered rows (0–1).
    pub share: f64,
    /// Among rows with a known value (0–1); `None` when none is known.
    pub arrest_rate: Option<f64>,
    pub domestic_share: Option<f64>,
    /// Mean severity (1–10) of the type's incidents; types span several FBI codes.
    pub severity: f64,
}

/// Pearson correlations, pairwise over rows where both features are known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Correlation {
    pub features: Vec<String>,
    /// `values[i][j]`; `None` where a feature is constant or unknown in the rows.
    pub values: Vec<Vec<Option<f64>>>,
}

/// Everything the EDA page shows, for one filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Eda {
    /// Rows passing the filter, and rows loaded.
    pub rows: u64,
    pub total_rows: u64,
    pub arrest_rate: Option<f64>,
    pub domestic_rate: Option<f64>,
    pub date_min: Option<String>,
    pub date_max: Option<String>,
    /// Most frequent first.
    pub types: Vec<TypeStat>,
    pub by_hour: [u64; 24],
    /// 0 = Monday.
    pub by_weekday: [u64; 7],
    /// `hour_weekday[weekday][hour]`.
    pub hour_weekday: [[u64; 24]; 7],
    /// ("YYYY-MM", incidents), every month from the first to the last, empty ones as 0.
    pub by_month: Vec<(String, u64)>,
    /// (Monday "YYYY-MM-DD", incidents), every ISO week from the first to the last.
    pub by_week: Vec<(String, u64)>,
    /// The months and weeks of `by_month` and `by_week` that the data (and the filter's dates)
    /// only partly cover, with how many days ([`crate::coverage`]): drawn apart, not as a fall.
    #[serde(default)]
    pub partial_months: Vec<PartialBin>,
    #[serde(default)]
    pub partial_weeks: Vec<PartialBin>,
    /// Most frequent location descriptions, with counts.
    pub top_locations: Vec<(String, u64)>,
    /// (district, incidents), by district number; rows without a district are left out.
    pub districts: Vec<(u8, u64)>,
    pub correlation: Correlation,
}

fn rate(hits: u64, known: u64) -> Option<f64> {
    (known > 0).then(|| hits as f64 / known as f64)
}

#[derive(Default, Clone, Copy)]
struct TypeAcc {
    count: u64,
    arrests: u64,
    arrest_known: u64,
    domestic: u64,
    domestic_known: u64,
    severity: f64,
}

impl TypeAcc {
    fn add(&mut self, arrest: u8, domestic: u8, severity: f64) {
        self.add_n(arrest, domestic, severity, 1);
    }

    /// `n` rows of the same flags and severity. Severities are whole numbers, so `n` of them
    /// sum exactly to `n` times one.
    fn add_n(&mut self, arrest: u8, domestic: u8, severity: f64, n: u64) {
        self.count += n;
        self.severity += n as f64 * severity;
        if arrest != NULL_U8 {
            self.arrest_known += n;
            self.arrests += n * u64::from(arrest);
        }
        if domestic != NULL_U8 {
            self.domestic_known += n;
            self.domestic += n * u64::from(domestic);
        }
    }

    fn merge(&mut self, o: &TypeAcc) {
        self.count += o.count;
        self.arrests += o.arrests;
        self.arrest_known += o.arrest_known;
        self.domestic += o.domestic;
        self.domestic_known += o.domestic_known;
        self.severity += o.severity;
    }
}

/// Fills the gaps of a sorted date-keyed series with zeros, stepping with `next`.
fn dense<K: Ord + Copy>(counts: BTreeMap<K, u64>, next: impl Fn(K) -> K) -> Vec<(K, u64)> {
    let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut k = first;
    while k <= last {
        out.push((k, counts.get(&k).copied().unwrap_or(0)));
        k = next(k);
    }
    out
}

/// The first and last day of the dates of `t` (the loaded data's span).
pub fn table_span(t: &CrimeTable) -> Option<(NaiveDate, NaiveDate)> {
    // One pass for both ends.
    let (lo, hi) = t.date.iter().fold(None, |span: Option<(i64, i64)>, d| match span {
        Some((lo, hi)) => Some((lo.min(d), hi.max(d))),
        None => Some((d, d)),
    })?;
    let day = |s: i64| DateTime::from_timestamp(s, 0).map(|d| d.date_naive());
    Some((day(lo)?, day(hi)?))
}

impl Eda {
    /// The aggregates of `rows` (indices into `t`, e.g. from [`crate::filter::Filter::select`]),
    /// with partial bins judged against the whole table's dates.
    pub fn of(t: &CrimeTable, rows: &[u32]) -> Eda {
        Eda::within(t, rows, table_span(t))
    }

    /// The same, the months and weeks judged against the days `span` covers (the data's dates
    /// within the filter's: [`crate::filter::Filter::span`]).
    pub fn within(t: &CrimeTable, rows: &[u32], span: Option<(NaiveDate, NaiveDate)>) -> Eda {
        let mut by_hour = [0u64; 24];
        let mut by_weekday = [0u64; 7];
        let mut hour_weekday = [[0u64; 24]; 7];
        let mut months: BTreeMap<(i32, u32), u64> = BTreeMap::new();
        let mut weeks: BTreeMap<NaiveDate, u64> = BTreeMap::new();
        // Accumulated by dictionary code (no string work per row), named at the end.
        let mut by_type = vec![TypeAcc::default(); t.primary_type.values().len()];
        let mut by_location = vec![0u64; t.location_description.values().len()];
        let severity: Vec<f64> = t.fbi_code.values().iter().map(|c| categories::severity(c)).collect();
        let mut districts = [0u64; 256];
        let (mut lo, mut hi) = (i64::MAX, i64::MIN);
        // Rows per day (days since 1970-01-01), counted in runs: exports are sorted by date, so a
        // row's day is mostly the last one's. Months and weeks are summed from the days at the
        // end, not looked up in a tree for every row (8 million rows: a second in WebAssembly).
        let mut days: FxHashMap<i64, u64> = FxHashMap::default();
        let (mut run_day, mut run) = (i64::MIN, 0u64);
        // Once loaded, a row's type, location, FBI code and flags are its offence key's: rows are
        // counted by key (one count a row, not five lookups through the key) and named at the end.
        let key = t.offence_and_place_key();
        let keys = if key.is_some() { 1 << 16 } else { 0 };
        let (mut per_key, mut key_row) = (vec![0u64; keys], vec![0u32; keys]);
        for &r in rows {
            let i = r as usize;
            let d = t.date.get(i);
            (lo, hi) = (lo.min(d), hi.max(d));
            let day = d.div_euclid(86_400);
            if day != run_day {
                if run > 0 {
                    *days.entry(run_day).or_default() += run;
                }
                (run_day, run) = (day, 0);
            }
            run += 1;
            let hour = (d.rem_euclid(86_400) / 3600) as usize;
            // 1970-01-01 was a Thursday (3, from Monday = 0).
            let wd = (day + 3).rem_euclid(7) as usize;
            by_hour[hour] += 1;
            by_weekday[wd] += 1;
            hour_weekday[wd][hour] += 1;
            match key {
                Some(key) => {
                    let k = usize::from(key[i]);
                    per_key[k] += 1;
                    key_row[k] = r;
                }
                None => {
                    by_type[t.primary_type.code(i) as usize].add(
                        t.arrest[i],
                        t.domestic[i],
                        severity[t.fbi_code.code(i) as usize],
                    );
                    by_location[t.location_description.code(i) as usize] += 1;
                }
            }
            districts[t.district[i] as usize] += 1;
        }
        // Each key's rows at once, named by one of them.
        for (k, &n) in per_key.iter().enumerate().filter(|(_, &n)| n > 0) {
            let i = key_row[k] as usize;
            let s = severity[t.fbi_code.code(i) as usize];
            by_type[t.primary_type.code(i) as usize].add_n(t.arrest[i], t.domestic[i], s, n);
            by_location[t.location_description.code(i) as usize] += n;
        }

        if run > 0 {
            *days.entry(run_day).or_default() += run;
        }
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date");
        for (&day, &k) in &days {
            // Dates in the table were validated on load: every day is a calendar day.
            let Some(date) = epoch.checked_add_signed(Duration::days(day)) else { continue };
            let wd = date.weekday().num_days_from_monday() as i64;
            *months.entry((date.year(), date.month())).or_default() += k;
            *weeks.entry(date - Duration::days(wd)).or_default() += k;
        }

        let n = rows.len() as u64;
        let mut all = TypeAcc::default();
        by_type.iter().for_each(|a| all.merge(a));
        let names = t.primary_type.values();
        let mut types: Vec<TypeStat> = by_type
            .iter()
            .enumerate()
            .filter(|(_, a)| a.count > 0)
            .map(|(c, a)| TypeStat {
                primary_type: names[c].clone(),
                count: a.count,
                share: a.count as f64 / n as f64,
                arrest_rate: rate(a.arrests, a.arrest_known),
                domestic_share: rate(a.domestic, a.domestic_known),
                severity: a.severity / a.count as f64,
            })
            .collect();
        types.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.primary_type.cmp(&b.primary_type)));

        let locations = t.location_description.values();
        let mut top_locations: Vec<(String, u64)> = by_location
            .iter()
            .enumerate()
            .filter(|&(c, &k)| k > 0 && !locations[c].is_empty())
            .map(|(c, &k)| (locations[c].clone(), k))
            .collect();
        top_locations.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        top_locations.truncate(TOP_LOCATIONS);

        let next_month = |(y, m): (i32, u32)| if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        let partial = |bin: Bin, first: Option<NaiveDate>| match (first, span) {
            (Some(first), Some(span)) => partial_bins(bin, first, span),
            _ => Vec::new(),
        };
        let partial_months =
            partial(Bin::Month, months.keys().next().and_then(|&(y, m)| NaiveDate::from_ymd_opt(y, m, 1)));
        let partial_weeks = partial(Bin::Week, weeks.keys().next().copied());
        Eda {
            rows: n,
            total_rows: t.len() as u64,
            arrest_rate: rate(all.arrests, all.arrest_known),
            domestic_rate: rate(all.domestic, all.domestic_known),
            date_min: (n > 0).then(|| format_datetime(lo)),
            date_max: (n > 0).then(|| format_datetime(hi)),
            types,
            by_hour,
            by_weekday,
            hour_weekday,
            by_month: dense(months, next_month)
                .into_iter()
                .map(|((y, m), k)| (format!("{y:04}-{m:02}"), k))
                .collect(),
            by_week: dense(weeks, |w| w + Duration::days(7))
                .into_iter()
                .map(|(w, k)| (w.to_string(), k))
                .collect(),
            partial_months,
            partial_weeks,
            top_locations,
            districts: (0..NULL_U8)
                .filter(|&d| districts[d as usize] > 0)
                .map(|d| (d, districts[d as usize]))
                .collect(),
            correlation: correlation(t, rows),
        }
    }
}

/// Pearson correlation of [`CORRELATED`] over `rows`, streaming: features are computed a row at
/// a time and only the co-moment sums are kept (the full matrix would be 150 MB at 500k rows).
/// Each pair uses the rows where both values are known; values are shifted by the first row's
/// to keep the sums of squares well-conditioned.
///
/// Rows with every value known (nearly all) are summed by the hour they fall in: the time
/// features are the same for all rows of an hour, so a row adds only its other values to its
/// hour's sums (no calendar); the hours' sums are multiplied out by their time features at the
/// end. Of its other values, the four of its codes are its group's ([`Group`]), and of its six
/// place values x and y are lines in longitude and latitude ([`Lines`]): a row multiplies out
/// only four values (16 multiply-adds a row, not 19 × 19). Rows with a missing value take the
/// pairwise path.
pub fn correlation(t: &CrimeTable, rows: &[u32]) -> Correlation {
    let idx: Vec<usize> =
        CORRELATED.iter().map(|name| index_of(name).expect("CORRELATED names catalogue features")).collect();
    let k = idx.len();
    // Positions in CORRELATED of the time features and of the others.
    let (time, other): (Vec<usize>, Vec<usize>) = (0..k).partition(|&a| idx[a] < TIME_FEATURES);
    assert_eq!(other.len(), M, "CORRELATED has {M} features after the time ones");
    let features = Features::prepare(t, rows);
    let full_row = |r: usize| -> Vec<f64> {
        let v = features.row(r);
        idx.iter().map(|&c| v[c]).collect()
    };
    let shift: Vec<f64> = match rows.first() {
        Some(&r) => full_row(r as usize).into_iter().map(|v| if v.is_nan() { 0.0 } else { v }).collect(),
        None => vec![0.0; k],
    };
    // Per pair (i ≤ j): n, Σx, Σy, Σx², Σy², Σxy over rows where both are known.
    let mut acc = vec![[0f64; 6]; k * k];
    // Complete rows: per hour, the count and the sums of the other values; over all of them, the
    // other values' co-moments (upper triangle).
    let mut hours: FxHashMap<i64, [f64; M + 1]> = FxHashMap::default();
    let (mut run_hour, mut run) = (i64::MIN, [0f64; M + 1]);
    // Of the other values, those of the row's place multiply out row by row (a fixed 4 × 4
    // square: vector operations); those of its codes are the same for every row of its group —
    // its FBI code, arrest and domestic flags — so a row only adds its place values to its
    // group's sums, and the products with the codes are taken once a group at the end.
    let (place, codes) = split_other(&other);
    // The place values' shifts, in the order of `Features::coordinate_values`.
    let pshift: [f64; PLACE] = std::array::from_fn(|q| shift[other[place[q]]]);
    // x_m and y_m are affine in longitude and latitude (shifted by the first row's values:
    // x − x̄ = kx · (lon − lon̄) + b), so a row adds only its four other place values; the sums
    // of x and y are made from longitude's and latitude's ([`Lines`]). In Chromium the EDA of
    // 8.2 M rows took 1.13–1.42 s before, 0.94–1.11 s after (and
    // `Features::prepare` no longer passes over the rows for its density grid's extent).
    let lines = Lines::new(features.projection_lines(), &pshift);
    let mut pp = [[0f64; SUMMED.len()]; SUMMED.len()];
    let mut groups = vec![Group::default(); t.fbi_code.values().len() * 4];
    let mut flush = |hour: i64, run: &mut [f64; M + 1]| {
        if run[0] > 0.0 {
            let n = run[0];
            lines.fill(|q| place[q] + 1, run, n);
            let h = hours.entry(hour).or_insert([0f64; M + 1]);
            h.iter_mut().zip(run.iter()).for_each(|(h, r)| *h += r);
            *run = [0f64; M + 1];
        }
    };
    // A row's group: its FBI code and flags. Flags are 0, 1 or missing (`model::opt_bool`); a
    // missing one, or any other byte, takes the slow path, as a missing coordinate does.
    const FLAG_MISSING: u32 = u32::MAX;
    let group_of_row = |i: usize| {
        let (arrest, domestic) = (t.arrest[i], t.domestic[i]);
        if arrest > 1 || domestic > 1 {
            FLAG_MISSING
        } else {
            t.fbi_code.code(i) * 4 + u32::from(arrest) * 2 + u32::from(domestic)
        }
    };
    // Once loaded, the three share the offence's key: a row's group is its key's, found at the
    // key's first row (one lookup a row, where the three columns took three through the key).
    const UNSEEN: u32 = u32::MAX - 1;
    let offence = t.offence_key();
    let mut group_of_key = if offence.is_some() { vec![UNSEEN; 1 << 16] } else { Vec::new() };
    for &r in rows {
        let i = r as usize;
        let cv = features.coordinate_values(i);
        // Written out, as `s` below: in WebAssembly an array's `map` (and `from_fn`) stayed a
        // call a row, copying the arrays through memory (an eighth of the EDA in Chromium).
        let p: [f64; PLACE] = [
            cv[0] - pshift[0],
            cv[1] - pshift[1],
            cv[2] - pshift[2],
            cv[3] - pshift[3],
            cv[4] - pshift[4],
            cv[5] - pshift[5],
        ];
        let group = match offence {
            Some(key) => {
                let at = &mut group_of_key[usize::from(key[i])];
                if *at == UNSEEN {
                    *at = group_of_row(i);
                }
                *at
            }
            None => group_of_row(i),
        };
        if p.iter().any(|v| v.is_nan()) || group == FLAG_MISSING {
            pairwise(&mut acc, &full_row(i), &shift);
            continue;
        }
        let g = &mut groups[group as usize];
        if !g.ready {
            let v = features.place_values(i);
            g.codes = std::array::from_fn(|u| {
                let a = other[codes[u]];
                v[idx[a] - TIME_FEATURES] - shift[a]
            });
            g.complete = g.codes.iter().all(|c| !c.is_nan());
            g.ready = true;
        }
        if !g.complete {
            pairwise(&mut acc, &full_row(i), &shift);
            continue;
        }
        let hour = t.date.get(i).div_euclid(3600);
        if hour != run_hour {
            flush(run_hour, &mut run);
            run_hour = hour;
        }
        run[0] += 1.0;
        let s: [f64; SUMMED.len()] = [p[SUMMED[0]], p[SUMMED[1]], p[SUMMED[2]], p[SUMMED[3]]];
        for (j, &q) in SUMMED.iter().enumerate() {
            run[place[q] + 1] += s[j];
        }
        for u in 0..CODES {
            run[codes[u] + 1] += g.codes[u];
        }
        g.n += 1.0;
        for (j, &q) in SUMMED.iter().enumerate() {
            g.place[q] += s[j];
            for w in 0..SUMMED.len() {
                pp[j][w] += s[j] * s[w];
            }
        }
    }
    // The place values' co-moments over the complete rows, x and y's made from longitude's and
    // latitude's; then the other values', assembled from the blocks.
    let (mut n_all, mut sums) = (0.0, [0f64; SUMMED.len()]);
    for g in groups.iter_mut().filter(|g| g.n > 0.0) {
        n_all += g.n;
        sums.iter_mut().zip(SUMMED).for_each(|(s, q)| *s += g.place[q]);
        lines.fill(|q| q, &mut g.place, g.n);
    }
    let mut oo = [[0f64; M]; M];
    for q in 0..PLACE {
        for w in 0..PLACE {
            oo[place[q]][place[w]] = lines.co_moment(q, w, &pp, &sums, n_all);
        }
    }
    for g in groups.iter().filter(|g| g.n > 0.0) {
        for u in 0..CODES {
            for q in 0..PLACE {
                let x = g.codes[u] * g.place[q];
                oo[codes[u]][place[q]] += x;
                oo[place[q]][codes[u]] += x;
            }
            for z in 0..CODES {
                oo[codes[u]][codes[z]] += g.n * g.codes[u] * g.codes[z];
            }
        }
    }
    flush(run_hour, &mut run);
    // The complete rows' sums and co-moments over all k features.
    let (mut full_n, mut full_s, mut full_ss) = (0f64, vec![0f64; k], vec![0f64; k * k]);
    // In order of hours: the same sums in the same order natively and in WebAssembly.
    let mut hours: Vec<(i64, [f64; M + 1])> = hours.into_iter().collect();
    hours.sort_unstable_by_key(|h| h.0);
    for (hour, h) in &hours {
        let hour = *hour;
        let tv = features.time_values(hour * 3600);
        let n = h[0];
        full_n += n;
        let x: Vec<f64> = time.iter().map(|&a| tv[idx[a]] - shift[a]).collect();
        for (p, &a) in time.iter().enumerate() {
            full_s[a] += n * x[p];
            for (q, &b) in time.iter().enumerate().skip(p) {
                full_ss[a * k + b] += n * x[p] * x[q];
            }
            for (j, &b) in other.iter().enumerate() {
                full_ss[a.min(b) * k + a.max(b)] += x[p] * h[j + 1];
            }
        }
    }
    for (j, &a) in other.iter().enumerate() {
        full_s[a] += hours.iter().map(|h| h.1[j + 1]).sum::<f64>();
        for (l, &b) in other.iter().enumerate().skip(j) {
            full_ss[a.min(b) * k + a.max(b)] += oo[j][l];
        }
    }
    for a in 0..k {
        for b in a..k {
            let s = &mut acc[a * k + b];
            s[0] += full_n;
            s[1] += full_s[a];
            s[2] += full_s[b];
            s[3] += full_ss[a * k + a];
            s[4] += full_ss[b * k + b];
            s[5] += full_ss[a * k + b];
        }
    }
    let mut values = vec![vec![None; k]; k];
    for a in 0..k {
        for b in a..k {
            let [n, sx, sy, sxx, syy, sxy] = acc[a * k + b];
            let vx = sxx - sx * sx / n;
            let vy = syy - sy * sy / n;
            let cov = sxy - sx * sy / n;
            // A constant feature (all weekend, say) has no correlation: left empty, not 0.
            let tiny = |v: f64, s: f64| v <= 1e-12 * (s.abs() + 1.0);
            let r = (n >= 2.0 && !tiny(vx, sxx) && !tiny(vy, syy)).then(|| {
                if a == b {
                    1.0
                } else {
                    (cov / (vx.sqrt() * vy.sqrt())).clamp(-1.0, 1.0)
                }
            });
            values[a][b] = r;
            values[b][a] = r;
        }
    }
    Correlation { features: CORRELATED.iter().map(|s| s.to_string()).collect(), values }
}

/// How many of the other values are the place's (coordinates, distance, density); the rest are
/// its codes' ([`CODE_FEATURES`]).
const PLACE: usize = 6;
const CODES: usize = M - PLACE;
/// The correlated features fixed by a row's FBI code and its arrest and domestic flags.
const CODE_FEATURES: [&str; CODES] = ["is_index_crime", "arrest", "domestic", "severity"];

/// The place values a row adds, in [`COORDINATE_FEATURES`]' order: latitude, longitude, distance
/// and density; x_m (2) and y_m (3) follow from longitude and latitude ([`Lines`]).
const SUMMED: [usize; 4] = [0, 1, 4, 5];
/// The place values made from the summed ones: x_m from longitude, y_m from latitude, as
/// (place value, position in [`SUMMED`]).
const MADE: [(usize, usize); 2] = [(2, 1), (3, 0)];

/// x_m and y_m, shifted, as lines in shifted longitude and latitude: value q = a_q · s + b_q for
/// the summed values s ([`SUMMED`]) of a row. Every place value is one: latitude, longitude,
/// distance and density with a = their unit vector and b = 0.
struct Lines {
    a: [[f64; SUMMED.len()]; PLACE],
    b: [f64; PLACE],
}

impl Lines {
    /// From the projection's lines ([`Features::projection_lines`]: (kx, lon₀), (ky, lat₀)) and
    /// the place values' shifts: x − x̄ = kx · (lon − lon̄) + kx · (lon̄ − lon₀) − x̄ (the last two
    /// cancel when the shifts are one row's values, as they are unless a value was missing).
    fn new([(kx, lon0), (ky, lat0)]: [(f64, f64); 2], shift: &[f64; PLACE]) -> Lines {
        let mut a = [[0.0; SUMMED.len()]; PLACE];
        for (j, &q) in SUMMED.iter().enumerate() {
            a[q][j] = 1.0;
        }
        let mut b = [0.0; PLACE];
        for ((q, j), (k, origin)) in MADE.into_iter().zip([(kx, lon0), (ky, lat0)]) {
            let from = SUMMED[j];
            (a[q][j], b[q]) = (k, k * (shift[from] - origin) - shift[q]);
        }
        Lines { a, b }
    }

    /// Sets x and y's sums in `v` (at `at(2)`, `at(3)`) from longitude's and latitude's, over
    /// `n` rows.
    fn fill(&self, at: impl Fn(usize) -> usize, v: &mut [f64], n: f64) {
        for (q, j) in MADE {
            v[at(q)] = self.a[q][j] * v[at(SUMMED[j])] + self.b[q] * n;
        }
    }

    /// Σ v_q v_w over `n` rows from the summed values' co-moments `pp` and sums `s`:
    /// a_qᵀ pp a_w + b_w (a_q · s) + b_q (a_w · s) + n b_q b_w.
    fn co_moment(
        &self,
        q: usize,
        w: usize,
        pp: &[[f64; SUMMED.len()]; SUMMED.len()],
        s: &[f64],
        n: f64,
    ) -> f64 {
        let (aq, aw) = (&self.a[q], &self.a[w]);
        let dot = |a: &[f64; SUMMED.len()]| a.iter().zip(s).map(|(a, s)| a * s).sum::<f64>();
        let mut m = 0.0;
        for j in 0..SUMMED.len() {
            for l in 0..SUMMED.len() {
                m += aq[j] * pp[j][l] * aw[l];
            }
        }
        m + self.b[w] * dot(aq) + self.b[q] * dot(aw) + n * self.b[q] * self.b[w]
    }
}

/// The complete rows of one FBI code and pair of flags: how many, the sums of their place
/// values, and the code values they share.
#[derive(Clone, Copy, Default)]
struct Group {
    n: f64,
    place: [f64; PLACE],
    codes: [f64; CODES],
    /// `codes` are set (from the group's first row), and none is missing.
    ready: bool,
    complete: bool,
}

/// Positions among the other values (`other`, positions in [`CORRELATED`]) of the place values
/// and of the code values.
fn split_other(other: &[usize]) -> ([usize; PLACE], [usize; CODES]) {
    let (code, place): (Vec<usize>, Vec<usize>) =
        (0..other.len()).partition(|&j| CODE_FEATURES.contains(&CORRELATED[other[j]]));
    let names: Vec<&str> = place.iter().map(|&j| CORRELATED[other[j]]).collect();
    assert_eq!(
        names, COORDINATE_FEATURES,
        "the place features are Features::coordinate_values, in its order"
    );
    (
        place.try_into().expect("CORRELATED has 6 place features"),
        code.try_into().expect("CORRELATED has the 4 code features"),
    )
}

/// Adds a row with a missing value to every pair (a ≤ b) where both of its values are known.
fn pairwise(acc: &mut [[f64; 6]], v: &[f64], shift: &[f64]) {
    let k = v.len();
    for a in 0..k {
        let p = v[a] - shift[a];
        if p.is_nan() {
            continue;
        }
        for b in a..k {
            let q = v[b] - shift[b];
            if q.is_nan() {
                continue;
            }
            let s = &mut acc[a * k + b];
            s[0] += 1.0;
            s[1] += p;
            s[2] += q;
            s[3] += p * p;
            s[4] += q * q;
            s[5] += p * q;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::tests::table;
    use crate::features::{all_rows, compute, CATALOGUE};

    fn sample() -> CrimeTable {
        table(
            "2017-01-02T08:00:00,THEFT,STREET,06,1,true,false,41.90,-87.70\n\
             2017-01-02T09:30:00,THEFT,STREET,06,1,false,false,41.91,-87.69\n\
             2017-01-08T23:00:00,BATTERY,APARTMENT,08B,7,false,true,41.80,-87.60\n\
             2017-03-01T23:15:00,HOMICIDE,STREET,01A,7,true,,41.75,-87.62\n\
             2017-03-01T00:15:00,THEFT,RESIDENCE,06,,,false,41.95,-87.65\n",
        )
    }

    #[test]
    fn partial_first_and_last_bins_follow_the_data_and_the_filter_dates_not_the_rows() {
        // The data runs Monday 2 January → Wednesday 1 March 2017.
        let t = sample();
        let e = Eda::of(&t, &all_rows(&t));
        assert_eq!(e.partial_months[0].note, "partial month: data from 2 Jan (30 of 31 days)");
        assert!(e.partial_weeks.iter().all(|p| p.index != 0), "the first week starts on Monday 2 Jan");
        let march = e.partial_months.last().unwrap();
        assert_eq!((march.index, march.covered, march.days), (2, 1, 31));
        assert_eq!(march.note, "partial month: data to 1 Mar (1 of 31 days)");
        let week = e.partial_weeks.last().unwrap();
        assert_eq!((week.index, week.start.as_str(), week.covered), (8, "2017-02-27", 3));
        // A homicide on 1 March alone: its month is as partial as the data's, no more.
        let one = Eda::of(&t, &[3]);
        assert_eq!(one.partial_months.len(), 1);
        assert_eq!((one.partial_months[0].index, one.partial_months[0].covered), (0, 1));
        // A filter from 5 January makes January partial from that day (its first row is on the 8th).
        let f = crate::filter::Filter::from_query("from=2017-01-05").0;
        let e = Eda::within(&t, &f.select(&t), f.span(&t));
        assert_eq!(e.partial_months[0].note, "partial month: data from 5 Jan (27 of 31 days)");
        assert_eq!(crate::filter::Filter::from_query("from=2018-01-01").0.span(&t), None);
    }

    #[test]
    fn counts_rates_and_calendars() {
        let t = sample();
        let e = Eda::of(&t, &all_rows(&t));
        assert_eq!((e.rows, e.total_rows), (5, 5));
        assert_eq!(e.arrest_rate, Some(0.5), "2 of 4 known");
        assert_eq!(e.domestic_rate, Some(0.25), "1 of 4 known");
        assert_eq!(e.date_min.as_deref(), Some("2017-01-02T08:00:00"));
        assert_eq!(e.date_max.as_deref(), Some("2017-03-01T23:15:00"));
        let theft = &e.types[0];
        assert_eq!((theft.primary_type.as_str(), theft.count), ("THEFT", 3));
        assert!((theft.share - 0.6).abs() < 1e-12);
        assert_eq!(theft.arrest_rate, Some(0.5));
        assert_eq!(theft.severity, 4.0);
        let homicide = e.types.iter().find(|s| s.primary_type == "HOMICIDE").unwrap();
        assert_eq!((homicide.severity, homicide.domestic_share), (10.0, None));
        // 2 Jan 2017 is a Monday, 8 Jan a Sunday, 1 Mar a Wednesday.
        assert_eq!(e.by_weekday, [2, 0, 2, 0, 0, 0, 1]);
        assert_eq!(e.hour_weekday[0][8], 1);
        assert_eq!(e.hour_weekday[6][23], 1);
        assert_eq!(e.by_hour[23], 2);
        assert_eq!(e.by_hour.iter().sum::<u64>(), 5);
        // February had nothing and is still listed.
        assert_eq!(e.by_month, vec![("2017-01".into(), 3), ("2017-02".into(), 0), ("2017-03".into(), 2)]);
        assert_eq!(
            e.by_week.first(),
            Some(&("2017-01-02".to_string(), 3)),
            "Sunday 8 Jan is in the week of Monday 2 Jan"
        );
        assert_eq!(e.by_week.last(), Some(&("2017-02-27".to_string(), 2)));
        assert_eq!(e.by_week.len(), 9);
        assert_eq!(e.top_locations[0], ("STREET".to_string(), 3));
        assert_eq!(e.districts, vec![(1, 2), (7, 2)]);
        // Loaded, the rows are counted by their offence key; pushed anew, the same rows keep
        // codes of their own and are counted row by row: the same figures, missing flags too.
        let mut own = CrimeTable::new();
        (0..t.len()).for_each(|r| own.push(&t.row(r)));
        assert!(t.offence_and_place_key().is_some() && own.offence_and_place_key().is_none());
        for rows in [all_rows(&t), vec![1, 3, 4], vec![]] {
            let json = |t: &CrimeTable| serde_json::to_value(Eda::of(t, &rows)).unwrap();
            assert_eq!(json(&t), json(&own), "rows {rows:?}");
        }
    }

    #[test]
    fn a_selection_is_aggregated_alone_and_nothing_selected_is_fine() {
        let t = sample();
        let e = Eda::of(&t, &[2, 3]);
        assert_eq!((e.rows, e.total_rows), (2, 5));
        assert_eq!(e.types.len(), 2);
        assert_eq!(e.by_month.len(), 3);
        let none = Eda::of(&t, &[]);
        assert_eq!(none.rows, 0);
        assert!(none.types.is_empty() && none.by_week.is_empty() && none.date_min.is_none());
        assert!(none.correlation.values.iter().flatten().all(Option::is_none));
    }

    /// The streaming matrix equals the textbook two-pass formula on the full feature matrix.
    #[test]
    fn correlation_matches_the_two_pass_formula() {
        let t = sample();
        let c = matches_two_pass(&t);
        // The first row without a place: the shifts of latitude and longitude are then 0 while
        // x and y's are not the first row's projection (the lines' offsets are not 0).
        let mut far = sample();
        far.latitude.set(0, f64::NAN);
        far.longitude.set(0, f64::NAN);
        let moved = matches_two_pass(&far);
        let i = |name: &str| CORRELATED.iter().position(|s| *s == name).unwrap();
        assert_ne!(moved.values[i("x_m")][i("hour")], c.values[i("x_m")][i("hour")]);
        assert_eq!(c.values[i("hour")][i("hour")], Some(1.0));
        // Sunday 8 Jan is the one weekend row, the one with the highest weekday.
        assert!(c.values[i("is_weekend")][i("weekday")].unwrap() > 0.5);
        // Monday 2 Jan 2017 is New Year's Day observed.
        assert!(c.values[i("is_holiday")][i("hour")].is_some());
        let two = correlation(&t, &[0, 1]);
        assert_eq!(two.values[i("domestic")][i("hour")], None, "domestic is constant in rows 0 and 1");
        assert_eq!(two.values[i("hour")][i("latitude")], Some(1.0));
        let x_lon = c.values[i("x_m")][i("longitude")].unwrap();
        assert!(x_lon > 0.999_999, "x is linear in longitude: {x_lon}");
        // Loaded, the FBI code and the flags share the offence's key and the groups are found
        // by key; the same rows pushed anew keep codes of their own: the same figures.
        let mut own = CrimeTable::new();
        (0..t.len()).for_each(|r| own.push(&t.row(r)));
        assert!(t.offence_key().is_some() && own.offence_key().is_none());
        assert_eq!(matches_two_pass(&own).values, c.values);
    }

    /// The correlation of every row of `t`, checked pair by pair against the two-pass formula
    /// over the feature matrix's columns.
    fn matches_two_pass(t: &CrimeTable) -> Correlation {
        let m = compute(t);
        let c = correlation(t, &all_rows(t));
        for (a, fa) in c.features.iter().enumerate() {
            for (b, fb) in c.features.iter().enumerate() {
                let (x, y) = (m.column(fa).unwrap(), m.column(fb).unwrap());
                let pairs: Vec<(f64, f64)> = x
                    .iter()
                    .zip(y)
                    .filter(|(p, q)| !p.is_nan() && !q.is_nan())
                    .map(|(p, q)| (*p, *q))
                    .collect();
                let n = pairs.len() as f64;
                let (mx, my) =
                    (pairs.iter().map(|p| p.0).sum::<f64>() / n, pairs.iter().map(|p| p.1).sum::<f64>() / n);
                let cov: f64 = pairs.iter().map(|(p, q)| (p - mx) * (q - my)).sum();
                let vx: f64 = pairs.iter().map(|(p, _)| (p - mx).powi(2)).sum();
                let vy: f64 = pairs.iter().map(|(_, q)| (q - my).powi(2)).sum();
                match c.values[a][b] {
                    Some(r) => assert!((r - cov / (vx * vy).sqrt()).abs() < 1e-9, "{fa}×{fb}: {r}"),
                    None => assert!(vx < 1e-12 || vy < 1e-12 || n < 2.0, "{fa}×{fb} left empty"),
                }
            }
        }
        c
    }

    #[test]
    fn every_correlated_feature_is_catalogued_and_numeric() {
        for name in CORRELATED {
            let spec = CATALOGUE.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("{name}"));
            assert!(!spec.unit.starts_with("code"), "{name} is a nominal code");
        }
    }
}
