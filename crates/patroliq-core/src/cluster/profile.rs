//! What each hotspot is: its outline (convex hull) and area, its top crime types, its peak hour
//! and arrest rate; and a documented random sample of points for the map (a browser map of
//! 500,000 markers would be slow and unreadable; the hulls and centres use every point).

use geo::{Area, ConvexHull, MultiPoint, Point};
use rand::seq::index::sample;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::Points;
use crate::features::unproject;
use crate::model::{CrimeTable, NULL_U8};

/// One cluster's profile; clusters in the order of [`super::report::ClusterReport::sizes`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterProfile {
    pub size: u64,
    /// Convex hull, closed ring of [latitude, longitude].
    pub hull: Vec<[f64; 2]>,
    /// Area of the hull, km².
    pub area_km2: f64,
    /// The three most frequent crime types, with counts.
    pub top_types: Vec<(String, u64)>,
    /// Hour of day (0–23) with the most incidents.
    pub peak_hour: u8,
    /// Among incidents with a known arrest flag, 0–1.
    pub arrest_rate: Option<f64>,
}

/// Points drawn for the map: a uniform sample of at most `size` points, with their cluster.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MapSample {
    pub lat: Vec<f32>,
    pub lon: Vec<f32>,
    pub label: Vec<i32>,
    /// Points in the run, of which these are a sample.
    pub of: u64,
}

/// Profiles of clusters 0..k; `rows[i]` is the table row of point `i`, `labels[i]` its cluster.
pub fn profiles(
    t: &CrimeTable,
    rows: &[u32],
    points: &Points,
    labels: &[i32],
    k: usize,
) -> Vec<ClusterProfile> {
    let types = t.primary_type.values().len();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (i, &l) in labels.iter().enumerate() {
        if l >= 0 {
            members[l as usize].push(i);
        }
    }
    members
        .iter()
        .map(|m| {
            let hull = MultiPoint::from(
                m.iter().map(|&i| Point::new(points.xy[i][0], points.xy[i][1])).collect::<Vec<_>>(),
            )
            .convex_hull();
            let ring = hull
                .exterior()
                .points()
                .map(|p| {
                    let (lat, lon) = unproject(p.x(), p.y());
                    [lat, lon]
                })
                .collect();
            let mut by_type = vec![0u64; types];
            let mut by_hour = [0u64; 24];
            let (mut arrests, mut known) = (0u64, 0u64);
            for &i in m {
                let r = rows[i] as usize;
                by_type[t.primary_type.code(r) as usize] += 1;
                by_hour[(t.date.get(r).rem_euclid(86_400) / 3600) as usize] += 1;
                if t.arrest[r] != NULL_U8 {
                    known += 1;
                    arrests += u64::from(t.arrest[r]);
                }
            }
            let mut top: Vec<(String, u64)> = by_type
                .iter()
                .enumerate()
                .filter(|(_, &n)| n > 0)
                .map(|(c, &n)| (t.primary_type.values()[c].clone(), n))
                .collect();
            top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            top.truncate(3);
            let peak = (0..24).max_by_key(|&h| (by_hour[h], std::cmp::Reverse(h))).unwrap_or(0);
            ClusterProfile {
                size: m.len() as u64,
                hull: ring,
                area_km2: hull.unsigned_area() / 1e6,
                top_types: top,
                peak_hour: peak as u8,
                arrest_rate: (known > 0).then(|| arrests as f64 / known as f64),
            }
        })
        .collect()
}

/// A uniform sample (seeded) of at most `size` points for the map.
pub fn map_sample(points: &Points, labels: &[i32], size: usize, seed: u64) -> MapSample {
    let n = points.len();
    let mut idx: Vec<usize> = if n <= size {
        (0..n).collect()
    } else {
        sample(&mut ChaCha8Rng::seed_from_u64(seed), n, size).into_vec()
    };
    idx.sort_unstable();
    let mut m = MapSample { of: n as u64, ..Default::default() };
    for i in idx {
        let (lat, lon) = unproject(points.xy[i][0], points.xy[i][1]);
        m.lat.push(lat as f32);
        m.lon.push(lon as f32);
        m.label.push(labels[i]);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::all_rows;
    use crate::load::{load_bytes, LoadOptions};

    #[test]
    fn hull_area_types_hour_and_arrests_of_each_cluster() {
        // Cluster 0: a 0.01° square around State & Madison (≈ 1.11 km × 0.83 km), thefts at 14:00.
        let csv = "Date,Primary Type,Arrest,Latitude,Longitude\n\
            2017-01-01T14:00:00,THEFT,true,41.88,-87.63\n\
            2017-01-01T14:30:00,THEFT,false,41.89,-87.63\n\
            2017-01-01T15:00:00,BATTERY,false,41.89,-87.62\n\
            2017-01-01T14:10:00,THEFT,,41.88,-87.62\n\
            2017-01-01T02:00:00,ROBBERY,true,41.75,-87.60\n";
        let t = load_bytes("t", csv.as_bytes(), LoadOptions::default()).unwrap().table;
        let rows = all_rows(&t);
        let pts = Points::of(&t, &rows);
        let p = profiles(&t, &rows, &pts, &[0, 0, 0, 0, 1], 2);
        assert_eq!(p[0].size, 4);
        assert_eq!(p[0].top_types[0], ("THEFT".to_string(), 3));
        assert_eq!(p[0].peak_hour, 14);
        assert_eq!(p[0].arrest_rate, Some(1.0 / 3.0));
        // 1,111.95 m × 828.6 m (cos 41.88°).
        assert!((p[0].area_km2 - 0.9214).abs() < 0.002, "{}", p[0].area_km2);
        assert_eq!(p[0].hull.first(), p[0].hull.last(), "closed ring");
        assert_eq!((p[1].size, p[1].area_km2, p[1].peak_hour), (1, 0.0, 2));
        let m = map_sample(&pts, &[0, 0, 0, 0, 1], 3, 1);
        assert_eq!((m.lat.len(), m.of), (3, 5));
        assert_eq!(map_sample(&pts, &[0, 0, 0, 0, 1], 3, 1), m, "seeded");
    }
}
