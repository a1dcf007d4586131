//! The Knox table and the Mann–Kendall test against `scripts/forecast_reference.py`, which writes
//! them from the papers' formulas (numpy, and SciPy's `kendalltau`) together with the inputs it
//! drew, so both sides read the same numbers. Make the fixture first:
//! `.venv/bin/python scripts/forecast_reference.py "$PATROLIQ_FIXTURES"` (default target/fixtures).

use patroliq_core::cluster::Silent;
use patroliq_core::forecast::emerging::mann_kendall;
use patroliq_core::forecast::knox::KnoxParams;
use patroliq_core::shared_data::fixtures;
use serde_json::Value;

fn reference() -> Value {
    let dir = fixtures();
    let path = dir.join("forecast_reference.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("{}: {e}. Run scripts/forecast_reference.py {} first", path.display(), dir.display())
    });
    serde_json::from_str(&text).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

fn close(ours: f64, theirs: f64, what: &str) {
    let diff = (ours - theirs).abs() / theirs.abs().max(1e-12);
    assert!(diff < 1e-9 || (ours - theirs).abs() < 1e-12, "{what}: ours {ours}, reference {theirs}");
}

#[test]
fn knox_tables_equal_the_reference() {
    let r = reference();
    for (case, k) in r["knox"].as_array().unwrap().iter().enumerate() {
        let pts: Vec<[f64; 3]> = k["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let v = floats(p);
                [v[0], v[1], v[2]]
            })
            .collect();
        let params = KnoxParams {
            space_m: floats(&k["space_m"]),
            time_days: floats(&k["time_days"]),
            permutations: 19,
            seed: 1,
        };
        let ours = params.check().unwrap().points(&pts, &mut Silent).unwrap();
        assert_eq!(ours.pairs, k["pairs"].as_u64().unwrap());
        let ints = |v: &Value| v.as_array().unwrap().iter().map(|x| x.as_u64().unwrap()).collect::<Vec<_>>();
        assert_eq!(ours.space_totals, ints(&k["space_totals"]), "case {case}: space marginals");
        assert_eq!(ours.time_totals, ints(&k["time_totals"]), "case {case}: time marginals");
        for (i, row) in k["observed"].as_array().unwrap().iter().enumerate() {
            for (j, want) in ints(row).into_iter().enumerate() {
                assert_eq!(ours.cell(i, j).observed, want, "case {case}: observed ({i}, {j})");
                let e = k["expected"][i][j].as_f64().unwrap();
                close(ours.cell(i, j).expected, e, &format!("case {case}: expected ({i}, {j})"));
            }
        }
    }
}

#[test]
fn mann_kendall_equals_the_formulas_and_scipys_kendalltau() {
    let r = reference();
    for m in r["mann_kendall"].as_array().unwrap() {
        let x = floats(&m["x"]);
        let ours = mann_kendall(&x);
        close(ours.s, m["s"].as_f64().unwrap(), "S");
        close(ours.var, m["var"].as_f64().unwrap(), "Var(S)");
        close(ours.z, m["z"].as_f64().unwrap(), "z");
        close(ours.p, m["p"].as_f64().unwrap(), "p");
        // SciPy: τ-b against time, and the asymptotic p without continuity correction.
        assert!(
            (ours.tau_b - m["tau_b"].as_f64().unwrap()).abs() < 1e-9,
            "τ-b {} vs {}",
            ours.tau_b,
            m["tau_b"]
        );
        assert!(
            (ours.p_uncorrected - m["p_scipy"].as_f64().unwrap()).abs() < 1e-9,
            "p {} vs {}",
            ours.p_uncorrected,
            m["p_scipy"]
        );
    }
}
