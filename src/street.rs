//! Street tiles under any map: one conversion of a longitude/latitude figure (its Plotly JSON, as
//! every map of the app is drawn by default: `scatter` and `heatmap` traces on axes at true
//! proportions) into a figure on Plotly's MapLibre map (`scattermap`, `choroplethmap`,
//! `layout.map`) over OpenStreetMap's raster tiles. No map needs code of its own for it.
//!
//! What changes on the way, because MapLibre draws differently from SVG:
//! - `scatter` → `scattermap` (x → lon, y → lat). Marker symbols other than the circle need a
//!   sprite sheet from a server, so every marker is a circle; outlines and dashes are dropped.
//! - Text needs glyphs from a font server (one more third party, and nothing offline), so text is
//!   taken out of the traces and returned as [`Label`]s, which the page draws over the map
//!   (`public/streets.js`); a text-only trace keeps invisible markers for its hover.
//! - `heatmap` → `choroplethmap` of one square per cell (the cell's edges halfway to its
//!   neighbours' centres), on the same colour scale, half transparent over the streets.
//! - The axes become `layout.map`, centred on the data (the traces of the reference layers, in
//!   the legend group [`REFERENCE`], are left out of the fit: their roads run across the city)
//!   at the zoom that fits it in the plot area.
//!
//! Compiled natively too, for its tests.

use serde::Serialize;
use serde_json::{json, Map, Value};

/// The tile server; requests to it carry the tile's coordinates only.
pub const TILES: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
/// Required by the tiles' licence, shown on every street map.
pub const ATTRIBUTION: &str = "© OpenStreetMap contributors";
/// The legend group of the reference layers' traces (roads, outlines, area names).
pub const REFERENCE: &str = "reference";

/// A label drawn over a street map: its point, text, side (Plotly's `textposition`), size and
/// colour.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Label {
    pub lon: f64,
    pub lat: f64,
    pub text: String,
    pub position: String,
    pub size: f64,
    pub colour: String,
    /// A label of the reference layers (an area's name): drawn only where the data's leave room.
    pub reference: bool,
}

/// Whether `figure` is one of the app's maps: longitude on x, latitude on y at the same scale.
pub fn is_map(figure: &Value) -> bool {
    let l = &figure["layout"];
    l["xaxis"]["title"]["text"] == "longitude" && l["yaxis"]["scaleanchor"] == "x"
}

fn numbers(v: &Value) -> Vec<Option<f64>> {
    v.as_array().map_or_else(Vec::new, |a| a.iter().map(Value::as_f64).collect())
}

/// The value of a per-point attribute (an array or one value for all) at point `i`.
fn at(v: &Value, i: usize) -> &Value {
    match v {
        Value::Array(a) => a.get(i).unwrap_or(&Value::Null),
        other => other,
    }
}

/// The style MapLibre draws: a plain background (what shows where a tile is missing) under the
/// OpenStreetMap tiles.
pub fn style() -> Value {
    json!({
        "version": 8,
        "sources": {
            "osm": {
                "type": "raster",
                "tiles": [TILES],
                "tileSize": 256,
                "maxzoom": 19,
                "attribution": ATTRIBUTION,
            }
        },
        "layers": [
            { "id": "background", "type": "background", "paint": { "background-color": "#f3f4f6" } },
            { "id": "osm", "type": "raster", "source": "osm" }
        ]
    })
}

/// Web Mercator's y of a latitude (radians of the projected plane).
fn merc(lat: f64) -> f64 {
    (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0).tan().ln()
}

fn unmerc(y: f64) -> f64 {
    (2.0 * y.exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees()
}

/// The centre (lon, lat) and zoom that fit `extent` (south, west, north, east) in `width` ×
/// `height` pixels, as MapLibre counts zoom (the world is 512 px wide at zoom 0).
pub fn fit(extent: [f64; 4], width: f64, height: f64) -> ((f64, f64), f64) {
    let [s, w, n, e] = extent;
    let (y0, y1) = (merc(s), merc(n));
    let centre = ((w + e) / 2.0, unmerc((y0 + y1) / 2.0));
    let by_x = (width.max(50.0) * 360.0 / (512.0 * (e - w).max(1e-5))).log2();
    let by_y = (height.max(50.0) * std::f64::consts::TAU / (512.0 * (y1 - y0).max(1e-7))).log2();
    // A little room around the data; never closer than the tiles go.
    (centre, (by_x.min(by_y) - 0.3).clamp(1.0, 18.0))
}

fn grow(e: &mut Option<[f64; 4]>, lon: f64, lat: f64) {
    if !(lon.is_finite() && lat.is_finite()) {
        return;
    }
    let b = e.get_or_insert([lat, lon, lat, lon]);
    *b = [b[0].min(lat), b[1].min(lon), b[2].max(lat), b[3].max(lon)];
}

/// `scatter` → `scattermap`, its text taken out into `labels`.
fn scatter(mut t: Map<String, Value>, labels: &mut Vec<Label>) -> Map<String, Value> {
    let reference = t.get("legendgroup").and_then(Value::as_str) == Some(REFERENCE);
    let lon = t.remove("x").unwrap_or(Value::Null);
    let lat = t.remove("y").unwrap_or(Value::Null);
    let mode = t.get("mode").and_then(Value::as_str).unwrap_or("markers").to_owned();
    let text = t.get("text").cloned().unwrap_or(Value::Null);
    let font = t.get("textfont").cloned().unwrap_or(Value::Null);
    if mode.contains("text") {
        let position = t.get("textposition").cloned().unwrap_or(Value::Null);
        for (i, (x, y)) in numbers(&lon).into_iter().zip(numbers(&lat)).enumerate() {
            let (Some(x), Some(y)) = (x, y) else { continue };
            let Some(s) = at(&text, i).as_str().filter(|s| !s.is_empty()) else { continue };
            labels.push(Label {
                lon: x,
                lat: y,
                text: s.to_owned(),
                position: at(&position, i).as_str().unwrap_or("middle center").to_owned(),
                size: at(&font["size"], 0).as_f64().unwrap_or(12.0),
                colour: at(&font["color"], 0).as_str().unwrap_or("#111827").to_owned(),
                reference,
            });
        }
    }
    let mut parts: Vec<&str> = mode.split('+').filter(|m| *m != "text").collect();
    if parts.is_empty() || parts == ["none"] {
        // Text alone (the area names): invisible markers keep its hover.
        parts = vec!["markers"];
        t.insert("marker".into(), json!({ "size": 10, "opacity": 0 }));
    }
    t.insert("mode".into(), Value::from(parts.join("+")));
    for k in ["textposition", "textfont", "meta", "hoveron", "cliponaxis", "xaxis", "yaxis", "connectgaps"] {
        t.remove(k);
    }
    if !t.contains_key("hovertext") && t.get("hoverinfo").and_then(Value::as_str) == Some("text") {
        // The label was the hover text.
        t.insert("hovertext".into(), text);
    }
    t.remove("text");
    if let Some(Value::Object(m)) = t.get_mut("marker") {
        // MapLibre draws circles without a sprite sheet; its circles have no outline.
        let open = m.get("symbol").and_then(Value::as_str).is_some_and(|s| s.ends_with("-open"));
        m.remove("symbol");
        m.remove("line");
        if open {
            m.insert("opacity".into(), json!(0.55));
        }
    }
    if let Some(Value::Object(l)) = t.get_mut("line") {
        l.remove("dash");
    }
    if t.get("fill").and_then(Value::as_str).is_some_and(|f| f != "toself" && f != "none") {
        t.remove("fill");
    }
    // Filled areas let the streets show through.
    if let Some(c) = t.get("fillcolor").and_then(Value::as_str).and_then(translucent) {
        t.insert("fillcolor".into(), Value::from(c));
    }
    t.insert("type".into(), Value::from("scattermap"));
    t.insert("lon".into(), lon);
    t.insert("lat".into(), lat);
    t
}

/// "#rrggbb" at 60 % opacity; `None` for any other colour form (kept as it is).
fn translucent(c: &str) -> Option<String> {
    let h = c.strip_prefix('#').filter(|h| h.len() == 6)?;
    let v = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some(format!("rgba({},{},{},0.6)", v(0)?, v(2)?, v(4)?))
}

/// Cell edges halfway between centres (the outer ones as far out as the inner).
fn edges(c: &[f64]) -> Vec<f64> {
    match c.len() {
        0 => Vec::new(),
        1 => vec![c[0] - 0.001, c[0] + 0.001],
        n => {
            let mut e = Vec::with_capacity(n + 1);
            e.push(c[0] - (c[1] - c[0]) / 2.0);
            e.extend(c.windows(2).map(|w| (w[0] + w[1]) / 2.0));
            e.push(c[n - 1] + (c[n - 1] - c[n - 2]) / 2.0);
            e
        }
    }
}

/// `heatmap` → `choroplethmap` of its non-empty cells; `None` when its axes are not numbers.
fn heatmap(t: &Map<String, Value>) -> Option<Map<String, Value>> {
    let xs: Vec<f64> = numbers(t.get("x")?).into_iter().collect::<Option<_>>()?;
    let ys: Vec<f64> = numbers(t.get("y")?).into_iter().collect::<Option<_>>()?;
    let (ex, ey) = (edges(&xs), edges(&ys));
    let rows = t.get("z")?.as_array()?;
    let (mut features, mut ids, mut z, mut at) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (r, row) in rows.iter().enumerate().take(ys.len()) {
        for (c, v) in row.as_array()?.iter().enumerate().take(xs.len()) {
            let Some(v) = v.as_f64() else { continue };
            let id = format!("{r}-{c}");
            let (w, e, s, n) = (ex[c], ex[c + 1], ey[r], ey[r + 1]);
            features.push(json!({
                "type": "Feature", "id": id, "properties": {},
                "geometry": { "type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]] }
            }));
            ids.push(Value::from(id));
            z.push(v);
            at.push(json!([xs[c], ys[r]]));
        }
    }
    let mut out = Map::new();
    out.insert("type".into(), Value::from("choroplethmap"));
    out.insert("geojson".into(), json!({ "type": "FeatureCollection", "features": features }));
    out.insert("locations".into(), Value::from(ids));
    out.insert("z".into(), json!(z));
    // The hover's %{x} and %{y} were the cell's centre: its customdata here.
    out.insert("customdata".into(), Value::from(at));
    for k in ["colorscale", "reversescale", "zmin", "zmax", "zmid", "zauto", "name", "colorbar", "showscale"]
    {
        if let Some(v) = t.get(k) {
            out.insert(k.into(), v.clone());
        }
    }
    if let Some(h) = t.get("hovertemplate").and_then(Value::as_str) {
        let h = h.replace("%{x", "%{customdata[0]").replace("%{y", "%{customdata[1]");
        out.insert("hovertemplate".into(), Value::from(h));
    }
    out.insert("marker".into(), json!({ "opacity": 0.6, "line": { "width": 0 } }));
    Some(out)
}

/// `figure` (a map: [`is_map`]) on street tiles in a plot area of `width` × `height` pixels, and
/// the labels to draw over it; `None` when a trace has no map form (it is drawn without tiles).
pub fn to_street(figure: &Value, width: f64, height: f64) -> Option<(Value, Vec<Label>)> {
    let mut labels = Vec::new();
    let (mut data, mut data_extent, mut all_extent) = (Vec::new(), None, None);
    for t in figure["data"].as_array()? {
        let t = t.as_object()?;
        let reference = t.get("legendgroup").and_then(Value::as_str) == Some(REFERENCE);
        let kind = t.get("type").and_then(Value::as_str).unwrap_or("scatter");
        let (xs, ys) = (numbers(&t["x"]), numbers(&t["y"]));
        let mut points = Vec::new();
        if kind == "heatmap" {
            // The grid's corners.
            points.extend([(xs.first(), ys.first()), (xs.last(), ys.last())].into_iter().filter_map(|p| {
                match p {
                    (Some(Some(x)), Some(Some(y))) => Some((*x, *y)),
                    _ => None,
                }
            }));
        } else {
            points.extend(xs.iter().zip(&ys).filter_map(|p| Some(((*p.0)?, (*p.1)?))));
        }
        for &(x, y) in &points {
            grow(&mut all_extent, x, y);
            if !reference {
                grow(&mut data_extent, x, y);
            }
        }
        data.push(Value::Object(match kind {
            "scatter" => scatter(t.clone(), &mut labels),
            "heatmap" => heatmap(t)?,
            _ => return None,
        }));
    }
    let extent = data_extent.or(all_extent)?;
    // The data's labels first: where labels would overlap, the first placed stays.
    labels.sort_by_key(|l| l.reference);
    let mut layout = figure["layout"].as_object()?.clone();
    let margin = &figure["layout"]["margin"];
    let side = |k: &str, d: f64| margin[k].as_f64().unwrap_or(d);
    let w = width - side("l", 80.0) - side("r", 80.0);
    let h = height - side("t", 100.0) - side("b", 80.0);
    let ((lon, lat), zoom) = fit(extent, w, h);
    layout.remove("xaxis");
    layout.remove("yaxis");
    layout.insert(
        "map".into(),
        json!({ "style": style(), "center": { "lon": lon, "lat": lat }, "zoom": zoom }),
    );
    let mut out = figure.clone();
    out["data"] = Value::from(data);
    out["layout"] = Value::Object(layout);
    Some((out, labels))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure() -> Value {
        json!({
            "data": [
                { "type": "scatter", "x": [-87.9, null, -87.5], "y": [41.6, null, 42.0], "mode": "lines",
                  "legendgroup": REFERENCE, "line": { "dash": "dash", "color": "#999" }, "name": "police districts" },
                { "type": "scatter", "x": [-87.62, -87.65], "y": [41.88, 41.90], "mode": "text",
                  "text": ["Loop", "Near North Side"], "textfont": { "size": 9, "color": "#555" },
                  "hovertext": ["Loop (1)", "Near North Side (8)"], "hoverinfo": "text", "legendgroup": REFERENCE },
                { "type": "scatter", "x": [-87.63, -87.64], "y": [41.88, 41.89], "mode": "markers+text",
                  "text": ["1 · 100 N State St", "2 · 0 W Lake St"], "textposition": ["middle right", "top left"],
                  "marker": { "symbol": "star", "size": 14, "line": { "width": 1.5 } }, "name": "hotspots" },
                { "type": "scatter", "x": [-87.7, -87.6, -87.6, -87.7], "y": [41.8, 41.8, 41.9, 41.9],
                  "mode": "lines", "fill": "toself", "fillcolor": "#fd8d3c", "name": "8.0 – 16.0" },
                { "type": "heatmap", "x": [-87.7, -87.6], "y": [41.8, 41.9], "z": [[1.0, null], [3.0, 4.0]],
                  "colorscale": "YlOrRd", "hovertemplate": "%{z} at %{y:.4f}, %{x:.4f}<extra></extra>" }
            ],
            "layout": {
                "height": 560, "margin": { "l": 60, "r": 20, "t": 48, "b": 48 },
                "xaxis": { "title": { "text": "longitude" } },
                "yaxis": { "title": { "text": "latitude" }, "scaleanchor": "x", "scaleratio": 1.34 }
            }
        })
    }

    #[test]
    fn a_lon_lat_figure_becomes_a_scattermap_figure_on_osm_tiles() {
        let f = figure();
        assert!(is_map(&f));
        let (s, labels) = to_street(&f, 600.0, 560.0).expect("converts");
        assert!(!is_map(&s));
        let d = s["data"].as_array().unwrap();
        assert_eq!(d.len(), 5);
        // x → lon, y → lat, gaps kept; dashes and marker symbols dropped.
        assert_eq!(d[0]["type"], "scattermap");
        assert_eq!(d[0]["lon"], json!([-87.9, null, -87.5]));
        assert_eq!(d[0]["lat"], json!([41.6, null, 42.0]));
        assert!(d[0].get("x").is_none() && d[0]["line"].get("dash").is_none());
        assert!(d[2]["marker"].get("symbol").is_none() && d[2]["marker"].get("line").is_none());
        // Text goes to the labels; a text-only trace keeps invisible markers with its hover.
        assert_eq!(d[1]["mode"], "markers");
        assert_eq!(d[1]["marker"]["opacity"], 0);
        assert_eq!(d[1]["hovertext"], json!(["Loop (1)", "Near North Side (8)"]));
        assert_eq!(d[2]["mode"], "markers");
        // The data's labels before the area names.
        let texts: Vec<&str> = labels.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["1 · 100 N State St", "2 · 0 W Lake St", "Loop", "Near North Side"]);
        assert_eq!(labels[1].position, "top left");
        assert_eq!((labels[2].size, labels[2].colour.as_str(), labels[2].reference), (9.0, "#555", true));
        // A filled area stays filled, the streets showing through.
        assert_eq!(
            (d[3]["fill"].as_str(), d[3]["fillcolor"].as_str()),
            (Some("toself"), Some("rgba(253,141,60,0.6)"))
        );
        // The heatmap: one square per non-empty cell, same scale, hover on the cell's centre.
        assert_eq!(d[4]["type"], "choroplethmap");
        assert_eq!(d[4]["locations"], json!(["0-0", "1-0", "1-1"]));
        assert_eq!(d[4]["z"], json!([1.0, 3.0, 4.0]));
        assert_eq!(d[4]["colorscale"], "YlOrRd");
        assert_eq!(d[4]["customdata"][2], json!([-87.6, 41.9]));
        assert_eq!(
            d[4]["hovertemplate"],
            "%{z} at %{customdata[1]:.4f}, %{customdata[0]:.4f}<extra></extra>"
        );
        let ring = &d[4]["geojson"]["features"][0]["geometry"]["coordinates"][0];
        assert_eq!(ring[0], json!([-87.75, 41.75]));
        let near = |v: &Value, x: f64| (v.as_f64().unwrap() - x).abs() < 1e-9;
        assert!(near(&ring[2][0], -87.65) && near(&ring[2][1], 41.85), "{ring}");
        // The layout: no axes, the OSM raster style, centred on the data (not the reference roads).
        let l = &s["layout"];
        assert!(l.get("xaxis").is_none() && l.get("yaxis").is_none());
        let src = &l["map"]["style"]["sources"]["osm"];
        assert_eq!(src["tiles"][0], TILES);
        assert_eq!(src["tileSize"], 256);
        assert_eq!(src["attribution"], ATTRIBUTION);
        let (lon, lat) =
            (l["map"]["center"]["lon"].as_f64().unwrap(), l["map"]["center"]["lat"].as_f64().unwrap());
        assert!((lon - -87.65).abs() < 1e-9, "{lon}");
        assert!((41.84..41.86).contains(&lat), "{lat}");
        let zoom = l["map"]["zoom"].as_f64().unwrap();
        assert!((10.0..13.0).contains(&zoom), "{zoom}");
    }

    #[test]
    fn the_fitted_zoom_shows_the_whole_extent_and_no_more_than_needed() {
        // The city, 41.64–42.02 N and 87.94–87.52 W, in 500 × 600 px.
        let e = [41.64, -87.94, 42.02, -87.52];
        let ((lon, lat), z) = fit(e, 500.0, 600.0);
        let world = 512.0 * 2f64.powf(z);
        let w = (e[3] - e[1]) / 360.0 * world;
        let h = (merc(e[2]) - merc(e[0])) / std::f64::consts::TAU * world;
        assert!(w <= 500.0 && h <= 600.0, "{w} × {h}");
        assert!(w > 400.0 || h > 480.0, "{w} × {h}: room to zoom in");
        assert!((lon - -87.73).abs() < 1e-9);
        assert!(lat > 41.64 && lat < 42.02);
    }

    #[test]
    fn figures_that_are_not_maps_or_have_no_map_form_are_left_alone() {
        assert!(!is_map(&json!({ "data": [], "layout": { "xaxis": { "title": { "text": "hour" } } } })));
        let mut f = figure();
        f["data"].as_array_mut().unwrap().push(json!({ "type": "bar", "x": [1], "y": [2] }));
        assert!(to_street(&f, 600.0, 560.0).is_none());
    }
}
