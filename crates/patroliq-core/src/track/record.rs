//! The metrics and small artifacts each analysis leaves in the log. Metric names are stable: the
//! Experiments page, the CSV export and MLflow all use them.

use serde_json::{json, Value};

use crate::backtest::Backtest;
use crate::cluster::kmeans::SweepPoint;
use crate::cluster::report::ClusterView;
use crate::reduce::embed::EmbedView;
use crate::reduce::pca::PcaView;
use crate::risk::RiskView;
use crate::route::RouteView;
use crate::temporal::TemporalView;

use super::run::Outcome;

const GEOJSON: &str = "application/geo+json";
const JSON: &str = "application/json";

fn point(lat: f64, lon: f64, properties: Value) -> Value {
    json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties})
}

fn collection(features: Vec<Value>) -> String {
    json!({"type": "FeatureCollection", "features": features}).to_string()
}

/// Hotspot clustering: the three validity indices, the clusters' count, noise and balance; the
/// centroids as GeoJSON.
pub fn cluster(view: &ClusterView) -> Outcome {
    let r = &view.report;
    let mut o = Outcome::default();
    o.metric("silhouette", r.silhouette);
    o.metric("davies_bouldin", r.davies_bouldin);
    o.metric("calinski_harabasz", r.calinski_harabasz);
    o.metric("clusters", r.n_clusters as f64);
    o.metric("points", r.points as f64);
    o.metric("noise", r.noise as f64);
    if r.points > 0 {
        o.metric("noise_share", r.noise as f64 / r.points as f64);
        o.metric("largest_share", r.sizes.first().map(|&s| s as f64 / r.points as f64));
    }
    let features = r
        .centers
        .iter()
        .zip(&r.sizes)
        .enumerate()
        .map(|(i, (c, &size))| point(c[0], c[1], json!({"cluster": i, "incidents": size})))
        .collect();
    o.artifact("centroids.geojson", GEOJSON, collection(features));
    o
}

/// A k sweep: the best k by silhouette and its score; the curve as JSON.
pub fn sweep(points: &[SweepPoint]) -> Outcome {
    let mut o = Outcome::default();
    let best =
        points.iter().filter_map(|p| p.silhouette.map(|s| (p.k, s))).max_by(|a, b| a.1.total_cmp(&b.1));
    o.metric("best_k", best.map(|b| b.0 as f64));
    o.metric("best_silhouette", best.map(|b| b.1));
    o.artifact("sweep.json", JSON, serde_json::to_string(points).unwrap_or_default());
    o
}

/// Temporal patterns: k, silhouette and inertia; each pattern's name, size and peak hour.
pub fn temporal(view: &TemporalView) -> Outcome {
    let r = &view.report;
    let mut o = Outcome::default();
    o.metric("k", r.k as f64);
    o.metric("silhouette", r.silhouette);
    o.metric("inertia", r.inertia);
    o.metric("incidents", r.incidents as f64);
    let patterns: Vec<Value> = r
        .patterns
        .iter()
        .map(|p| json!({"label": p.label, "incidents": p.incidents, "share": p.share, "peak_hour": p.peak_hour}))
        .collect();
    o.artifact("patterns.json", JSON, Value::Array(patterns).to_string());
    o
}

/// PCA: variance explained by the first three components and how many reach 70 % and 90 %; the
/// loadings as JSON.
pub fn pca(view: &PcaView) -> Outcome {
    let p = &view.pca;
    let mut o = Outcome::default();
    for (i, v) in p.explained_variance_ratio.iter().take(3).enumerate() {
        o.metric(&format!("explained_pc{}", i + 1), *v);
    }
    o.metric("components_for_70", p.components_for_70 as f64);
    o.metric("components_for_90", p.components_for_90 as f64);
    o.metric("rows", p.rows as f64);
    let loadings =
        json!({"features": p.features, "components": p.components.iter().take(3).collect::<Vec<_>>()});
    o.artifact("loadings.json", JSON, loadings.to_string());
    o
}

/// A t-SNE or UMAP map: its trustworthiness and size (the points stay out: too big to keep).
pub fn embed(view: &EmbedView) -> Outcome {
    let mut o = Outcome::default();
    o.metric("trustworthiness", view.trustworthiness);
    o.metric("points", view.xy.len() as f64);
    o.metric("dropped", view.dropped as f64);
    o
}

/// The risk grid: hot and cold cells (Gi*), hotspots and the top score; the hotspots as GeoJSON.
pub fn risk(view: &RiskView) -> Outcome {
    let m = &view.model;
    let mut o = Outcome::default();
    o.metric("hot_cells", m.hot_cells as f64);
    o.metric("cold_cells", m.cold_cells as f64);
    o.metric("incidents", m.incidents as f64);
    o.metric("hotspots", view.hotspots.len() as f64);
    o.metric("top_score", view.hotspots.first().map(|h| h.score));
    let features = view
        .hotspots
        .iter()
        .map(|h| {
            point(
                h.lat,
                h.lon,
                json!({"rank": h.rank, "score": h.score, "incidents": h.incidents, "why": h.why}),
            )
        })
        .collect();
    o.artifact("hotspots.geojson", GEOJSON, collection(features));
    o
}

/// A patrol route: length, driving time, risk collected and its rate, stops missed, and the
/// optimised route's coverage against the naive order at the first departure; the route as
/// GeoJSON.
pub fn route(view: &RouteView) -> Outcome {
    let p = &view.plan;
    let mut o = Outcome::default();
    o.metric("distance_km", p.distance_m / 1000.0);
    o.metric("travel_min", p.travel_time_s / 60.0);
    o.metric("risk", p.risk);
    o.metric("risk_per_min", p.risk_per_min());
    o.metric("unvisited", p.unvisited.len() as f64);
    let covered = |name: &str| {
        let rows: Vec<f64> =
            view.evaluation.rows.iter().filter(|r| r.route == name).map(|r| r.covered).collect();
        (!rows.is_empty()).then(|| rows.iter().sum::<f64>() / rows.len() as f64)
    };
    o.metric("covered_mean", covered("optimised"));
    o.metric("naive_covered_mean", covered("naive"));
    o.artifact("route.geojson", GEOJSON, view.geojson.clone());
    o
}

/// A back-test: for each method, PAI, PEI and hit rate at the first coverage asked; the curves as
/// JSON.
pub fn backtest(view: &Backtest) -> Outcome {
    let mut o = Outcome::default();
    for m in &view.methods {
        if let Some(first) = m.metrics.first() {
            let key = m.method.key();
            o.metric(&format!("{key}.pai"), first.pai);
            o.metric(&format!("{key}.pei"), first.pei);
            o.metric(&format!("{key}.hit_rate"), first.hit_rate);
        }
    }
    o.metric("coverage", view.methods.first().and_then(|m| m.metrics.first()).map(|m| m.coverage));
    o.metric("test_outside", view.test_outside as f64);
    let curves: Vec<Value> = view
        .methods
        .iter()
        .map(|m| json!({"method": m.method.key(), "label": m.label, "curve": m.curve}))
        .collect();
    let chart = json!({"coverage": view.curve, "methods": curves, "oracle": view.oracle_curve});
    o.artifact("curves.json", JSON, chart.to_string());
    o
}
