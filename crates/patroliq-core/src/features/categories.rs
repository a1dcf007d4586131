//! Categorical encodings: FBI Part I / II, the severity score, and location-description groups.

/// FBI Uniform Crime Reporting Part I offences, as the portal's `FBI Code` writes them
/// (CPD's code list: 01A homicide, 01B involuntary manslaughter, 02 criminal sexual assault,
/// 03 robbery, 04A aggravated assault, 04B aggravated battery, 05 burglary, 06 larceny,
/// 07 motor vehicle theft, 09 arson). Everything else (08A/08B simple assault/battery, 10–26) is
/// Part II.
pub fn is_part_one(fbi_code: &str) -> bool {
    matches!(fbi_code, "01A" | "01B" | "02" | "03" | "04A" | "04B" | "05" | "06" | "07" | "09")
}

/// Severity on a 1–10 scale, from the FBI's own ordering of offences rather than a list of ours:
/// Part I offences rank by the UCR Hierarchy Rule (criminal homicide > rape > robbery > aggravated
/// assault > burglary > larceny-theft > motor vehicle theft), violent ones (7–10) above property
/// ones (3–5); arson, outside the hierarchy, ranks with burglary. Part II offences score 1, except
/// simple assault and battery (08A/08B), the lesser-included forms of aggravated assault, at 2.
/// An unknown or missing FBI code scores 1.
pub fn severity(fbi_code: &str) -> f64 {
    match fbi_code {
        "01A" => 10.0,
        "01B" | "02" => 9.0,
        "03" => 8.0,
        "04A" | "04B" => 7.0,
        "05" | "09" => 5.0,
        "06" => 4.0,
        "07" => 3.0,
        "08A" | "08B" => 2.0,
        _ => 1.0,
    }
}

/// The basis of [`severity`], for the app and the README: (FBI codes, offence, score).
pub const SEVERITY_BASIS: [(&str, &str, f64); 10] = [
    ("01A", "Murder and non-negligent manslaughter (Part I, violent)", 10.0),
    ("01B, 02", "Involuntary manslaughter; criminal sexual assault (Part I, violent)", 9.0),
    ("03", "Robbery (Part I, violent)", 8.0),
    ("04A, 04B", "Aggravated assault and battery (Part I, violent)", 7.0),
    ("05, 09", "Burglary; arson (Part I, property)", 5.0),
    ("06", "Larceny-theft (Part I, property)", 4.0),
    ("07", "Motor vehicle theft (Part I, property)", 3.0),
    ("08A, 08B", "Simple assault and battery (Part II)", 2.0),
    ("10–26", "Every other Part II offence (fraud, vandalism, narcotics, weapons, …)", 1.0),
    ("missing", "No or unknown FBI code", 1.0),
];

/// The ~135 location descriptions of the export, grouped for modelling.
pub const LOCATION_GROUPS: [&str; 12] = [
    "street",
    "residence",
    "parking",
    "vehicle",
    "transit",
    "retail",
    "food and drink",
    "school",
    "health care",
    "public and government",
    "commercial",
    "other",
];

/// Index into [`LOCATION_GROUPS`], by keywords; the first matching rule wins ("PARKING
/// LOT/GARAGE(NON.RESID.)" is parking, "GAS STATION" retail, "WAREHOUSE" commercial).
pub fn location_group(desc: &str) -> usize {
    const RULES: [(usize, &[&str]); 14] = [
        // Exceptions first: words that would match a broader rule below.
        (5, &["GAS STATION"]),
        (9, &["FIRE STATION"]),
        (10, &["WAREHOUSE", "ATHLETIC"]),
        (2, &["PARKING", "GARAGE(NON", "GARAGE (NON"]),
        (
            4,
            &[
                "CTA",
                "TRAIN",
                "PLATFORM",
                "STATION",
                "AIRPORT",
                "AIRCRAFT",
                "TAXI",
                "RAILROAD",
                "TRANSPORTATION",
            ],
        ),
        (3, &["VEHICLE", "AUTO", "TRUCK", "DELIVERY"]),
        (
            1,
            &[
                "RESIDEN",
                "APARTMENT",
                "HOUSE",
                "PORCH",
                "YARD",
                "CHA ",
                "CHA HALLWAY",
                "DRIVEWAY",
                "COACH HOUSE",
                "ROOMING",
            ],
        ),
        (
            0,
            &["STREET", "SIDEWALK", "ALLEY", "HIGHWAY", "EXPRESSWAY", "BRIDGE", "ROAD", "LAKEFRONT", "RIVER"],
        ),
        (6, &["RESTAURANT", "BAR ", "BAR OR", "TAVERN", "LIQUOR", "CLUB"]),
        (
            5,
            &[
                "STORE",
                "SHOP",
                "RETAIL",
                "MALL",
                "GAS STATION",
                "BANK",
                "CURRENCY",
                "CAR WASH",
                "PAWN",
                "BARBER",
                "CLEANING",
            ],
        ),
        (7, &["SCHOOL", "COLLEGE", "UNIVERSITY", "DAY CARE"]),
        (8, &["HOSPITAL", "MEDICAL", "NURSING", "DENTAL", "ANIMAL HOSPITAL"]),
        (
            9,
            &[
                "POLICE",
                "JAIL",
                "GOVERNMENT",
                "PARK PROPERTY",
                "LIBRARY",
                "CHURCH",
                "FIRE STATION",
                "FEDERAL",
                "COUNTY",
                "FOREST",
            ],
        ),
        (
            10,
            &[
                "OFFICE",
                "BUSINESS",
                "WAREHOUSE",
                "FACTORY",
                "HOTEL",
                "MOTEL",
                "CONSTRUCTION",
                "MOVIE",
                "SPORTS",
                "ATHLETIC",
                "COMMERCIAL",
                "BOWLING",
                "POOL ROOM",
            ],
        ),
    ];
    let d = desc.trim().to_ascii_uppercase();
    RULES
        .iter()
        .find(|(_, words)| words.iter().any(|w| d.contains(w)))
        .map_or(LOCATION_GROUPS.len() - 1, |(g, _)| *g)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_basis_is_what_severity_computes() {
        for (codes, _, score) in SEVERITY_BASIS {
            for code in codes.split(", ").filter(|c| c.chars().all(|ch| ch.is_ascii_alphanumeric())) {
                let code = if code == "missing" { "" } else { code };
                assert_eq!(severity(code), score, "{code}");
            }
        }
        for n in 10..=26 {
            assert_eq!(severity(&n.to_string()), 1.0);
        }
    }

    #[test]
    fn severity_follows_the_ucr_hierarchy() {
        let order = ["01A", "02", "03", "04B", "05", "06", "07", "08B", "26"];
        for w in order.windows(2) {
            assert!(severity(w[0]) > severity(w[1]), "{} > {}", w[0], w[1]);
        }
        assert_eq!(severity(""), 1.0);
        assert!(is_part_one("06") && !is_part_one("08B") && !is_part_one("26"));
    }

    #[test]
    fn portal_location_descriptions_fall_in_the_expected_groups() {
        let g = |d| LOCATION_GROUPS[location_group(d)];
        assert_eq!(g("STREET"), "street");
        assert_eq!(g("SIDEWALK"), "street");
        assert_eq!(g("APARTMENT"), "residence");
        assert_eq!(g("RESIDENCE PORCH/HALLWAY"), "residence");
        assert_eq!(g("PARKING LOT/GARAGE(NON.RESID.)"), "parking");
        assert_eq!(g("VEHICLE NON-COMMERCIAL"), "vehicle");
        assert_eq!(g("CTA PLATFORM"), "transit");
        assert_eq!(g("SMALL RETAIL STORE"), "retail");
        assert_eq!(g("GAS STATION"), "retail");
        assert_eq!(g("BAR OR TAVERN"), "food and drink");
        assert_eq!(g("SCHOOL, PUBLIC, BUILDING"), "school");
        assert_eq!(g("HOSPITAL BUILDING/GROUNDS"), "health care");
        assert_eq!(g("PARK PROPERTY"), "public and government");
        assert_eq!(g("COMMERCIAL / BUSINESS OFFICE"), "commercial");
        assert_eq!(g("WAREHOUSE"), "commercial");
        assert_eq!(g("FIRE STATION"), "public and government");
        assert_eq!(g("ATHLETIC CLUB"), "commercial");
        assert_eq!(g("OTHER"), "other");
        assert_eq!(g(""), "other");
    }
}
