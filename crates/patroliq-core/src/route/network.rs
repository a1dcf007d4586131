//! A road network in the TNTP format (as `chicago_road_network_tntp_*.csv.gz` gives it): shortest
//! free-flow travel-time paths between the route's points, slowed by the hour's congestion.
//!
//! Zone centroids (and their connector links, type 3) are not roads: they are left out. Points
//! are snapped to the nearest node of the network's largest strongly connected component (so
//! every leg has a path both ways); the walk from the point to that node is driven on the
//! street-grid model. The network is never shipped with the app: the user loads it.

use std::collections::HashMap;
use std::io::Read;

use pathfinding::directed::dijkstra::{build_path, dijkstra_all};
use serde::{Deserialize, Serialize};

use super::travel::{Legs, Travel, GRID_FREE_FLOW_KMH};
use crate::features::project;

const MILE_M: f64 = 1609.344;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkSummary {
    pub nodes: usize,
    pub links: usize,
    /// Nodes of the largest strongly connected component (where points snap).
    pub routable_nodes: usize,
    /// Skipped lines (bad numbers, unknown nodes).
    pub skipped: usize,
}

#[derive(Debug, Clone)]
pub struct RoadNetwork {
    /// (lat, lon) and projected metres of each node.
    lat_lon: Vec<(f64, f64)>,
    xy: Vec<(f64, f64)>,
    /// Outgoing links: (to, free-flow milliseconds, metres).
    out: Vec<Vec<(usize, u64, f64)>>,
    routable: Vec<usize>,
    pub summary: NetworkSummary,
}

/// Text a network file may unpack to: a city's network is a few MB; more is not one (or a bomb).
const MAX_TEXT: u64 = 256 << 20;

/// Reads a whole file, gunzipping it when it starts with gzip's magic bytes.
fn text(bytes: &[u8], what: &str) -> Result<String, String> {
    let mut s = String::new();
    if bytes.starts_with(&[0x1f, 0x8b]) {
        flate2::read::MultiGzDecoder::new(bytes)
            .take(MAX_TEXT + 1)
            .read_to_string(&mut s)
            .map_err(|e| format!("the {what} file is not valid gzip or UTF-8: {e}"))?;
        if s.len() as u64 > MAX_TEXT {
            return Err(format!("the {what} file unpacks to more than 256 MB: not a city road network"));
        }
    } else {
        s = String::from_utf8(bytes.to_vec()).map_err(|_| format!("the {what} file is not UTF-8 text"))?;
    }
    Ok(s)
}

/// Column positions of `names` in a CSV header, or a message naming the missing ones.
fn columns(header: &csv::StringRecord, names: &[&str], what: &str) -> Result<Vec<usize>, String> {
    let find = |n: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(n));
    let missing: Vec<&str> = names.iter().copied().filter(|n| find(n).is_none()).collect();
    if missing.is_empty() {
        Ok(names.iter().map(|n| find(n).expect("checked")).collect())
    } else {
        Err(format!("the {what} file has no {} column: is it a TNTP {what} CSV?", missing.join(", ")))
    }
}

/// Nodes reachable from `seed` along `adj` (iterative: a recursive search overflows the WASM stack
/// on a city network, which is why pathfinding's recursive Tarjan is not used here).
fn reach(seed: usize, adj: &[Vec<usize>]) -> Vec<bool> {
    let mut seen = vec![false; adj.len()];
    let mut stack = vec![seed];
    seen[seed] = true;
    while let Some(u) = stack.pop() {
        for &v in &adj[u] {
            if !seen[v] {
                seen[v] = true;
                stack.push(v);
            }
        }
    }
    seen
}

/// The largest strongly connected component: the nodes both reachable from and reaching a seed,
/// seeds tried from the city centre outwards until the component holds most of the nodes.
fn main_component(xy: &[(f64, f64)], out: &[Vec<(usize, u64, f64)>]) -> Vec<usize> {
    let fwd: Vec<Vec<usize>> = out.iter().map(|l| l.iter().map(|x| x.0).collect()).collect();
    let mut back = vec![Vec::new(); out.len()];
    for (u, links) in out.iter().enumerate() {
        links.iter().for_each(|l| back[l.0].push(u));
    }
    let mut seeds: Vec<usize> = (0..xy.len()).filter(|&n| !fwd[n].is_empty()).collect();
    seeds.sort_by(|&a, &b| (xy[a].0.hypot(xy[a].1)).total_cmp(&xy[b].0.hypot(xy[b].1)));
    let mut best: Vec<usize> = Vec::new();
    for &seed in seeds.iter().take(20) {
        let (f, b) = (reach(seed, &fwd), reach(seed, &back));
        let scc: Vec<usize> = (0..xy.len()).filter(|&n| f[n] && b[n]).collect();
        if scc.len() > best.len() {
            best = scc;
        }
        if best.len() * 2 > seeds.len() {
            break;
        }
    }
    best
}

impl RoadNetwork {
    /// Parses the nodes and links files (CSV, optionally gzipped).
    pub fn from_tntp(nodes: &[u8], links: &[u8]) -> Result<RoadNetwork, String> {
        let nodes = text(nodes, "nodes")?;
        let links = text(links, "links")?;
        let mut skipped = 0;
        let mut rd = csv::Reader::from_reader(nodes.as_bytes());
        let h = rd.headers().map_err(|e| format!("the nodes file: {e}"))?.clone();
        let [id, lat, lon, centroid] = columns(&h, &["node", "lat", "lon", "is_zone_centroid"], "nodes")?[..]
        else {
            unreachable!()
        };
        let mut index = HashMap::new();
        let (mut lat_lon, mut xy) = (Vec::new(), Vec::new());
        for rec in rd.records() {
            let Ok(rec) = rec else {
                skipped += 1;
                continue;
            };
            let num = |i: usize| rec.get(i).and_then(|v| v.trim().parse::<f64>().ok());
            match (rec.get(id).and_then(|v| v.trim().parse::<u64>().ok()), num(lat), num(lon), num(centroid))
            {
                (Some(n), Some(la), Some(lo), c) if la.is_finite() && lo.is_finite() && c != Some(1.0) => {
                    index.insert(n, lat_lon.len());
                    lat_lon.push((la, lo));
                    xy.push(project(la, lo));
                }
                (Some(_), Some(_), Some(_), Some(_)) => {} // a zone centroid
                _ => skipped += 1,
            }
        }
        let mut rd = csv::Reader::from_reader(links.as_bytes());
        let h = rd.headers().map_err(|e| format!("the links file: {e}"))?.clone();
        let [from, to, len, fft, speed] = columns(
            &h,
            &["init_node", "term_node", "length_mi", "free_flow_time_min", "speed_mph"],
            "links",
        )?[..] else {
            unreachable!()
        };
        let mut out = vec![Vec::new(); lat_lon.len()];
        let mut n_links = 0;
        for rec in rd.records() {
            let Ok(rec) = rec else {
                skipped += 1;
                continue;
            };
            let node = |i: usize| {
                rec.get(i).and_then(|v| v.trim().parse::<u64>().ok()).and_then(|n| index.get(&n).copied())
            };
            let num =
                |i: usize| rec.get(i).and_then(|v| v.trim().parse::<f64>().ok()).filter(|v| v.is_finite());
            let (Some(a), Some(b), Some(miles)) = (node(from), node(to), num(len)) else {
                // Links to or from a centroid are connectors, not roads.
                skipped += usize::from(node(from).is_some() && node(to).is_some());
                continue;
            };
            // Some links have a free-flow time of 0: use length / speed for them.
            let minutes = match (num(fft), num(speed)) {
                (Some(t), _) if t > 0.0 => t,
                (_, Some(v)) if v > 0.0 => miles / v * 60.0,
                _ => {
                    skipped += 1;
                    continue;
                }
            };
            out[a].push((b, (minutes * 60_000.0).round().max(1.0) as u64, miles * MILE_M));
            n_links += 1;
        }
        if n_links == 0 {
            return Err("the road network has no usable links".into());
        }
        let routable = main_component(&xy, &out);
        let summary =
            NetworkSummary { nodes: lat_lon.len(), links: n_links, routable_nodes: routable.len(), skipped };
        Ok(RoadNetwork { lat_lon, xy, out, routable, summary })
    }

    /// The routable node nearest to a point (metres) and the Manhattan distance to it.
    fn snap(&self, x: f64, y: f64) -> (usize, f64) {
        self.routable
            .iter()
            .map(|&n| (n, (self.xy[n].0 - x).abs() + (self.xy[n].1 - y).abs()))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .expect("a network with links has a component")
    }
}

impl Travel for RoadNetwork {
    fn name(&self) -> &'static str {
        "road network"
    }

    fn legs(&mut self, points: &[(f64, f64)]) -> Result<Legs, String> {
        let n = points.len();
        let access_speed = GRID_FREE_FLOW_KMH / 3.6;
        let snapped: Vec<(usize, f64)> = points
            .iter()
            .map(|&(la, lo)| {
                let (x, y) = project(la, lo);
                self.snap(x, y)
            })
            .collect();
        let mut legs = Legs {
            n,
            distance_m: vec![0.0; n * n],
            free_s: vec![0.0; n * n],
            paths: Vec::with_capacity(n * n),
        };
        let link = |a: usize, b: usize| {
            self.out[a].iter().filter(|l| l.0 == b).min_by_key(|l| l.1).copied().expect("a link of the path")
        };
        for a in 0..n {
            let from = snapped[a].0;
            let tree =
                dijkstra_all(&from, |&u| self.out[u].iter().map(|&(v, ms, _)| (v, ms)).collect::<Vec<_>>());
            for b in 0..n {
                let to = snapped[b].0;
                let nodes = if to == from { vec![from] } else { build_path(&to, &tree) };
                if nodes.last() != Some(&to) {
                    return Err(format!("no road path between route points {a} and {b}"));
                }
                let (mut ms, mut metres) = (0u64, 0.0);
                for w in nodes.windows(2) {
                    let l = link(w[0], w[1]);
                    ms += l.1;
                    metres += l.2;
                }
                let access = if a == b { 0.0 } else { snapped[a].1 + snapped[b].1 };
                legs.distance_m[a * n + b] = metres + access;
                legs.free_s[a * n + b] = ms as f64 / 1000.0 + access / access_speed;
                let mut path = vec![[points[a].0, points[a].1]];
                path.extend(nodes.iter().map(|&v| [self.lat_lon[v].0, self.lat_lon[v].1]));
                path.push([points[b].0, points[b].1]);
                legs.paths.push(path);
            }
        }
        Ok(legs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::unproject;

    /// A square of four nodes 1 km apart, one-way clockwise, plus a centroid and its connector.
    fn square() -> RoadNetwork {
        let mut nodes = String::from("node,lon,lat,is_zone_centroid\n9,0,0,1\n");
        for (i, (x, y)) in [(0.0, 0.0), (1000.0, 0.0), (1000.0, 1000.0), (0.0, 1000.0)].iter().enumerate() {
            let (la, lo) = unproject(*x, *y);
            nodes.push_str(&format!("{},{lo},{la},0\n", i + 1));
        }
        let mile = 1000.0 / MILE_M;
        let mut links =
            String::from("init_node,term_node,length_mi,free_flow_time_min,speed_mph,link_type\n");
        for (a, b) in [(1, 2), (2, 3), (3, 4), (4, 1)] {
            links.push_str(&format!("{a},{b},{mile},1.0,30,1\n"));
        }
        links.push_str("9,1,0.1,0,25,3\n");
        RoadNetwork::from_tntp(nodes.as_bytes(), links.as_bytes()).unwrap()
    }

    #[test]
    fn one_way_links_make_legs_asymmetric_and_centroids_are_dropped() {
        let mut net = square();
        assert_eq!(net.summary.nodes, 4);
        assert_eq!(net.summary.links, 4);
        assert_eq!(net.summary.routable_nodes, 4);
        let p = |x, y| unproject(x, y);
        let l = net.legs(&[p(0.0, 0.0), p(0.0, 1000.0)]).unwrap();
        // 1 → 4 goes round three sides (3 min); 4 → 1 is one link (1 min).
        assert!((l.free_s[1] - 180.0).abs() < 1e-6 && (l.free_s[2] - 60.0).abs() < 1e-6, "{:?}", l.free_s);
        assert!((l.distance_m[1] - 3000.0).abs() < 0.01);
        assert_eq!(l.paths[1].len(), 6);
    }

    #[test]
    fn a_point_off_the_network_drives_to_the_nearest_node() {
        let mut net = square();
        let l = net.legs(&[unproject(-100.0, 0.0), unproject(1000.0, 50.0)]).unwrap();
        assert!((l.distance_m[1] - (1000.0 + 150.0)).abs() < 0.01, "{}", l.distance_m[1]);
    }

    #[test]
    fn wrong_files_get_a_message() {
        let e = RoadNetwork::from_tntp(b"a,b\n1,2\n", b"x\n").unwrap_err();
        assert!(e.contains("no node"), "{e}");
        let e = RoadNetwork::from_tntp(
            b"node,lat,lon,is_zone_centroid\n1,41.8,-87.6,0\n",
            b"init_node,term_node,length_mi,free_flow_time_min,speed_mph\n",
        )
        .unwrap_err();
        assert!(e.contains("no usable links"), "{e}");
        assert!(RoadNetwork::from_tntp(&[0x1f, 0x8b, 0, 1], b"").is_err());
        // A gzip bomb stops at the limit with a message, not an out-of-memory.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut gz, &vec![b'0'; (MAX_TEXT + 10) as usize]).unwrap();
        let e = RoadNetwork::from_tntp(&gz.finish().unwrap(), b"").unwrap_err();
        assert!(e.contains("more than 256 MB"), "{e}");
    }

    #[test]
    fn the_chicago_network_routes_across_the_city() {
        let dir = crate::shared_data::dir();
        let read = |f: &str| std::fs::read(dir.join(f)).unwrap();
        let mut net = RoadNetwork::from_tntp(
            &read("chicago_road_network_tntp_nodes.csv.gz"),
            &read("chicago_road_network_tntp_links.csv.gz"),
        )
        .unwrap();
        assert!(net.summary.routable_nodes > 10_000, "{:?}", net.summary);
        // Police HQ → O'Hare-side district 16 station: about 25 km by road.
        let l = net.legs(&[(41.8299, -87.6238), (41.9742, -87.7663)]).unwrap();
        assert!((15_000.0..40_000.0).contains(&l.distance_m[1]), "{}", l.distance_m[1]);
        assert!(l.free_s[1] > 600.0 && l.free_s[1] < 3600.0, "{}", l.free_s[1]);
    }
}
