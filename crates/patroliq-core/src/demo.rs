//! The built-in demo dataset: seeded, synthetic, shaped like Chicago 2016–2017.
//!
//! No real record is copied. The generator draws incidents from published aggregate figures
//! (City of Chicago Data Portal / CPD annual figures for 2016–2017, rounded):
//! - crime-type shares (theft ≈ 24 %, battery ≈ 19 %, criminal damage ≈ 11 %, …) with each type's
//!   usual arrest and domestic rates, so the overall arrest rate is ≈ 19 % and domestic ≈ 16 %;
//! - the hour-of-day profile (trough at 5 am, the midnight spike of round-time reports, evening
//!   peak), the weekday profile and summer seasonality;
//! - places: centres of 40 community areas with weights in line with their share of incidents,
//!   each carrying its police district and ward, and the share of location descriptions.
//!
//! It writes the portal's CSV layout, including its quirks (zero-padded codes, `true`/`false`,
//! ~0.8 % rows without coordinates, a few duplicate IDs), so the demo goes through exactly the
//! same loading and cleaning as a real export.

use rand::distributions::{Distribution, WeightedIndex};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::Normal;

use crate::export::{csv_field, csv_header, portal_datetime};

pub const DEFAULT_ROWS: usize = 60_000;
pub const DEFAULT_SEED: u64 = 2017;

/// (type, share %, arrest rate, domestic rate, FBI code, [(IUCR, description)]).
type TypeSpec = (&'static str, f64, f64, f64, &'static str, &'static [(&'static str, &'static str)]);

const TYPES: &[TypeSpec] = &[
    (
        "THEFT",
        23.6,
        0.10,
        0.03,
        "06",
        &[
            ("0820", "$500 AND UNDER"),
            ("0810", "OVER $500"),
            ("0860", "RETAIL THEFT"),
            ("0890", "FROM BUILDING"),
        ],
    ),
    (
        "BATTERY",
        18.6,
        0.20,
        0.46,
        "08B",
        &[("0486", "DOMESTIC BATTERY SIMPLE"), ("0460", "SIMPLE"), ("041A", "AGGRAVATED: HANDGUN")],
    ),
    ("CRIMINAL DAMAGE", 11.2, 0.05, 0.12, "14", &[("1310", "TO PROPERTY"), ("1320", "TO VEHICLE")]),
    ("ASSAULT", 7.1, 0.18, 0.25, "08A", &[("0560", "SIMPLE"), ("051A", "AGGRAVATED: HANDGUN")]),
    (
        "DECEPTIVE PRACTICE",
        6.9,
        0.10,
        0.02,
        "11",
        &[("1153", "FINANCIAL IDENTITY THEFT OVER $ 300"), ("1150", "CREDIT CARD FRAUD")],
    ),
    (
        "OTHER OFFENSE",
        6.3,
        0.15,
        0.35,
        "26",
        &[("2826", "HARASSMENT BY ELECTRONIC MEANS"), ("2825", "HARASSMENT BY TELEPHONE")],
    ),
    ("BURGLARY", 5.3, 0.05, 0.02, "05", &[("0610", "FORCIBLE ENTRY"), ("0620", "UNLAWFUL ENTRY")]),
    (
        "NARCOTICS",
        4.9,
        0.99,
        0.00,
        "18",
        &[("1811", "POSS: CANNABIS 30GMS OR LESS"), ("2027", "POSS: CRACK")],
    ),
    ("MOTOR VEHICLE THEFT", 4.4, 0.08, 0.01, "07", &[("0910", "AUTOMOBILE")]),
    ("ROBBERY", 4.0, 0.10, 0.01, "03", &[("031A", "ARMED: HANDGUN"), ("0320", "STRONGARM - NO WEAPON")]),
    ("CRIMINAL TRESPASS", 2.2, 0.60, 0.05, "26", &[("1330", "TO LAND"), ("1320", "TO RESIDENCE")]),
    ("WEAPONS VIOLATION", 1.6, 0.75, 0.01, "15", &[("143A", "UNLAWFUL POSS OF HANDGUN")]),
    ("OFFENSE INVOLVING CHILDREN", 0.8, 0.15, 0.50, "20", &[("1750", "CHILD ABUSE")]),
    ("PUBLIC PEACE VIOLATION", 0.6, 0.60, 0.02, "24", &[("2820", "TELEPHONE THREAT")]),
    (
        "CRIM SEXUAL ASSAULT",
        0.5,
        0.10,
        0.20,
        "02",
        &[("0261", "AGGRAVATED: HANDGUN"), ("0281", "NON-AGGRAVATED")],
    ),
    ("INTERFERENCE WITH PUBLIC OFFICER", 0.4, 0.90, 0.01, "24", &[("3731", "OBSTRUCTING IDENTIFICATION")]),
    ("SEX OFFENSE", 0.4, 0.15, 0.15, "17", &[("1544", "SEXUAL EXPLOITATION OF A CHILD")]),
    ("PROSTITUTION", 0.3, 0.99, 0.00, "16", &[("1537", "SOLICIT FOR BUSINESS")]),
    ("HOMICIDE", 0.25, 0.40, 0.05, "01A", &[("0110", "FIRST DEGREE MURDER")]),
    ("ARSON", 0.15, 0.08, 0.03, "09", &[("1025", "AGGRAVATED")]),
    ("LIQUOR LAW VIOLATION", 0.1, 0.99, 0.00, "22", &[("2230", "ILLEGAL CONSUMPTION BY MINOR")]),
    ("STALKING", 0.07, 0.10, 0.40, "26", &[("0580", "SIMPLE")]),
    ("GAMBLING", 0.05, 0.99, 0.00, "19", &[("1661", "GAME/DICE")]),
    ("KIDNAPPING", 0.05, 0.15, 0.30, "20", &[("1790", "CHILD ABDUCTION")]),
    ("INTIMIDATION", 0.04, 0.10, 0.05, "26", &[("3960", "INTIMIDATION")]),
    ("CONCEALED CARRY LICENSE VIOLATION", 0.02, 0.90, 0.00, "26", &[("143C", "UNLAWFUL USE OF HANDGUN")]),
    ("OBSCENITY", 0.02, 0.30, 0.10, "26", &[("1585", "OBSCENE MATTER")]),
    ("PUBLIC INDECENCY", 0.01, 0.95, 0.00, "24", &[("1565", "INDECENT EXPOSURE")]),
    ("NON-CRIMINAL", 0.01, 0.05, 0.00, "26", &[("5114", "FOUND PASSPORT")]),
    ("HUMAN TRAFFICKING", 0.005, 0.20, 0.00, "26", &[("1581", "COMMERCIAL SEX ACTS")]),
];

/// (community area, name, lat, lon, district, ward, weight, spread in metres).
type Area = (u8, &'static str, f64, f64, u8, u8, f64, f64);

const AREAS: &[Area] = &[
    (25, "AUSTIN", 41.894, -87.765, 15, 29, 6.0, 1600.0),
    (8, "NEAR NORTH SIDE", 41.900, -87.633, 18, 42, 5.0, 1000.0),
    (32, "LOOP", 41.879, -87.630, 1, 42, 4.0, 700.0),
    (29, "NORTH LAWNDALE", 41.860, -87.718, 10, 24, 3.8, 1100.0),
    (43, "SOUTH SHORE", 41.762, -87.577, 4, 7, 3.6, 1100.0),
    (28, "NEAR WEST SIDE", 41.880, -87.667, 12, 27, 3.5, 1300.0),
    (71, "AUBURN GRESHAM", 41.744, -87.654, 6, 17, 3.2, 1100.0),
    (23, "HUMBOLDT PARK", 41.902, -87.721, 11, 26, 3.1, 1100.0),
    (49, "ROSELAND", 41.692, -87.622, 5, 9, 2.9, 1300.0),
    (68, "ENGLEWOOD", 41.779, -87.645, 7, 20, 2.8, 900.0),
    (24, "WEST TOWN", 41.896, -87.672, 12, 1, 2.8, 1200.0),
    (67, "WEST ENGLEWOOD", 41.778, -87.667, 7, 15, 2.6, 900.0),
    (44, "CHATHAM", 41.741, -87.612, 6, 6, 2.4, 900.0),
    (69, "GREATER GRAND CROSSING", 41.761, -87.615, 3, 6, 2.3, 900.0),
    (26, "WEST GARFIELD PARK", 41.880, -87.729, 11, 28, 2.2, 700.0),
    (22, "LOGAN SQUARE", 41.923, -87.702, 14, 35, 2.2, 1200.0),
    (6, "LAKE VIEW", 41.943, -87.654, 19, 44, 2.1, 1000.0),
    (27, "EAST GARFIELD PARK", 41.881, -87.702, 11, 28, 2.0, 700.0),
    (66, "CHICAGO LAWN", 41.775, -87.696, 8, 16, 1.9, 900.0),
    (46, "SOUTH CHICAGO", 41.740, -87.555, 4, 10, 1.8, 900.0),
    (61, "NEW CITY", 41.808, -87.656, 9, 20, 1.7, 1000.0),
    (19, "BELMONT CRAGIN", 41.931, -87.768, 25, 30, 1.6, 1000.0),
    (7, "LINCOLN PARK", 41.920, -87.648, 18, 43, 1.5, 900.0),
    (3, "UPTOWN", 41.966, -87.655, 20, 46, 1.4, 700.0),
    (1, "ROGERS PARK", 42.009, -87.669, 24, 49, 1.4, 700.0),
    (2, "WEST RIDGE", 41.999, -87.693, 24, 50, 1.3, 1000.0),
    (53, "WEST PULLMAN", 41.676, -87.633, 5, 34, 1.3, 900.0),
    (63, "GAGE PARK", 41.795, -87.696, 9, 14, 1.1, 700.0),
    (42, "WOODLAWN", 41.779, -87.597, 3, 20, 1.2, 800.0),
    (40, "WASHINGTON PARK", 41.793, -87.618, 2, 20, 1.0, 600.0),
    (15, "PORTAGE PARK", 41.958, -87.765, 16, 38, 1.0, 1000.0),
    (70, "ASHBURN", 41.748, -87.710, 8, 18, 1.0, 1100.0),
    (38, "GRAND BOULEVARD", 41.813, -87.618, 2, 3, 1.1, 700.0),
    (58, "BRIGHTON PARK", 41.818, -87.699, 9, 12, 0.9, 800.0),
    (56, "GARFIELD RIDGE", 41.812, -87.767, 8, 23, 0.9, 1100.0),
    (16, "IRVING PARK", 41.953, -87.725, 17, 33, 0.9, 900.0),
    (14, "ALBANY PARK", 41.968, -87.720, 17, 39, 0.8, 700.0),
    (11, "JEFFERSON PARK", 41.971, -87.763, 16, 45, 0.5, 700.0),
    (41, "HYDE PARK", 41.794, -87.593, 2, 5, 0.6, 600.0),
    (76, "OHARE", 41.977, -87.905, 16, 41, 0.5, 1200.0),
];

const LOCATIONS: &[(&str, f64)] = &[
    ("STREET", 22.0),
    ("RESIDENCE", 17.0),
    ("APARTMENT", 12.5),
    ("SIDEWALK", 9.0),
    ("OTHER", 4.0),
    ("PARKING LOT/GARAGE(NON.RESID.)", 3.0),
    ("SMALL RETAIL STORE", 2.5),
    ("RESTAURANT", 2.5),
    ("ALLEY", 2.2),
    ("RESIDENTIAL YARD (FRONT/BACK)", 2.0),
    ("DEPARTMENT STORE", 1.8),
    ("RESIDENCE PORCH/HALLWAY", 1.7),
    ("GROCERY FOOD STORE", 1.7),
    ("VEHICLE NON-COMMERCIAL", 1.6),
    ("COMMERCIAL / BUSINESS OFFICE", 1.1),
    ("CTA TRAIN", 1.0),
    ("GAS STATION", 1.0),
    ("SCHOOL, PUBLIC, BUILDING", 1.0),
    ("CTA PLATFORM", 0.8),
    ("BAR OR TAVERN", 0.6),
    ("PARK PROPERTY", 0.6),
    ("CTA BUS", 0.5),
    ("HOSPITAL BUILDING/GROUNDS", 0.4),
    ("CONVENIENCE STORE", 0.6),
    ("DRUG STORE", 0.5),
    ("HOTEL/MOTEL", 0.4),
    ("BANK", 0.3),
];

/// Relative incidents by hour of day, 0–23 (portal 2016–2017).
const HOURS: [f64; 24] = [
    5.0, 3.2, 2.8, 2.3, 1.8, 1.5, 1.8, 2.6, 3.6, 4.2, 4.4, 4.5, 5.6, 4.8, 4.8, 5.2, 5.2, 5.3, 5.4, 5.3, 5.2,
    5.0, 4.6, 3.8,
];
/// Relative incidents by month, January–December.
const MONTHS: [f64; 12] = [7.5, 6.8, 8.0, 8.1, 9.0, 9.0, 9.5, 9.4, 8.7, 8.7, 7.9, 7.5];
/// Relative incidents by weekday, Monday–Sunday.
const WEEKDAYS: [f64; 7] = [14.2, 14.0, 14.1, 14.0, 15.1, 14.6, 14.0];

/// Lake Michigan's shore, as (latitude, longitude) points north to south: the demo keeps no
/// incident east of it.
const SHORE: [(f64, f64); 7] = [
    (42.03, -87.665),
    (41.97, -87.645),
    (41.90, -87.620),
    (41.85, -87.605),
    (41.80, -87.575),
    (41.74, -87.540),
    (41.64, -87.520),
];

fn shore_lon(lat: f64) -> f64 {
    for w in SHORE.windows(2) {
        let ((la, lo_a), (lb, lo_b)) = (w[0], w[1]);
        if lat <= la && lat >= lb {
            return lo_a + (lat - la) / (lb - la) * (lo_b - lo_a);
        }
    }
    -87.52
}

/// Illinois East State Plane (US feet), linearised around a known portal point: close enough for
/// a demo, and the app projects from latitude/longitude anyway.
fn state_plane(lat: f64, lon: f64) -> (i64, i64) {
    let x = 1_152_214.0 + (lon + 87.715_726) * 271_990.0;
    let y = 1_930_694.0 + (lat - 41.965_694) * 364_300.0;
    (x.round() as i64, y.round() as i64)
}

/// Days since 1970-01-01 of 2016-01-01; the demo covers 2016 and 2017 (731 days).
const START_DAY: i64 = 16_801;
const DAYS: i64 = 731;

/// A uniform index below `len`, drawn as a `u32`: `gen_range` over `usize` draws differently on
/// 32-bit WebAssembly and 64-bit native, and the demo must be the same rows everywhere.
fn pick(rng: &mut ChaCha8Rng, len: usize) -> usize {
    rng.gen_range(0..len as u32) as usize
}

/// Generates `rows` incidents as the portal's CSV export (header included), newest first.
pub fn generate_csv(rows: usize, seed: u64) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let types = WeightedIndex::new(TYPES.iter().map(|t| t.1)).expect("weights");
    let areas = WeightedIndex::new(AREAS.iter().map(|a| a.6)).expect("weights");
    let places = WeightedIndex::new(LOCATIONS.iter().map(|l| l.1)).expect("weights");
    let hours = WeightedIndex::new(HOURS).expect("weights");
    let unit = Normal::new(0.0, 1.0).expect("normal");

    // Day weights combine month and weekday profiles.
    let day_w: Vec<f64> = (0..DAYS)
        .map(|d| {
            let date = chrono::DateTime::from_timestamp((START_DAY + d) * 86_400, 0).expect("date");
            use chrono::Datelike;
            MONTHS[date.month0() as usize] * WEEKDAYS[date.weekday().num_days_from_monday() as usize]
        })
        .collect();
    let days = WeightedIndex::new(&day_w).expect("weights");

    let mut incidents: Vec<(i64, usize, usize, f64, f64)> = Vec::with_capacity(rows);
    while incidents.len() < rows {
        let a = &AREAS[areas.sample(&mut rng)];
        let metres = a.7;
        let dlat: f64 = unit.sample(&mut rng) * metres / 111_050.0;
        let dlon: f64 = unit.sample(&mut rng) * metres / 82_900.0;
        let (lat, lon) = (a.2 + dlat, a.3 + dlon);
        if lon > shore_lon(lat) || !(41.645..=42.022).contains(&lat) || !(-87.93..=-87.525).contains(&lon) {
            continue;
        }
        let day = START_DAY + days.sample(&mut rng) as i64;
        let hour = hours.sample(&mut rng) as i64;
        // A third of the reports are at round times (on the hour), as in the portal.
        let minute = if rng.gen_bool(0.33) { 0 } else { rng.gen_range(0..60) };
        let t = day * 86_400 + hour * 3600 + minute * 60;
        let ty = types.sample(&mut rng);
        let area_idx = AREAS.iter().position(|x| x.0 == a.0).expect("area");
        incidents.push((t, ty, area_idx, lat, lon));
    }
    // Newest first, as the portal exports.
    incidents.sort_by_key(|x| std::cmp::Reverse(x.0));

    let mut out = csv_header();
    out.reserve(rows * 220);
    let base_id = 10_300_000i64;
    let mut prev_id = base_id;
    for (i, &(t, ty, ai, lat, lon)) in incidents.iter().enumerate() {
        let (name, _, arrest_p, domestic_p, fbi, codes) = TYPES[ty];
        let a = AREAS[ai];
        let (iucr, desc) = codes[pick(&mut rng, codes.len())];
        let place = LOCATIONS[places.sample(&mut rng)].0;
        let arrest = rng.gen_bool(arrest_p);
        let domestic = rng.gen_bool(domestic_p);
        // About 1 in 2,000 rows repeats the previous ID (the cleaner must drop it).
        let id = if i > 0 && rng.gen_bool(0.0005) { prev_id } else { base_id + (rows - i) as i64 };
        prev_id = id;
        let beat = u16::from(a.4) * 100 + rng.gen_range(1..=3) * 10 + rng.gen_range(1..=4);
        let block = format!("{:03}XX {}", rng.gen_range(0..120), STREETS[pick(&mut rng, STREETS.len())]);
        let case = format!("J{}{:06}", (b'A' + (t / 86_400 % 26) as u8) as char, (rows - i) % 1_000_000);
        // The portal has no location for about 0.8 % of the rows.
        let located = !rng.gen_bool(0.008);
        let (x, y) = state_plane(lat, lon);
        let updated = t + rng.gen_range(1..400) * 86_400;
        let year = chrono::DateTime::from_timestamp(t, 0).map_or(0, |d| {
            use chrono::Datelike;
            d.year()
        });
        let fields: [String; 22] = [
            id.to_string(),
            case,
            portal_datetime(t),
            block,
            iucr.to_owned(),
            name.to_owned(),
            desc.to_owned(),
            place.to_owned(),
            arrest.to_string(),
            domestic.to_string(),
            format!("{beat:04}"),
            format!("{:03}", a.4),
            a.5.to_string(),
            a.0.to_string(),
            fbi.to_owned(),
            if located { x.to_string() } else { String::new() },
            if located { y.to_string() } else { String::new() },
            year.to_string(),
            portal_datetime(updated.min((START_DAY + DAYS + 320) * 86_400)),
            if located { format!("{lat:.9}") } else { String::new() },
            if located { format!("{lon:.9}") } else { String::new() },
            if located { format!("({lat:.9}, {lon:.9})") } else { String::new() },
        ];
        for (j, f) in fields.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            csv_field(&mut out, f);
        }
        out.push('\n');
    }
    out
}

const STREETS: &[&str] = &[
    "W MADISON ST",
    "S STATE ST",
    "N MICHIGAN AVE",
    "W CHICAGO AVE",
    "S HALSTED ST",
    "W 63RD ST",
    "S ASHLAND AVE",
    "N CLARK ST",
    "W NORTH AVE",
    "S COTTAGE GROVE AVE",
    "W 79TH ST",
    "N PULASKI RD",
    "W FULLERTON AVE",
    "S KEDZIE AVE",
    "N BROADWAY",
    "W BELMONT AVE",
    "S WESTERN AVE",
    "E 87TH ST",
    "W ROOSEVELT RD",
    "N CICERO AVE",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load_bytes, LoadOptions};

    #[test]
    fn the_demo_is_seeded_and_reproducible() {
        assert_eq!(generate_csv(500, 7), generate_csv(500, 7));
        assert_ne!(generate_csv(500, 7), generate_csv(500, 8));
    }

    #[test]
    fn the_demo_matches_the_published_figures_it_is_calibrated_to() {
        let csv = generate_csv(DEFAULT_ROWS, DEFAULT_SEED);
        let l = load_bytes("demo", csv.as_bytes(), LoadOptions::default()).unwrap();
        let r = &l.report;
        assert_eq!(r.rows_read, DEFAULT_ROWS as u64);
        // ~0.8 % without coordinates, a few duplicate IDs, nothing else dropped.
        let missing = r.dropped["missing_coordinates"] as f64 / r.rows_read as f64;
        assert!((0.005..0.011).contains(&missing), "{missing}");
        assert!(r.dropped["duplicate_id"] > 0);
        assert_eq!(r.dropped["out_of_bounds"], 0);
        assert!((0.17..0.22).contains(&r.arrest_rate), "arrest {}", r.arrest_rate);
        assert!((0.14..0.19).contains(&r.domestic_rate), "domestic {}", r.domestic_rate);
        assert_eq!(r.primary_type_counts[0].primary_type, "THEFT");
        assert_eq!(r.primary_type_counts[1].primary_type, "BATTERY");
        let theft = r.primary_type_counts[0].count as f64 / r.rows_clean as f64;
        assert!((0.22..0.25).contains(&theft), "{theft}");
        assert!(r.primary_types >= 25);
        assert_eq!(r.date_min.as_deref().map(|d| &d[..4]), Some("2016"));
        assert_eq!(r.date_max.as_deref().map(|d| &d[..4]), Some("2017"));
        // The evening is busier than the early morning.
        let hour = |h: i64| l.table.date.iter().filter(|&t| t.rem_euclid(86_400) / 3600 == h).count();
        assert!(hour(19) > 2 * hour(5));
    }
}
