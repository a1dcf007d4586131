//! Runs side by side: which parameters differ, the metrics of each, and one metric against one
//! parameter over many runs (silhouette against k).

use std::collections::BTreeSet;

use super::run::Run;

/// One parameter or metric across the compared runs (`None` where a run has none).
#[derive(Debug, Clone, PartialEq)]
pub struct Row<T> {
    pub key: String,
    pub values: Vec<Option<T>>,
    /// Not every run has the same value.
    pub differs: bool,
}

/// Every parameter of `runs`, the differing ones first, each group by name; plus the dataset
/// and filter, which make two runs comparable or not.
pub fn params(runs: &[&Run]) -> Vec<Row<String>> {
    let flats: Vec<_> = runs.iter().map(|r| r.params.flat()).collect();
    let keys: BTreeSet<&String> = flats.iter().flat_map(|f| f.keys()).collect();
    let mut rows: Vec<Row<String>> = keys
        .into_iter()
        .map(|k| {
            let values: Vec<Option<String>> = flats.iter().map(|f| f.get(k).cloned()).collect();
            Row { key: k.clone(), differs: values.windows(2).any(|w| w[0] != w[1]), values }
        })
        .collect();
    for (key, get) in [
        (
            "dataset",
            (|r: &Run| format!("{} ({})", r.dataset.name, r.dataset.fingerprint)) as fn(&Run) -> String,
        ),
        ("filter", |r: &Run| r.filter_print.clone()),
    ] {
        let values: Vec<Option<String>> = runs.iter().map(|r| Some(get(r))).collect();
        rows.push(Row { key: key.into(), differs: values.windows(2).any(|w| w[0] != w[1]), values });
    }
    rows.sort_by_key(|r| !r.differs);
    rows
}

/// Every metric of `runs`, by name.
pub fn metrics(runs: &[&Run]) -> Vec<Row<f64>> {
    let keys: BTreeSet<&String> = runs.iter().flat_map(|r| r.metrics.keys()).collect();
    keys.into_iter()
        .map(|k| {
            let values: Vec<Option<f64>> = runs.iter().map(|r| r.metrics.get(k).copied()).collect();
            Row { key: k.clone(), differs: values.windows(2).any(|w| w[0] != w[1]), values }
        })
        .collect()
}

/// The numeric parameters (`params.…`) and metrics of runs of one kind: the choices of the
/// metric-against-parameter chart.
pub fn numeric_keys(runs: &[&Run]) -> (Vec<String>, Vec<String>) {
    let params: BTreeSet<String> = runs
        .iter()
        .flat_map(|r| r.params.flat().into_iter().filter(|(_, v)| v.parse::<f64>().is_ok()).map(|(k, _)| k))
        .map(|k| format!("params.{k}"))
        .collect();
    let mut metrics: BTreeSet<String> = runs.iter().flat_map(|r| r.metrics.keys().cloned()).collect();
    metrics.insert("duration_ms".into());
    (params.into_iter().collect(), metrics.into_iter().collect())
}

/// (x, y, run id) of every run that has both, by x: the points of a metric-vs-parameter chart.
pub fn series(runs: &[&Run], x: &str, y: &str) -> Vec<(f64, f64, String)> {
    let mut out: Vec<(f64, f64, String)> =
        runs.iter().filter_map(|r| Some((r.number(x)?, r.number(y)?, r.id.clone()))).collect();
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    out
}
