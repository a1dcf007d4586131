use super::*;

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn rows(v: &[&[&str]]) -> Vec<Vec<String>> {
    v.iter().map(|r| strings(r)).collect()
}

#[test]
fn unknown_names_are_found_by_their_values() {
    let header = strings(&["caseno", "Type", "When", "Where", "gps_lat", "gps_lon"]);
    let sample = rows(&[
        &["A1", "THEFT", "2019-03-01 10:00", "1 Main St", "40.7", "-74.0"],
        &["A2", "ASSAULT", "2019-03-02 22:30", "2 Main St", "40.71", "-74.01"],
        &["A3", "THEFT", "2019-03-02 23:30", "3 Main St", "40.72", "-74.02"],
    ]);
    let l = detect(&header, &sample, None).unwrap();
    assert_eq!(l.preset, "generic");
    assert_eq!(l.columns[&Role::Date], "When");
    assert_eq!(l.columns[&Role::Type], "Type");
    assert_eq!(l.columns[&Role::Latitude], "gps_lat");
    assert_eq!(l.columns[&Role::Longitude], "gps_lon");
    assert_eq!(l.columns[&Role::CaseNumber], "caseno");
    assert_eq!(l.date_format, Some(DateFormat::Ymd));
    assert!(!l.is_chicago());
    assert_eq!(l.zone, Zone::UsEastern);
}

#[test]
fn a_date_column_and_a_time_column_are_joined() {
    let header = strings(&["DR_NO", "DATE OCC", "TIME OCC", "Crm Cd Desc", "LAT", "LON"]);
    let sample = rows(&[
        &["1", "10/15/2020 0:00", "2000", "VEHICLE - STOLEN", "34.07", "-118.46"],
        &["2", "04/28/2020 0:00", "100", "BURGLARY", "34.05", "-118.44"],
    ]);
    let l = detect(&header, &sample, None).unwrap();
    assert_eq!(l.preset, "lapd_2010_2019");
    assert_eq!(l.time.map(|t| t.1), Some(TimeFormat::Hhmm));
    assert_eq!(l.columns[&Role::Time], "TIME OCC");
}

#[test]
fn swapped_coordinates_and_point_columns() {
    let header = strings(&["date", "category", "latitude", "longitude"]);
    let sample = rows(&[
        &["2020-01-01 10:00", "THEFT", "-122.4", "37.7"],
        &["2020-01-02 10:00", "ROBBERY", "-122.41", "37.71"],
    ]);
    let l = detect(&header, &sample, None).unwrap();
    assert!(l.swapped);
    let header = strings(&["date", "category", "geom"]);
    let sample = rows(&[
        &["2020-01-01 10:00", "THEFT", "POINT (-122.4 37.7)"],
        &["2020-01-02 10:00", "ROBBERY", "POINT (-122.41 37.71)"],
    ]);
    let l = detect(&header, &sample, None).unwrap();
    assert_eq!(l.columns[&Role::Point], "geom");
}

#[test]
fn missing_roles_are_named_and_a_mapping_supplies_them() {
    let header = strings(&["a", "b", "c", "d"]);
    let sample = rows(&[&["x1", "2020-01-01", "41.9", "-87.6"], &["x2", "2020-01-02", "41.8", "-87.7"]]);
    let err = detect(&header, &sample, None).unwrap_err();
    assert_eq!(
        err.roles,
        vec!["a crime-type column", "coordinates (latitude and longitude, or one point column)"]
    );
    let mapping = Mapping {
        columns: [
            (Role::Type, "a".to_owned()),
            (Role::Latitude, "c".to_owned()),
            (Role::Longitude, "d".to_owned()),
        ]
        .into_iter()
        .collect(),
        crs: None,
    };
    let l = detect(&header, &sample, Some(&mapping)).unwrap();
    assert_eq!(l.columns[&Role::Date], "b");
    assert!(l.is_chicago());
}

#[test]
fn chicago_portal_headers_keep_the_chicago_layout() {
    let header =
        strings(&["ID", "Date", "Primary Type", "FBI Code", "IUCR", "Latitude", "Longitude", "Location"]);
    let sample = rows(&[&[
        "1",
        "12/31/2017 11:58:00 PM",
        "BURGLARY",
        "05",
        "0630",
        "41.96",
        "-87.71",
        "(41.96, -87.71)",
    ]]);
    let l = detect(&header, &sample, None).unwrap();
    assert_eq!(l.preset, "chicago_portal");
    assert!(l.is_chicago() && !l.derive_fbi);
    assert_eq!(l.columns[&Role::Point], "Location");
}

#[test]
fn a_mapping_says_what_it_lacks_and_keeps_only_the_columns_a_header_has() {
    let m = |pairs: &[(Role, &str)]| Mapping {
        columns: pairs.iter().map(|(r, c)| (*r, c.to_string())).collect(),
        crs: None,
    };
    assert_eq!(m(&[]).missing(), vec!["a date", "a crime type", "latitude and longitude (or a point)"]);
    assert_eq!(
        m(&[(Role::Date, "d"), (Role::Type, "t"), (Role::Latitude, "y")]).missing(),
        vec!["latitude and longitude (or a point)"]
    );
    assert!(m(&[(Role::Date, "d"), (Role::Type, "t"), (Role::Point, "p")]).missing().is_empty());
    // Remembered for another file of the same name: columns it does not have are dropped; a
    // header written otherwise (case, spaces, a BOM) is the same column, as detection reads it.
    let old = m(&[(Role::Date, "Crm Date"), (Role::Type, "gone"), (Role::Latitude, "LAT")]);
    let within = old.within(&strings(&["\u{feff}crm_date", "lat", "other"]));
    assert_eq!(within, m(&[(Role::Date, "Crm Date"), (Role::Latitude, "LAT")]));
    // Later choices win, and a column moved to another role leaves its old one.
    let guessed = m(&[(Role::Date, "d"), (Role::Type, "t"), (Role::Description, "desc")]);
    let chosen = m(&[(Role::Type, "desc"), (Role::Latitude, "y")]);
    assert_eq!(guessed.then(&chosen), m(&[(Role::Date, "d"), (Role::Type, "desc"), (Role::Latitude, "y")]));
}

#[test]
fn a_loaded_file_keeps_its_preview_and_another_type_column_can_be_chosen() {
    let mut csv = String::from("when,offence,detail,lat,lon\n");
    for i in 0..50 {
        let (o, d) = if i % 2 == 0 { ("THEFT", "FROM AUTO") } else { ("ASSAULT", "SIMPLE") };
        csv.push_str(&format!("2020-01-{:02} 10:00,{o},{o} {d} {i},34.0{i:02},-118.2{i:02}\n", 1 + i % 28));
    }
    let load = |m: Option<&Mapping>| {
        crate::load::load_reader_mapped("t.csv", csv.as_bytes(), crate::load::LoadOptions::default(), m)
            .unwrap()
    };
    let detected = load(None);
    let p = detected.preview.expect("a CSV load keeps its preview");
    assert_eq!(p.headers, strings(&["when", "offence", "detail", "lat", "lon"]));
    assert_eq!(p.samples.len(), 3);
    assert_eq!(p.roles[&Role::Type], "offence");
    assert_eq!(detected.report.primary_types, 2);
    // The detected roles with the type moved to `detail`, as the mapper sends them.
    let mut columns = p.roles.clone();
    columns.insert(Role::Type, "detail".into());
    columns.retain(|r, c| *r == Role::Type || c != "detail");
    let remapped = load(Some(&Mapping { columns, crs: None }));
    assert_eq!(remapped.report.columns["type"], "detail");
    assert_eq!(remapped.report.primary_types, 50);
    assert_eq!(remapped.preview.unwrap().roles[&Role::Type], "detail");
}

/// The portals whose exports are not in ../shared/data, by their published headers (Seattle's
/// "SPD Crime Data: 2008-Present", Denver's "Crime", Pittsburgh's WPRDC "Police Incident Blotter")
/// and rows written as those portals write them.
#[test]
fn seattle_denver_and_pittsburgh_exports_open_by_their_published_headers() {
    use crate::load::{load_bytes, LoadOptions};
    let cases: [(&str, &str, &str, [&str; 4]); 3] = [
        (
            "seattle_spd",
            "Report Number,Offense ID,Offense Start DateTime,Offense End DateTime,Report DateTime,\
             Group A B,Crime Against Category,Offense Parent Group,Offense,Offense Code,Precinct,\
             Sector,Beat,MCPP,100 Block Address,Longitude,Latitude\n\
             2020-044620,12605873663,05/18/2020 10:00:00 PM,05/19/2020 08:00:00 AM,05/20/2020 09:53:00 AM,A,PROPERTY,LARCENY-THEFT,Theft From Motor Vehicle,23F,N,L,L2,NORTHGATE,1XX BLOCK OF NE NORTHGATE WAY,-122.3246,47.7088\n\
             2020-044363,12605598696,05/19/2020 03:45:00 PM,,05/19/2020 04:01:00 PM,A,PERSON,ASSAULT OFFENSES,Aggravated Assault,13A,W,D,D1,SLU/CASCADE,4XX BLOCK OF BOREN AVE N,-122.3367,47.6227\n\
             2020-044354,12605571911,05/19/2020 01:00:00 AM,,05/19/2020 02:03:00 PM,A,PROPERTY,BURGLARY/BREAKING&ENTERING,Burglary/Breaking & Entering,220,E,C,C1,CAPITOL HILL,2XX BLOCK OF BROADWAY E,-122.3211,47.6206\n\
             2020-044327,12605545020,05/19/2020 11:30:00 AM,,05/19/2020 12:10:00 PM,A,PROPERTY,MOTOR VEHICLE THEFT,Motor Vehicle Theft,240,S,R,R2,RAINIER BEACH,91XX BLOCK OF RAINIER AVE S,-122.2677,47.5205\n",
            "Offense Start DateTime",
            ["Offense Parent Group", "Latitude", "Longitude", "2020-05-18T22:00:00"],
        ),
        (
            "denver_crime",
            "incident_id,offense_id,offense_code,offense_code_extension,offense_type_id,offense_category_id,\
             first_occurrence_date,last_occurrence_date,reported_date,incident_address,geo_x,geo_y,geo_lon,\
             geo_lat,district_id,precinct_id,neighborhood_id,is_crime,is_traffic,victim_count\n\
             2020170394,2020170394239900,2399,0,theft-other,larceny,3/19/2020 1:00:00 PM,,3/20/2020 10:54:00 AM,1500 N WASHINGTON ST,3145883,1693553,-104.978,39.7394,6,611,capitol-hill,1,0,1\n\
             2020170401,2020170401229900,2299,0,burg-business-no-force,burglary,3/20/2020 2:30:00 AM,,3/20/2020 8:00:00 AM,3000 W 38TH AVE,3133061,1704154,-105.024,39.7688,1,113,sunnyside,1,0,1\n\
             2020170412,2020170412240400,2404,0,theft-of-motor-vehicle,auto-theft,3/20/2020 6:15:00 PM,,3/21/2020 7:30:00 AM,4600 E EVANS AVE,3161548,1673128,-104.934,39.6784,3,323,virginia-village,1,0,1\n\
             2020170430,2020170430120100,1201,0,robbery-street,robbery,3/21/2020 11:40:00 PM,,3/21/2020 11:50:00 PM,1600 N BROADWAY,3144870,1695185,-104.987,39.7421,6,611,north-capitol-hill,1,0,1\n",
            "first_occurrence_date",
            ["offense_category_id", "geo_lat", "geo_lon", "2020-03-19T13:00:00"],
        ),
        (
            "pittsburgh_police_incidents",
            "PK,CCR,HIERARCHY,INCIDENTTIME,INCIDENTLOCATION,CLEAREDFLAG,INCIDENTNEIGHBORHOOD,INCIDENTZONE,\
             INCIDENTHIERARCHYDESC,OFFENSES,INCIDENTTRACT,COUNCIL_DISTRICT,PUBLIC_WORKS_DIVISION,X,Y\n\
             2893158,16010013,3,2016-01-01T00:10:00,\"1000 Block Western AV Pittsburgh, PA 15233\",Y,Chateau,1,ROBBERY,3701 Robbery.,2204,6,1,-80.0186,40.4558\n\
             2893160,16010056,8,2016-01-01T01:40:00,\"2800 Block Penn AV Pittsburgh, PA 15222\",N,Strip District,2,THEFT,3921(a) Theft by Unlawful Taking or Disposition.,203,7,6,-79.9781,40.4563\n\
             2893161,16010077,5,2016-01-01T02:15:00,\"300 Block S Craig ST Pittsburgh, PA 15213\",N,North Oakland,4,BURGLARY,3502 Burglary.,507,8,3,-79.9498,40.4461\n\
             2893170,16010101,6,2016-01-01T03:05:00,\"100 Block Brownsville RD Pittsburgh, PA 15210\",N,Carrick,3,AGGRAVATED ASSAULT,2702 Aggravated Assault.,2902,4,4,-79.9866,40.3994\n",
            "INCIDENTTIME",
            ["INCIDENTHIERARCHYDESC", "Y", "X", "2016-01-01T00:10:00"],
        ),
    ];
    for (preset, csv, date, [kind, lat, lon, first]) in cases {
        let l = load_bytes(&format!("{preset}.csv"), csv.as_bytes(), LoadOptions::default())
            .unwrap_or_else(|e| panic!("{preset}: {e}"));
        let r = &l.report;
        assert_eq!(r.layout, preset);
        assert_eq!(r.rows_clean, 4, "{preset}: {:?}", r.dropped);
        assert_eq!(r.columns["date"], date, "{preset}");
        assert_eq!(r.columns["type"], kind, "{preset}");
        assert_eq!((r.columns["latitude"].as_str(), r.columns["longitude"].as_str()), (lat, lon), "{preset}");
        assert_eq!(r.date_min.as_deref(), Some(first), "{preset}");
        assert!(!r.chicago, "{preset}");
        assert!(r.types_unmapped.is_empty(), "{preset}: {:?}", r.types_unmapped);
    }
}

/// Ten rows of a US city's export with the given columns; `cell(column, row)` fills each.
fn export(header: &[&str], cell: impl Fn(usize, usize) -> String) -> (Vec<String>, Vec<Vec<String>>) {
    let sample = (0..10).map(|r| (0..header.len()).map(|c| cell(c, r)).collect()).collect();
    (strings(header), sample)
}

const KINDS: [&str; 6] = ["THEFT", "BURGLARY", "ASSAULT", "ROBBERY", "FRAUD", "ARSON"];

#[test]
fn an_hour_column_is_joined_to_a_date_without_times() {
    // Houston's `RMSOccurrenceDate` + `RMSOccurrenceHour`: hours 0–23, not HHMM.
    let hours = [5, 8, 23, 0, 14, 17, 9, 12, 20, 3];
    let (h, s) = export(
        &[
            "Incident",
            "RMSOccurrenceDate",
            "RMSOccurrenceHour",
            "NIBRSDescription",
            "MapLatitude",
            "MapLongitude",
        ],
        |c, r| match c {
            0 => format!("{}", 1000 + r),
            1 => format!("2024-03-{:02}", r + 1),
            2 => hours[r].to_string(),
            3 => KINDS[r % 6].to_owned(),
            4 => format!("29.7{r}4"),
            _ => format!("-95.3{r}1"),
        },
    );
    let l = detect(&h, &s, None).unwrap();
    assert_eq!(l.columns[&Role::Time], "RMSOccurrenceHour");
    assert_eq!(l.time.map(|t| t.1), Some(TimeFormat::Hour));
    // Coordinates under names of no list, found by their look and values.
    assert_eq!(l.columns[&Role::Latitude], "MapLatitude");
    assert_eq!(l.columns[&Role::Longitude], "MapLongitude");
    assert_eq!(l.zone, Zone::UsCentral);
}

#[test]
fn the_type_is_the_column_that_names_every_rows_offence() {
    // Austin: `Category Description` is filled for Part I crimes only.
    let (h, s) = export(
        &[
            "Incident Number",
            "Highest Offense Description",
            "Category Description",
            "Occurred Date Time",
            "Latitude",
            "Longitude",
        ],
        |c, r| match c {
            0 => format!("{}", 2_024_000 + r),
            1 => format!("{} {}", KINDS[r % 6], r % 3),
            2 => {
                if r < 3 {
                    "Theft".into()
                } else {
                    String::new()
                }
            }
            3 => format!("2024-03-{:02} 1{r}:00", r + 1),
            4 => format!("30.2{r}",),
            _ => format!("-97.7{r}"),
        },
    );
    assert_eq!(detect(&h, &s, None).unwrap().columns[&Role::Type], "Highest Offense Description");
    // Seattle: three classes of crime against whom, beside the offence.
    let (h, s) = export(
        &["Offense Category", "Offense Sub Category", "Offense Date", "Latitude", "Longitude"],
        |c, r| match c {
            0 => ["PROPERTY CRIME", "VIOLENT CRIME", "ALL OTHER"][r % 3].into(),
            1 => KINDS[r % 6].into(),
            2 => format!("2024-03-{:02} 1{r}:00", r + 1),
            3 => format!("47.6{r}"),
            _ => format!("-122.3{r}"),
        },
    );
    assert_eq!(detect(&h, &s, None).unwrap().columns[&Role::Type], "Offense Sub Category");
    // Baltimore: codes beside the only offence text, which is called Description.
    let (h, s) =
        export(&["CrimeDate", "CrimeTime", "CrimeCode", "Description", "Latitude", "Longitude"], |c, r| {
            match c {
                0 => format!("02/{:02}/2016", r + 1),
                1 => format!("1{r}:05:00"),
                2 => ["4E", "6D", "5A", "3B", "7A", "4C"][r % 6].into(),
                3 => KINDS[r % 6].into(),
                4 => format!("39.2{r}"),
                _ => format!("-76.6{r}"),
            }
        });
    let l = detect(&h, &s, None).unwrap();
    assert_eq!(l.columns[&Role::Type], "Description");
    assert_eq!(l.columns[&Role::Time], "CrimeTime");
}

#[test]
fn a_call_is_dated_by_its_creation_not_its_dispatch() {
    for header in [["TimeDispatch", "TimeCreate"], ["TimeCreate", "TimeDispatch"]] {
        let (h, s) = export(&[header[0], header[1], "TypeText", "Latitude", "Longitude"], |c, r| match c {
            0 | 1 => format!("2024-03-{:02}T1{r}:0{c}:00", r + 1),
            2 => KINDS[r % 6].into(),
            3 => format!("29.9{r}"),
            _ => format!("-90.0{r}"),
        });
        assert_eq!(detect(&h, &s, None).unwrap().columns[&Role::Date], "TimeCreate", "{header:?}");
    }
}

#[test]
fn projected_columns_under_a_misspelt_name() {
    // Dallas writes `X Coordinate` and `Y Cordinate`.
    let (h, s) =
        export(&["Date1 of Occurrence", "NIBRS Crime", "X Coordinate", "Y Cordinate"], |c, r| match c {
            0 => format!("2024-03-{:02} 1{r}:00", r + 1),
            1 => KINDS[r % 6].into(),
            2 => format!("{}", 2_490_000 + r * 100),
            _ => format!("{}", 6_970_000 + r * 100),
        });
    let found = detect(&h, &s, None);
    let guessed = match &found {
        Ok(l) => l.columns.get(&Role::Y).cloned(),
        Err(m) => m.guessed.get(&Role::Y).map(|&i| h[i].clone()),
    };
    assert_eq!(guessed.as_deref(), Some("Y Cordinate"));
}

#[test]
fn vancouver_dates_in_parts_and_utm_coordinates() {
    // The VPD's open-data layout: the date in five columns, UTM zone 10N (NAD83) X/Y, and 0/0 for
    // incidents placed at no address. X/Y from pyproj of points around 49.26 N 123.12 W.
    let header = strings(&[
        "TYPE",
        "YEAR",
        "MONTH",
        "DAY",
        "HOUR",
        "MINUTE",
        "HUNDRED_BLOCK",
        "NEIGHBOURHOOD",
        "X",
        "Y",
    ]);
    let sample = rows(&[
        &[
            "Theft from Vehicle",
            "2019",
            "3",
            "7",
            "18",
            "30",
            "10XX W 10TH AVE",
            "Fairview",
            "491266.91",
            "5455254.63",
        ],
        &[
            "Break and Enter Residential/Other",
            "2019",
            "3",
            "8",
            "2",
            "5",
            "27XX E 1ST AVE",
            "Hastings-Sunrise",
            "497100.5",
            "5458200.1",
        ],
        &["Mischief", "2019", "12", "31", "0", "0", "OFFSET TO PROTECT PRIVACY", "", "0", "0"],
        &[
            "Theft of Bicycle",
            "2020",
            "1",
            "15",
            "13",
            "45",
            "8XX GRANVILLE ST",
            "Central Business District",
            "491400.2",
            "5458900.7",
        ],
    ]);
    let l = detect(&header, &sample, None).unwrap();
    assert_eq!(
        l.date_parts,
        Some(parts::DateParts { year: 1, month: 2, day: 3, hour: Some(4), minute: Some(5) })
    );
    assert_eq!(l.columns[&Role::Date], "YEAR");
    assert_eq!(l.columns[&Role::Type], "TYPE");
    assert_eq!(l.columns[&Role::Block], "HUNDRED_BLOCK");
    let p = l.projected.expect("projected");
    assert_eq!((p.crs.code, p.city), (26910, Some("Vancouver")));
    assert!(l.time.is_none() && l.date_format.is_none());
}

#[test]
fn summaries_and_addresses_without_coordinates_are_told_apart() {
    // Calgary's community statistics: counts by month, no incidents.
    let header = strings(&["Community Name", "Category", "Crime Count", "Year", "Month"]);
    let sample = rows(&[
        &["BELTLINE", "Theft FROM Vehicle", "31", "2022", "JAN"],
        &["BELTLINE", "Assault (Non-domestic)", "12", "2022", "FEB"],
    ]);
    let m = detect(&header, &sample, None).unwrap_err();
    assert!(
        m.roles.iter().any(|r| r.contains("counts by month") && r.contains("one row per incident")),
        "{:?}",
        m.roles
    );
    // Phoenix's export: a hundred-block address and a date, no coordinates.
    let header = strings(&[
        "INC NUMBER",
        "OCCURRED ON",
        "UCR CRIME CATEGORY",
        "100 BLOCK ADDR",
        "ZIP",
        "PREMISE TYPE",
    ]);
    let sample = rows(&[
        &[
            "201500002101",
            "11/01/2015  00:00",
            "LARCENY-THEFT",
            "N 43RD AVE & W CACTUS RD",
            "85029",
            "SINGLE FAMILY HOUSE",
        ],
        &[
            "201500002102",
            "11/01/2015  00:00",
            "MOTOR VEHICLE THEFT",
            "N 35TH AVE & W SHAW BUTTE DR",
            "85029",
            "PARKING LOT",
        ],
    ]);
    let m = detect(&header, &sample, None).unwrap_err();
    assert!(m.roles.iter().any(|r| r.contains("geocode the addresses")), "{:?}", m.roles);
}

#[test]
fn degrees_with_signs_and_hemisphere_letters() {
    assert_eq!(parse_number("40.684896°N", false), Some(40.684896));
    assert_eq!(parse_number("111.828974°W", false), Some(-111.828974));
    assert_eq!(parse_number("S33.87", false), Some(-33.87));
    assert_eq!(parse_number("151.21 E", false), Some(151.21));
    assert_eq!(parse_number("-87.7°", false), Some(-87.7));
    assert_eq!(parse_number("NE", false), None);
    assert_eq!(parse_number("200°W", false), None);
    // A file of them is found and read.
    let header = strings(&["Date", "Offense", "Latitude", "Longitude"]);
    let sample = rows(&[
        &["2020-01-02 10:00", "THEFT", "40.684896°N", "111.828974°W"],
        &["2020-01-02 11:00", "ASSAULT", "40.70°N", "111.80°W"],
        &["2020-01-03 11:00", "THEFT", "40.71°N", "111.85°W"],
    ]);
    let l = detect(&header, &sample, None).unwrap();
    assert_eq!(l.columns[&Role::Latitude], "Latitude");
    assert!(matches!(l.area, Area::Around { lon, .. } if lon < -111.0));
}

#[test]
fn projected_numbers_two_cities_could_be_named_in_the_message() {
    // New York's State Plane feet (a median in Queens), which Louisiana South's metres also put
    // 7 km from Baton Rouge: both are named, for the user to choose.
    let (h, s) = export(&["Date", "Offense", "X", "Y"], |c, r| match c {
        0 => format!("2024-03-{:02} 1{r}:00", r + 1),
        1 => KINDS[r % 6].into(),
        2 => format!("{}", 1_007_485 + r * 10),
        _ => format!("{}", 213_776 + r * 10),
    });
    let m = detect(&h, &s, None).unwrap_err();
    let said = m.roles.join(" ");
    assert!(
        said.contains("EPSG:2263") && said.contains("EPSG:26982") && said.contains("Baton Rouge"),
        "{said}"
    );
}

#[test]
fn a_time_column_that_cannot_be_read_is_named() {
    let header = strings(&["date_faits", "heure_faits", "nature", "latitude", "longitude"]);
    let sample = rows(&[
        &["26/02/2016", "5 heures 36", "VOL", "48.85", "2.35"],
        &["27/02/2016", "17 heures", "VOL", "48.86", "2.34"],
        &["28/02/2016", "minuit", "AGRESSION", "48.87", "2.33"],
    ]);
    let l = detect(&header, &sample, None).unwrap();
    assert_eq!(l.time, None);
    assert_eq!(l.unjoined_time.as_deref(), Some("heure_faits"));
    // The report says so.
    let csv = "date_faits;heure_faits;nature;latitude;longitude\n26/02/2016;5 heures 36;VOL;48.85;2.35\n\
               27/02/2016;17 heures;VOL;48.86;2.34\n28/02/2016;minuit;AGRESSION;48.87;2.33\n";
    let loaded = crate::load::load_bytes("faits.csv", csv.as_bytes(), crate::LoadOptions::default()).unwrap();
    assert!(
        loaded.report.warnings.iter().any(|w| w.contains("“heure_faits” looks like times")),
        "{:?}",
        loaded.report.warnings
    );
    // Read as times, nothing is said.
    let sample = rows(&[
        &["26/02/2016", "05h36", "VOL", "48.85", "2.35"],
        &["27/02/2016", "17h00", "VOL", "48.86", "2.34"],
        &["28/02/2016", "23h10", "AGRESSION", "48.87", "2.33"],
    ]);
    let l = detect(&header, &sample, None).unwrap();
    assert!(l.time.is_some() && l.unjoined_time.is_none());
}
