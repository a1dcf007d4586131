//! Tonight's briefing: the three questions answered for one shift, before anyone touches a
//! control.
//!
//! - *When*: the incidents expected in each hour of the shift, from the historical profile of
//!   the same weekday and hours (incidents in that slot ÷ how many such days the data spans),
//!   and the peak hours.
//! - *Where*: the risk grid of the shift's incidents (the same weekday and hours in the history),
//!   its top hotspots, and a patrol route through them from the police station nearest to them.
//! - *Which neighbourhoods*: community areas and districts (the records' own fields) ranked by
//!   the incidents they can expect in the shift, with their four-week trend.
//! - What changed in the last four weeks of the data against the four before.
//! - The hotspots' track record ([`track_record`]): the forecast with the best record over the last
//!   8 same shifts ranks tonight's cells, and one line says how its cells did.

pub mod track_record;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::areas::{four_weeks_cut, AreaKind, Boundaries};
use crate::cluster::Progress;
use crate::error::AnalysisError;
use crate::filter::{day_of, Chip, Filter, DAY, WEEKDAYS};
use crate::model::CrimeTable;
use crate::place::{name_hotspots, named_hotspots, Gazetteer};
use crate::risk::hotspots::{spread, Hotspot, HotspotMode};
use crate::risk::RiskParams;
use crate::route::plan::{RouteParams, RoutePlan};
use crate::route::stations::Station;
use crate::route::travel::Travel;
use crate::terrain::Layer;

/// A shift: a start on a weekday and a length, possibly past midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shift {
    /// 0 = Monday … 6 = Sunday: the day the shift starts.
    pub weekday: u8,
    /// Hour the shift starts, 0–23.
    pub start_hour: u8,
    /// Length in hours, 1–24.
    pub hours: u8,
}

impl Default for Shift {
    /// Friday night, 20:00–04:00.
    fn default() -> Self {
        Shift { weekday: 4, start_hour: 20, hours: 8 }
    }
}

impl Shift {
    /// (weekday, hour) of each hour of the shift, in order; past midnight the weekday is the next.
    pub fn slots(&self) -> Vec<(u8, u8)> {
        (0..self.hours as u32)
            .map(|k| {
                let at = self.weekday as u32 * 24 + self.start_hour as u32 + k;
                ((at / 24 % 7) as u8, (at % 24) as u8)
            })
            .collect()
    }

    /// The hour of the shift (0 = its first) that (weekday, hour) falls in, if any.
    pub fn offset(&self, weekday: u8, hour: u8) -> Option<usize> {
        let at = weekday as i64 * 24 + hour as i64;
        let k = (at - (self.weekday as i64 * 24 + self.start_hour as i64)).rem_euclid(168);
        (k < self.hours as i64).then_some(k as usize)
    }

    /// "Fri 20:00–04:00".
    pub fn label(&self) -> String {
        let end = (self.start_hour as u32 + self.hours as u32) % 24;
        format!("{} {:02}:00–{end:02}:00", WEEKDAYS[self.weekday as usize % 7], self.start_hour)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BriefingParams {
    pub shift: Shift,
    /// Hotspots on the map, 1–50.
    pub hotspots: usize,
    /// Of which the route visits the first, 1–50.
    pub route_stops: usize,
    /// The risk grid's cell, metres.
    pub cell_m: f64,
}

impl Default for BriefingParams {
    fn default() -> Self {
        BriefingParams { shift: Shift::default(), hotspots: 10, route_stops: 8, cell_m: 250.0 }
    }
}

/// Parameters that passed [`BriefingParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct BriefingValid(BriefingParams);

impl BriefingParams {
    pub fn check(self) -> Result<BriefingValid, AnalysisError> {
        let bad = |m: String| Err(AnalysisError::Param(m));
        let s = self.shift;
        if s.weekday > 6 {
            return bad(format!("the weekday must be 0 (Monday) to 6 (Sunday), not {}", s.weekday));
        }
        if s.start_hour > 23 {
            return bad(format!("the shift must start at 0–23 h, not {}", s.start_hour));
        }
        if !(1..=24).contains(&s.hours) {
            return bad(format!("the shift must last 1–24 hours, not {}", s.hours));
        }
        if !(1..=50).contains(&self.hotspots) {
            return bad(format!("the number of hotspots must be 1–50, not {}", self.hotspots));
        }
        if !(1..=50).contains(&self.route_stops) {
            return bad(format!("the route's stops must be 1–50, not {}", self.route_stops));
        }
        // The risk grid checks the cell size.
        RiskParams { cell_m: self.cell_m, ..RiskParams::default() }.check()?;
        Ok(BriefingValid(self))
    }
}

/// One hour of the shift.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HourExpect {
    pub weekday: u8,
    pub hour: u8,
    /// Incidents in this weekday-hour over the whole history.
    pub incidents: u64,
    /// Incidents expected in it tonight: `incidents` ÷ the shifts seen.
    pub expected: f64,
}

/// An area ranked for the shift.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaRisk {
    pub id: u16,
    /// From a loaded boundary file, else the built-in reference layers when the data is in
    /// their city, else `None` (the page says "Area 25").
    pub name: Option<String>,
    /// Incidents in the shift's hours over the history, and per shift.
    pub shift_incidents: u64,
    pub per_shift: f64,
    pub last_4_weeks: u64,
    pub previous_4_weeks: u64,
    pub change: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeChange {
    pub primary_type: String,
    pub last_4_weeks: u64,
    pub previous_4_weeks: u64,
    pub change: Option<f64>,
}

/// The last 28 days of the selected rows against the 28 before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FourWeeks {
    /// The last day with a row, YYYY-MM-DD.
    pub as_of: String,
    pub last: u64,
    pub previous: u64,
    pub change: Option<f64>,
    pub arrests_last: u64,
    pub arrests_previous: u64,
    /// The five crime types that moved most (by count), biggest move first.
    pub movers: Vec<TypeChange>,
    /// Why there is no trend, when the earlier four weeks are not wholly in the data (it starts
    /// inside them): every `change` is then `None` rather than a comparison with a partial window.
    #[serde(default)]
    pub partial: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Briefing {
    pub shift: Shift,
    pub label: String,
    /// How many times the data saw the shift's weekday (the divisor of every "expected").
    pub shifts_seen: u32,
    /// Selected incidents in the shift's weekday-hours.
    pub shift_incidents: u64,
    pub hours: Vec<HourExpect>,
    pub expected_total: f64,
    /// The three busiest hours of the shift, busiest first.
    pub peak_hours: Vec<u8>,
    /// The risk grid's top cells for the shift's incidents.
    pub hotspots: Vec<Hotspot>,
    /// The route from the nearest station through the first hotspots (`None`: see `route_error`).
    pub route: Option<RoutePlan>,
    pub route_error: Option<String>,
    pub community_areas: Vec<AreaRisk>,
    pub districts: Vec<AreaRisk>,
    pub four_weeks: FourWeeks,
    /// How the method behind `hotspots` did on the last same shifts (`None`: none had an
    /// incident; the hotspots are then the risk grid's).
    #[serde(default)]
    pub track_record: Option<track_record::TrackRecord>,
    /// Why the busiest neighbourhoods of the table have no hotspot on the map, when they do not
    /// (a large area's incidents are spread thin), in one line; `None` when the two agree.
    #[serde(default)]
    pub reconcile: Option<String>,
    /// When the filter leaves the shift no incidents, the conditions that did it (see
    /// [`emptied_by`]); the briefing is then empty and the page names them instead of zeros.
    #[serde(default)]
    pub emptied_by: Option<Vec<Chip>>,
}

/// What the page and the CLI say when `chips` (from [`emptied_by`]) leave the shift nothing:
/// "The filter “Mon” leaves no incidents in the shift Fri 20:00–04:00."
pub fn emptied_sentence(chips: &[Chip], shift: &Shift) -> String {
    let names: Vec<String> = chips.iter().map(|c| format!("“{}”", c.label)).collect();
    let label = shift.label();
    match names.len() {
        0 => format!("The loaded data has no incidents in the shift {label}: there is nothing to brief on."),
        1 => format!("The filter {} leaves no incidents in the shift {label}.", names[0]),
        _ => format!("The filters {} leave no incidents in the shift {label}.", names.join(" and ")),
    }
}

/// Selected rows in the shift's weekday-hours.
fn in_shift(t: &CrimeTable, rows: &[u32], shift: &Shift) -> usize {
    rows.iter()
        .filter(|&&r| {
            crate::temporal::when(t.date.get(r as usize))
                .is_some_and(|(h, wd, _)| shift.offset(wd, h).is_some())
        })
        .count()
}

/// `None` when `filter` leaves the shift some incidents of `t`. Otherwise the filter's conditions
/// that empty it: those whose removal alone gives the shift incidents — or, when no single one
/// does, every condition (together they do; none at all when the data has no such hours).
pub fn emptied_by(t: &CrimeTable, filter: &Filter, shift: &Shift) -> Option<Vec<Chip>> {
    if in_shift(t, &filter.select(t), shift) > 0 {
        return None;
    }
    let chips = filter.chips();
    let alone: Vec<Chip> =
        chips.iter().filter(|c| in_shift(t, &filter.without(&c.key).select(t), shift) > 0).cloned().collect();
    Some(if alone.is_empty() { chips } else { alone })
}

/// Ranked cells asked of the forecast per hotspot wanted: enough that, with neighbours merged into
/// areas and cells near a chosen area passed over, the areas still number as many as asked.
const CANDIDATE_CELLS: usize = 10;

/// The line that reconciles the map (the densest few blocks) with the area table (whole
/// neighbourhoods): the top-three areas by incidents that hold no hotspot.
fn reconcile(areas: &[AreaRisk], spots: &[Hotspot], places: &Gazetteer) -> Option<String> {
    let missing: Vec<String> = areas
        .iter()
        .take(3)
        .filter_map(|a| {
            let name = a.name.clone()?;
            if spots.iter().any(|h| h.place.community_area.as_deref() == Some(name.as_str())) {
                return None;
            }
            let km2 = places.km2(AreaKind::CommunityArea, a.id)?;
            Some(format!("{name} ({:.1} per shift over {km2:.1} km²)", a.per_shift))
        })
        .collect();
    (!missing.is_empty()).then(|| {
        format!(
            "{} {} among the busiest neighbourhoods but {} no hotspot: {} incidents are spread over the whole area, \
             while a hotspot is the densest few blocks (about 0.25 km²) — worth a car's time in the area, not one stop.",
            missing.join(" and "),
            if missing.len() == 1 { "is" } else { "are" },
            if missing.len() == 1 { "has" } else { "have" },
            if missing.len() == 1 { "its" } else { "their" },
        )
    })
}

/// Days from 1970-01-01 (a Thursday) in [a, b] that fall on `weekday` (0 = Monday).
fn weekdays_between(a: i64, b: i64, weekday: u8) -> u32 {
    (a..=b).filter(|d| (d + 3).rem_euclid(7) == weekday as i64).count() as u32
}

fn change(last: u64, previous: u64) -> Option<f64> {
    (previous > 0).then(|| (last as f64 - previous as f64) / previous as f64)
}

/// A start farther than this from every stop belongs to another city.
const MAX_START_KM: f64 = 60.0;

/// The station closest (straight line) to the score-weighted centre of the hotspots.
pub fn nearest_station<'a>(stations: &'a [Station], spots: &[Hotspot]) -> Option<&'a Station> {
    let w: f64 = spots.iter().map(|h| h.score.max(1e-9)).sum();
    if spots.is_empty() || w <= 0.0 {
        return None;
    }
    let lat = spots.iter().map(|h| h.lat * h.score.max(1e-9)).sum::<f64>() / w;
    let lon = spots.iter().map(|h| h.lon * h.score.max(1e-9)).sum::<f64>() / w;
    let (x0, y0) = crate::features::project(lat, lon);
    stations.iter().filter(|s| s.lat.is_finite() && s.lon.is_finite()).min_by(|a, b| {
        let d = |s: &Station| {
            let (x, y) = crate::features::project(s.lat, s.lon);
            (x - x0).hypot(y - y0)
        };
        d(a).total_cmp(&d(b))
    })
}

impl BriefingValid {
    pub fn params(&self) -> &BriefingParams {
        &self.0
    }

    /// The briefing for `rows` of `t`; the route starts at the station of `stations` nearest the
    /// hotspots (police headquarters when there are none) and drives on `travel`.
    pub fn fit(
        &self,
        t: &CrimeTable,
        rows: &[u32],
        stations: &[Station],
        travel: &mut dyn Travel,
        progress: &mut dyn Progress,
    ) -> Result<Briefing, AnalysisError> {
        self.fit_with_layers(t, rows, stations, travel, &[], progress)
    }

    /// [`Self::fit`] with environment layers (in the table's frame, clipped to its extent): the
    /// risk terrain joins the candidates for the hotspots, and ranks them when its record over
    /// the last same shifts is the best.
    pub fn fit_with_layers(
        &self,
        t: &CrimeTable,
        rows: &[u32],
        stations: &[Station],
        travel: &mut dyn Travel,
        layers: &[Layer],
        progress: &mut dyn Progress,
    ) -> Result<Briefing, AnalysisError> {
        let p = &self.0;
        let shift = p.shift;
        let (Some(first), Some(last)) = (
            rows.iter().map(|&r| t.date.get(r as usize)).min(),
            rows.iter().map(|&r| t.date.get(r as usize)).max(),
        ) else {
            return Err(AnalysisError::Data("no incidents are selected: nothing to brief on".into()));
        };
        let shifts_seen = weekdays_between(first.div_euclid(DAY), last.div_euclid(DAY), shift.weekday).max(1);
        let slots = shift.slots();
        let cut = four_weeks_cut(last);

        // One pass: the shift's rows, hours, areas and the four-week counts.
        let mut in_shift = Vec::new();
        let mut per_hour = vec![0u64; slots.len()];
        let mut areas: [HashMap<u16, [u64; 3]>; 2] = [HashMap::new(), HashMap::new()];
        let (mut last4, mut prev4, mut arr_last, mut arr_prev) = (0u64, 0u64, 0u64, 0u64);
        let mut types: HashMap<u32, [u64; 2]> = HashMap::new();
        for &r in rows {
            let i = r as usize;
            let d = t.date.get(i);
            let shift_hour = crate::temporal::when(d).and_then(|(h, wd, _)| shift.offset(wd, h));
            let period = if d >= cut {
                Some(0)
            } else if d >= cut - 28 * DAY {
                Some(1)
            } else {
                None
            };
            if let Some(k) = shift_hour {
                per_hour[k] += 1;
                in_shift.push(r);
            }
            match period {
                Some(0) => {
                    last4 += 1;
                    arr_last += u64::from(t.arrest[i] == 1);
                }
                Some(_) => {
                    prev4 += 1;
                    arr_prev += u64::from(t.arrest[i] == 1);
                }
                None => {}
            }
            if let Some(k) = period {
                types.entry(t.primary_type.code(i)).or_default()[k] += 1;
            }
            for (kind, map) in [AreaKind::CommunityArea, AreaKind::District].into_iter().zip(areas.iter_mut())
            {
                let Some(a) = kind.recorded(t, i) else { continue };
                let e = map.entry(a).or_default();
                if shift_hour.is_some() {
                    e[0] += 1;
                }
                if let Some(k) = period {
                    e[1 + k] += 1;
                }
            }
        }
        let seen = shifts_seen as f64;
        // A trend compares two whole windows: data starting inside the earlier one would show a
        // rise that is only the missing days.
        let earlier = cut - 28 * DAY;
        let partial = (first.div_euclid(DAY) * DAY > earlier).then(|| {
            format!(
                "No trend: the data starts on {}, {} days into the four weeks before the last four, so the two \
                 windows cannot be compared.",
                day_of(first),
                (first - earlier).div_euclid(DAY)
            )
        });
        let change = |l: u64, p: u64| if partial.is_some() { None } else { change(l, p) };
        let hours: Vec<HourExpect> = slots
            .iter()
            .zip(&per_hour)
            .map(|(&(weekday, hour), &n)| HourExpect {
                weekday,
                hour,
                incidents: n,
                expected: n as f64 / seen,
            })
            .collect();
        let mut peak: Vec<&HourExpect> = hours.iter().collect();
        peak.sort_by_key(|h| std::cmp::Reverse(h.incidents));
        let peak_hours = peak.iter().take(3).filter(|h| h.incidents > 0).map(|h| h.hour).collect();

        let places = Gazetteer::for_rows(t, rows, &[]);
        let [community, district] = areas;
        let [community, district] = [(AreaKind::CommunityArea, community), (AreaKind::District, district)]
            .map(|(kind, m)| {
                let mut v: Vec<AreaRisk> = m
                    .into_iter()
                    .map(|(id, [s, l, pr])| AreaRisk {
                        id,
                        name: places.name(kind, id),
                        shift_incidents: s,
                        per_shift: s as f64 / seen,
                        last_4_weeks: l,
                        previous_4_weeks: pr,
                        change: change(l, pr),
                    })
                    .collect();
                v.sort_by(|a, b| b.shift_incidents.cmp(&a.shift_incidents).then(a.id.cmp(&b.id)));
                v
            });

        let mut movers: Vec<TypeChange> = types
            .into_iter()
            .map(|(code, [l, pr])| TypeChange {
                primary_type: t.primary_type.values()[code as usize].clone(),
                last_4_weeks: l,
                previous_4_weeks: pr,
                change: change(l, pr),
            })
            .collect();
        movers.sort_by(|a, b| {
            let d = |x: &TypeChange| (x.last_4_weeks as i64 - x.previous_4_weeks as i64).abs();
            d(b).cmp(&d(a)).then(a.primary_type.cmp(&b.primary_type))
        });
        movers.truncate(5);

        // Where: the risk grid of the shift's incidents.
        let mut scaled = |done: f64| progress.report(0.8 * done);
        let record = match in_shift.is_empty() {
            true => None,
            false => {
                // More cells than hotspots: adjacent ones merge into areas, close ones are passed over.
                let cells = p.hotspots * CANDIDATE_CELLS;
                track_record::track_record(t, rows, &shift, cells, p.cell_m, layers, &mut |d: f64| scaled(d))?
            }
        };
        let spots = if let Some((_, cells, grid)) = &record {
            let mut spots = spread(cells.clone(), grid, p.hotspots);
            name_hotspots(&mut spots, grid, t, &in_shift, &places);
            // A cell the forecast ranks with no incident in these hours yet: its blocks from all hours.
            let mut unnamed: Vec<Hotspot> =
                spots.iter().filter(|h| h.place.blocks.is_empty()).cloned().collect();
            if !unnamed.is_empty() {
                name_hotspots(&mut unnamed, grid, t, rows, &places);
                for u in unnamed {
                    spots[u.rank - 1].place = u.place;
                }
            }
            spots
        } else if in_shift.is_empty() {
            Vec::new()
        } else {
            let model = RiskParams { cell_m: p.cell_m, ..RiskParams::default() }.check()?.fit(
                t,
                &in_shift,
                &mut scaled,
            )?;
            named_hotspots(&model, HotspotMode::Areas, p.hotspots, t, &in_shift, &[])
        };
        if !progress.report(0.85) {
            return Err(AnalysisError::Cancelled);
        }
        let (route, route_error) = match self.route(&spots, stations, travel) {
            Ok(r) => (Some(r), None),
            Err(e) => (None, Some(e)),
        };

        let reconcile = reconcile(&community, &spots, &places);
        Ok(Briefing {
            reconcile,
            shift,
            label: shift.label(),
            shifts_seen,
            shift_incidents: in_shift.len() as u64,
            expected_total: hours.iter().map(|h| h.expected).sum(),
            hours,
            peak_hours,
            hotspots: spots,
            route,
            route_error,
            community_areas: community,
            districts: district,
            four_weeks: FourWeeks {
                as_of: day_of(last),
                last: last4,
                previous: prev4,
                change: change(last4, prev4),
                partial,
                arrests_last: arr_last,
                arrests_previous: arr_prev,
                movers,
            },
            track_record: record.map(|r| r.0),
            emptied_by: None,
        })
    }

    fn route(
        &self,
        spots: &[Hotspot],
        stations: &[Station],
        travel: &mut dyn Travel,
    ) -> Result<RoutePlan, String> {
        let p = &self.0;
        if spots.is_empty() {
            return Err("no incidents in these hours: no hotspots to visit".into());
        }
        let stops = &spots[..p.route_stops.min(spots.len())];
        let mut params = RouteParams {
            stops: stops.len(),
            depart_min: p.shift.start_hour as u32 * 60,
            ..RouteParams::default()
        };
        if let Some(s) = nearest_station(stations, stops) {
            params.start = (s.lat, s.lon);
            params.start_name = s.label();
        }
        // Another city's data: neither Chicago's headquarters nor a station far away is a start;
        // the riskiest hotspot is (a station CSV of that city gives a real one).
        let (x0, y0) = crate::features::project(params.start.0, params.start.1);
        let far = stops.iter().all(|h| {
            let (x, y) = crate::features::project(h.lat, h.lon);
            (x - x0).hypot(y - y0) > MAX_START_KM * 1000.0
        });
        if far {
            params.start = (stops[0].lat, stops[0].lon);
            params.start_name = format!(
                "Hotspot 1 ({:.5}, {:.5}): no police station of this city is loaded",
                stops[0].lat, stops[0].lon
            );
        }
        let valid = params.check().map_err(|e| e.to_string())?;
        let prep = valid.prepare(stops, travel)?;
        Ok(valid.plan(&prep))
    }
}

impl Briefing {
    /// The briefing of a shift the filter's conditions `chips` leave without incidents: no
    /// figures, only what emptied it.
    pub fn emptied(shift: Shift, chips: Vec<Chip>) -> Briefing {
        Briefing {
            shift,
            label: shift.label(),
            shifts_seen: 0,
            shift_incidents: 0,
            hours: Vec::new(),
            expected_total: 0.0,
            peak_hours: Vec::new(),
            hotspots: Vec::new(),
            route: None,
            route_error: None,
            community_areas: Vec::new(),
            districts: Vec::new(),
            four_weeks: FourWeeks {
                as_of: String::new(),
                last: 0,
                previous: 0,
                change: None,
                arrests_last: 0,
                arrests_previous: 0,
                movers: Vec::new(),
                partial: None,
            },
            track_record: None,
            reconcile: None,
            emptied_by: Some(chips),
        }
    }

    /// Names the community areas (or districts) from a loaded boundary file.
    pub fn name_areas(&mut self, b: &Boundaries) {
        let names: HashMap<u16, &str> = b.areas.iter().map(|a| (a.id, a.name.as_str())).collect();
        let list = match b.kind {
            AreaKind::CommunityArea => &mut self.community_areas,
            AreaKind::District => &mut self.districts,
            AreaKind::Beat => return,
        };
        for a in list {
            a.name = names.get(&a.id).map(|s| s.to_string());
        }
        // The places of the hotspots and stops: the file's names where its polygons hold them.
        let (kind, g) = (b.kind, Gazetteer::new(std::slice::from_ref(b), false));
        let rename = |place: &mut crate::place::Place, lat: f64, lon: f64| {
            if let Some(name) = g.locate(kind, lat, lon) {
                match kind {
                    AreaKind::CommunityArea => place.community_area = Some(name),
                    _ => place.district = Some(name),
                }
            }
        };
        for h in &mut self.hotspots {
            rename(&mut h.place, h.lat, h.lon);
        }
        for v in self.route.iter_mut().flat_map(|r| r.cars.iter_mut()).flat_map(|c| c.visits.iter_mut()) {
            rename(&mut v.place, v.lat, v.lon);
        }
    }
}

#[cfg(test)]
mod tests;
