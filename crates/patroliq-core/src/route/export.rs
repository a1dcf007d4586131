//! A plan for a tablet's navigation app (GPX), a GIS (GeoJSON) or a spreadsheet (CSV).

use serde_json::json;

use super::plan::{clock, RoutePlan};
use crate::export::csv_field;

fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// GPX 1.1: a waypoint per stop, a route per car (the stops in order, what navigation apps
/// follow) and a track per car (the drawn path).
pub fn gpx(plan: &RoutePlan) -> String {
    let p = &plan.params;
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" creator=\"PatrolIQ\" \
         xmlns=\"http://www.topografix.com/GPX/1/1\">\n",
    );
    s.push_str(&format!(
        "  <wpt lat=\"{:.6}\" lon=\"{:.6}\"><name>Start: {}</name></wpt>\n",
        p.start.0,
        p.start.1,
        xml(&p.start_name)
    ));
    for c in &plan.cars {
        for (i, v) in c.visits.iter().enumerate() {
            s.push_str(&format!(
                "  <wpt lat=\"{:.6}\" lon=\"{:.6}\"><name>{}. {}</name><desc>Car {} stop {}: hotspot #{}, ETA {}; {}</desc></wpt>\n",
                v.lat,
                v.lon,
                i + 1,
                xml(&v.name()),
                c.car,
                i + 1,
                v.rank,
                clock(p.depart_min, v.eta_s),
                xml(&v.why)
            ));
        }
    }
    for c in &plan.cars {
        s.push_str(&format!("  <rte><name>PatrolIQ car {}</name>\n", c.car));
        for (i, w) in c.waypoints.iter().enumerate() {
            let name = if i == 0 || i + 1 == c.waypoints.len() {
                "Start".to_string()
            } else {
                format!("{i}. {}", xml(&c.visits[i - 1].name()))
            };
            s.push_str(&format!(
                "    <rtept lat=\"{:.6}\" lon=\"{:.6}\"><name>{name}</name></rtept>\n",
                w[0], w[1]
            ));
        }
        s.push_str("  </rte>\n");
    }
    for c in &plan.cars {
        s.push_str(&format!("  <trk><name>PatrolIQ car {} path</name><trkseg>\n", c.car));
        for w in &c.path {
            s.push_str(&format!("    <trkpt lat=\"{:.6}\" lon=\"{:.6}\"/>\n", w[0], w[1]));
        }
        s.push_str("  </trkseg></trk>\n");
    }
    s.push_str("</gpx>\n");
    s
}

/// GeoJSON (RFC 7946, [lon, lat]): a LineString per car and a Point per stop.
pub fn geojson(plan: &RoutePlan) -> String {
    let p = &plan.params;
    let mut features = vec![json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [p.start.1, p.start.0]},
        "properties": {"kind": "start", "name": p.start_name},
    })];
    for c in &plan.cars {
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": c.path.iter().map(|w| [w[1], w[0]]).collect::<Vec<_>>()},
            "properties": {"kind": "route", "car": c.car, "distance_m": c.distance_m, "travel_time_s": c.travel_time_s, "risk": c.risk},
        }));
        for (i, v) in c.visits.iter().enumerate() {
            features.push(json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [v.lon, v.lat]},
                "properties": {"kind": "stop", "car": c.car, "order": i + 1, "rank": v.rank, "score": v.score,
                    "incidents": v.incidents, "eta": clock(p.depart_min, v.eta_s), "why": v.why,
                    "name": v.name(), "place": v.place},
            }));
        }
    }
    serde_json::to_string_pretty(&json!({"type": "FeatureCollection", "features": features})).expect("JSON")
}

/// One row per waypoint: car, order, kind, hotspot rank, lat, lon, ETA.
pub fn csv(plan: &RoutePlan) -> String {
    let p = &plan.params;
    let mut name = String::new();
    csv_field(&mut name, &p.start_name);
    let mut s =
        String::from("car,order,kind,name,rank,latitude,longitude,eta,community_area,district,blocks\n");
    for c in &plan.cars {
        let depart = clock(p.depart_min, 0.0);
        s.push_str(&format!("{},0,start,{},,{:.6},{:.6},{depart},,,\n", c.car, name, p.start.0, p.start.1));
        for (i, v) in c.visits.iter().enumerate() {
            let field = |v: &str| {
                let mut f = String::new();
                csv_field(&mut f, v);
                f
            };
            s.push_str(&format!(
                "{},{},stop,{},{},{:.6},{:.6},{},{},{},{}\n",
                c.car,
                i + 1,
                field(&v.name()),
                v.rank,
                v.lat,
                v.lon,
                clock(p.depart_min, v.eta_s),
                field(v.place.community_area.as_deref().unwrap_or("")),
                field(v.place.district.as_deref().unwrap_or("")),
                field(&v.place.blocks.join("; ")),
            ));
        }
        s.push_str(&format!(
            "{},{},end,{},,{:.6},{:.6},{},,,\n",
            c.car,
            c.visits.len() + 1,
            name,
            p.start.0,
            p.start.1,
            clock(p.depart_min, c.duration_s)
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::unproject;
    use crate::risk::hotspots::Hotspot;
    use crate::route::plan::RouteParams;
    use crate::route::travel::StreetGrid;

    fn plan() -> RoutePlan {
        let h: Vec<Hotspot> = [(1000.0, 0.0), (1000.0, 1000.0)]
            .iter()
            .enumerate()
            .map(|(i, &(x, y))| {
                let (lat, lon) = unproject(x, y);
                Hotspot { why: "a <b> & \"c\"".into(), ..Hotspot::at(i + 1, lat, lon, 0.5) }
            })
            .collect();
        let (la, lo) = unproject(0.0, 0.0);
        let v = RouteParams {
            start: (la, lo),
            start_name: "HQ, \"main\"".into(),
            depart_min: 23 * 60 + 58,
            ..RouteParams::default()
        }
        .check()
        .unwrap();
        v.plan(&v.prepare(&h, &mut StreetGrid).unwrap())
    }

    #[test]
    fn gpx_has_a_route_point_per_waypoint_and_escapes_text() {
        let g = gpx(&plan());
        assert_eq!(g.matches("<rtept").count(), 4);
        assert_eq!(g.matches("<wpt").count(), 3);
        assert!(g.contains("a &lt;b&gt; &amp; &quot;c&quot;"));
        assert!(!g.contains("<b>"));
        // 23:58 + 1.5 min past midnight.
        assert!(g.contains("ETA 00:00") || g.contains("ETA 23:59"), "{g}");
    }

    #[test]
    fn geojson_is_lon_lat_and_csv_quotes() {
        let p = plan();
        let v: serde_json::Value = serde_json::from_str(&geojson(&p)).unwrap();
        let f = v["features"].as_array().unwrap();
        assert_eq!(f.len(), 4);
        assert!(f[0]["geometry"]["coordinates"][0].as_f64().unwrap() < -87.0);
        let c = csv(&p);
        assert_eq!(c.lines().count(), 5);
        assert!(c.contains("\"HQ, \"\"main\"\"\""), "{c}");
    }
}
