//! Makes the committed reference layers, `crates/patroliq-core/assets/chicago_reference.json`,
//! from the shared data (`../shared/data`, or `$PATROLIQ_DATA_DIR`):
//!
//! - community areas: `chicago_community_areas.geojson` (portal dataset cauq-8yn6), outlines
//!   simplified to 15 m, names in title case;
//! - police districts: `chicago_police_districts.geojson` (portal dataset fthy-xz3r), named from
//!   `chicago_police_stations.csv` ("District 11 – Harrison");
//! - major roads: the expressways (TNTP link type 2) and arterials (type 1) of the CATS "Chicago
//!   Regional" network (`chicago_road_network_tntp_*.csv.gz`, bstabler/TransportationNetworks)
//!   inside the city, both directions merged and chained into polylines.
//!
//! Coordinates are rounded to 5 decimals (about 1 m). Run:
//! `cargo run --release -p patroliq-core --example make_reference`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;

use patroliq_core::areas::Boundaries;
use patroliq_core::place::reference::{ReferenceArea, ReferenceAsset, Road};
use patroliq_core::route::stations;
use patroliq_core::shared_data;

fn read(name: &str) -> Vec<u8> {
    let path = shared_data::file(name);
    let mut bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if name.ends_with(".gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut out).expect("gzip");
        bytes = out;
    }
    bytes
}

fn round(v: f64) -> f64 {
    (v * 1e5).round() / 1e5
}

fn areas(file: &str, tolerance_m: f64, name: impl Fn(u16, &str) -> String) -> Vec<ReferenceArea> {
    let text = String::from_utf8(read(file)).expect("UTF-8");
    let b = Boundaries::from_geojson(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
    b.outlines(tolerance_m)
        .into_iter()
        .map(|o| ReferenceArea {
            id: o.id,
            name: name(o.id, &o.name),
            rings: o
                .rings
                .iter()
                .map(|r| r.iter().map(|&(lo, la)| [round(lo), round(la)]).collect())
                .collect(),
            label: [round(o.inside.0), round(o.inside.1)],
        })
        .collect()
}

fn roads() -> Vec<Road> {
    let nodes = read("chicago_road_network_tntp_nodes.csv.gz");
    let links = read("chicago_road_network_tntp_links.csv.gz");
    let mut at: HashMap<u64, [f64; 2]> = HashMap::new();
    let mut rd = csv::Reader::from_reader(&nodes[..]);
    for r in rd.deserialize::<HashMap<String, String>>() {
        let r = r.expect("a node");
        if r["in_city"] == "1" && r["is_zone_centroid"] != "1" {
            at.insert(
                r["node"].parse().unwrap(),
                [round(r["lon"].parse().unwrap()), round(r["lat"].parse().unwrap())],
            );
        }
    }
    // Undirected edges per class: 0 = expressway, 1 = arterial.
    let mut edges: [HashSet<(u64, u64)>; 2] = Default::default();
    let mut rd = csv::Reader::from_reader(&links[..]);
    for r in rd.deserialize::<HashMap<String, String>>() {
        let r = r.expect("a link");
        let (a, b): (u64, u64) = (r["init_node"].parse().unwrap(), r["term_node"].parse().unwrap());
        if !(at.contains_key(&a) && at.contains_key(&b)) || a == b {
            continue;
        }
        let class = match r["link_type"].as_str() {
            "2" => 0,
            "1" => 1,
            _ => continue,
        };
        edges[class].insert((a.min(b), a.max(b)));
    }
    let mut out = Vec::new();
    for (class, set) in edges.iter().enumerate() {
        // Strokes: each line goes on through a crossing along the edge that turns least (under
        // 35°), so a street of the grid is one polyline instead of a piece per block.
        let mut adj: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
        for &(a, b) in set {
            adj.entry(a).or_default().push(b);
            adj.entry(b).or_default().push(a);
        }
        adj.values_mut().for_each(|v| v.sort_unstable());
        let key = |a: u64, b: u64| (a.min(b), a.max(b));
        let heading = |a: u64, b: u64| {
            let (p, q) = (at[&a], at[&b]);
            ((q[1] - p[1]) * 1.0).atan2((q[0] - p[0]) * 0.745) // cos(41.8°) for longitude
        };
        let mut used: HashSet<(u64, u64)> = HashSet::new();
        // Extends the walk prev → cur as straight as it goes.
        let walk = |mut prev: u64, mut cur: u64, used: &mut HashSet<(u64, u64)>| {
            let mut nodes = vec![cur];
            loop {
                let h = heading(prev, cur);
                let next = adj[&cur]
                    .iter()
                    .filter(|&&n| n != prev && !used.contains(&key(cur, n)))
                    .map(|&n| {
                        let d = (heading(cur, n) - h + std::f64::consts::PI)
                            .rem_euclid(2.0 * std::f64::consts::PI)
                            - std::f64::consts::PI;
                        (d.abs(), n)
                    })
                    .filter(|(d, _)| *d < 35f64.to_radians())
                    .min_by(|a, b| a.0.total_cmp(&b.0));
                let Some((_, n)) = next else { break };
                used.insert(key(cur, n));
                nodes.push(n);
                prev = cur;
                cur = n;
            }
            nodes
        };
        let mut sorted: Vec<(u64, u64)> = set.iter().copied().collect();
        sorted.sort_unstable();
        for (a, b) in sorted {
            if used.contains(&(a, b)) {
                continue;
            }
            used.insert((a, b));
            let ahead = walk(a, b, &mut used);
            let behind = walk(b, a, &mut used);
            let nodes: Vec<u64> = behind.iter().rev().copied().chain(ahead).collect();
            let line = nodes.iter().map(|n| at[n].map(|v| (v * 1e4).round() / 1e4)).collect();
            out.push(Road { expressway: class == 0, line });
        }
    }
    out
}

fn main() {
    let (stations, _) = stations::parse(&read("chicago_police_stations.csv")).expect("stations");
    let district_name = |id: u16, _: &str| {
        stations
            .iter()
            .find(|s| s.district.trim_start_matches('0') == id.to_string())
            .map_or_else(|| format!("District {id}"), |s| format!("District {id} – {}", s.name))
    };
    let asset = ReferenceAsset {
        source: "Chicago Data Portal boundaries (community areas cauq-8yn6, police districts fthy-xz3r), \
                 the Police Stations dataset (district names), and the expressways and arterials of the \
                 CATS Chicago Regional network (bstabler/TransportationNetworks; academic-research licence); \
                 made by crates/patroliq-core/examples/make_reference.rs from ../shared/data"
            .into(),
        community_areas: areas("chicago_community_areas.geojson", 15.0, |_, n| n.to_string()),
        districts: areas("chicago_police_districts.geojson", 15.0, district_name),
        roads: roads(),
    };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/chicago_reference.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, serde_json::to_string(&asset).unwrap()).unwrap();
    println!(
        "{}: {} community areas, {} districts, {} road lines, {} bytes",
        path.display(),
        asset.community_areas.len(),
        asset.districts.len(),
        asset.roads.len(),
        std::fs::metadata(&path).unwrap().len()
    );
}
