//! Our tour against OR-Tools' guided local search on the same distance matrix: the start (police
//! headquarters) and the 50 riskiest 250 m cells of the real sample on the street grid.
//! `scripts/test.sh` writes `route_matrix.json` with `patroliq route --matrix` and
//! `route_reference.json` with `scripts/route_reference.py` first.

use patroliq_core::route::tour::{default_kicks, nearest_neighbour, solve, Matrix};
use patroliq_core::shared_data::fixtures;
use serde_json::Value;

fn read(name: &str) -> Value {
    let path = fixtures().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}. scripts/test.sh makes it (patroliq route --matrix, scripts/route_reference.py)",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap()
}

#[test]
fn within_one_percent_of_or_tools() {
    let m = read("route_matrix.json");
    let r = read("route_reference.json");
    let n = m["n"].as_u64().unwrap() as usize;
    assert_eq!(n, 51, "the start and 50 hotspots");
    let cost: Vec<f64> = m["distance_m"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    let matrix = Matrix::new(n, cost);
    let nodes: Vec<usize> = (0..n).collect();
    let ours = matrix.tour_cost(&solve(&matrix, &nodes, default_kicks(n), 42));
    let theirs = r["distance_m"].as_f64().unwrap();
    let nn = matrix.tour_cost(&nearest_neighbour(&matrix, &nodes));
    eprintln!("ours {:.0} m, OR-Tools {theirs:.0} m, nearest neighbour {nn:.0} m", ours);
    assert!(ours <= theirs * 1.01, "ours {ours:.0} m vs OR-Tools {theirs:.0} m");
}
