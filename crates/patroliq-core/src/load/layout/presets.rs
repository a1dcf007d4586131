//! The exports PatrolIQ knows by name: recognised from the header alone, each naming the column
//! of every role. A preset only saves guessing: its columns are still checked against the values
//! (`super::detect`), and a file no preset fits goes through the same detection by names and values.

use super::Role;

/// One known layout.
pub struct Preset {
    /// Stable name (`patroliq validate --json` → `layout`).
    pub name: &'static str,
    /// Header keys (lower-case letters and digits only) that must all be present.
    pub signature: &'static [&'static str],
    /// Role → header key. Roles not listed are found by the generic detection.
    pub roles: &'static [(Role, &'static str)],
}

/// Chicago's own layouts need no list: their names are the portal's (`crate::schema::Column`).
pub const PRESETS: &[Preset] = &[
    Preset { name: "chicago_portal", signature: &["primarytype", "iucr", "fbicode"], roles: &[] },
    Preset {
        name: "nypd_complaint",
        signature: &["cmplntnum", "cmplntfrdt", "ofnsdesc"],
        roles: &[
            (Role::Id, "cmplntnum"),
            (Role::Date, "cmplntfrdt"),
            (Role::Time, "cmplntfrtm"),
            (Role::Type, "ofnsdesc"),
            (Role::Description, "pddesc"),
            (Role::Code, "kycd"),
            (Role::District, "addrpctcd"),
            (Role::LocationDescription, "premtypdesc"),
            (Role::Latitude, "latitude"),
            (Role::Longitude, "longitude"),
            (Role::Point, "latlon"),
            (Role::X, "xcoordcd"),
            (Role::Y, "ycoordcd"),
        ],
    },
    Preset { name: "lapd_2020_present", signature: &["drno", "dateocc", "crmcddesc", "part12"], roles: LAPD },
    Preset { name: "lapd_2010_2019", signature: &["drno", "dateocc", "crmcddesc"], roles: LAPD },
    Preset {
        name: "sfpd_2018_present",
        signature: &["incidentdatetime", "incidentcategory"],
        roles: &[
            (Role::Id, "rowid"),
            (Role::CaseNumber, "incidentnumber"),
            (Role::Date, "incidentdatetime"),
            (Role::Type, "incidentcategory"),
            (Role::Description, "incidentdescription"),
            (Role::Code, "incidentcode"),
            (Role::Status, "resolution"),
            (Role::Block, "intersection"),
            (Role::Latitude, "latitude"),
            (Role::Longitude, "longitude"),
            (Role::Point, "point"),
        ],
    },
    Preset {
        name: "seattle_spd",
        signature: &["offensestartdatetime", "offenseparentgroup"],
        roles: &[
            (Role::Id, "offenseid"),
            (Role::CaseNumber, "reportnumber"),
            (Role::Date, "offensestartdatetime"),
            (Role::Type, "offenseparentgroup"),
            (Role::Description, "offense"),
            (Role::Code, "offensecode"),
            (Role::Block, "100blockaddress"),
            (Role::Latitude, "latitude"),
            (Role::Longitude, "longitude"),
        ],
    },
    Preset {
        name: "philadelphia_incidents",
        signature: &["dispatchdate", "dispatchtime", "textgeneralcode"],
        roles: &[
            (Role::Id, "objectid"),
            (Role::CaseNumber, "dckey"),
            // The local date and time, not `dispatch_date_time` (UTC).
            (Role::Date, "dispatchdate"),
            (Role::Time, "dispatchtime"),
            (Role::Type, "textgeneralcode"),
            (Role::Code, "ucrgeneral"),
            (Role::District, "dcdist"),
            (Role::Beat, "psa"),
            (Role::Block, "locationblock"),
            (Role::Latitude, "lat"),
            (Role::Longitude, "lng"),
            (Role::Point, "thegeom"),
        ],
    },
    Preset {
        name: "denver_crime",
        signature: &["firstoccurrencedate", "offensecategoryid"],
        roles: &[
            (Role::Id, "offenseid"),
            (Role::CaseNumber, "incidentid"),
            (Role::Date, "firstoccurrencedate"),
            (Role::Type, "offensecategoryid"),
            (Role::Description, "offensetypeid"),
            (Role::Code, "offensecode"),
            (Role::District, "districtid"),
            (Role::Beat, "precinctid"),
            (Role::Block, "incidentaddress"),
            (Role::Latitude, "geolat"),
            (Role::Longitude, "geolon"),
            (Role::X, "geox"),
            (Role::Y, "geoy"),
        ],
    },
    Preset {
        name: "pittsburgh_police_incidents",
        signature: &["incidenttime", "incidenthierarchydesc"],
        roles: &[
            (Role::Id, "pk"),
            (Role::CaseNumber, "ccr"),
            (Role::Date, "incidenttime"),
            (Role::Type, "incidenthierarchydesc"),
            (Role::Description, "offenses"),
            (Role::Code, "hierarchy"),
            (Role::Arrest, "clearedflag"),
            (Role::Block, "incidentlocation"),
            (Role::Latitude, "y"),
            (Role::Longitude, "x"),
        ],
    },
];

const LAPD: &[(Role, &str)] = &[
    (Role::Id, "drno"),
    (Role::Date, "dateocc"),
    (Role::Time, "timeocc"),
    (Role::Type, "crmcddesc"),
    (Role::Code, "crmcd"),
    (Role::District, "area"),
    (Role::Beat, "rptdistno"),
    (Role::LocationDescription, "premisdesc"),
    (Role::Status, "statusdesc"),
    (Role::Block, "location"),
    (Role::Latitude, "lat"),
    (Role::Longitude, "lon"),
];

/// The first preset whose signature the header keys hold.
pub fn recognise(keys: &[String]) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.signature.iter().all(|s| keys.iter().any(|k| k == s)))
}

/// The CRS of a layout's projected X/Y columns and its city, for the layouts that have them.
pub fn crs(preset: &str) -> Option<(u32, &'static str)> {
    match preset {
        "chicago_portal" => Some((3435, "Chicago")),
        "nypd_complaint" => Some((2263, "New York")),
        "denver_crime" => Some((2232, "Denver")),
        _ => None,
    }
}
