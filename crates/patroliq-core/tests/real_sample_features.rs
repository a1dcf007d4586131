//! Feature statistics on the real 500,000-row sample are what Chicago data should give.

use patroliq_core::features::{compute, CATALOGUE};
use patroliq_core::shared_data;

fn mean(v: &[f64]) -> f64 {
    let finite: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    finite.iter().sum::<f64>() / finite.len() as f64
}

#[test]
fn feature_statistics_on_the_real_sample_are_plausible() {
    let t = shared_data::sample();
    let f = compute(&t);
    assert_eq!(f.rows(), t.len());
    assert_eq!(f.columns.len(), CATALOGUE.len());
    let col = |n: &str| f.column(n).unwrap();
    // Two weekend days in seven; a bit over a third at night (20:00–05:59).
    assert!((0.27..0.30).contains(&mean(col("is_weekend"))));
    assert!((0.30..0.40).contains(&mean(col("is_night"))));
    // 11 holidays a year ≈ 3 % of days; fewer incidents on them than on other days.
    let holiday = mean(col("is_holiday"));
    assert!((0.015..0.030).contains(&holiday), "{holiday}");
    // Everything lies in the city: within 30 km of State & Madison.
    assert!(col("dist_centre_km").iter().all(|&d| (0.0..30.0).contains(&d)));
    let d = mean(col("dist_centre_km"));
    assert!((8.0..14.0).contains(&d), "{d}");
    // Part I (index) crimes are a bit under half of Chicago's incidents.
    assert!((0.35..0.50).contains(&mean(col("is_index_crime"))));
    // Severity is mostly low (theft, battery, damage), with the full range present.
    let sev = col("severity");
    assert!((2.0..4.0).contains(&mean(sev)));
    assert_eq!(sev.iter().copied().fold(f64::MIN, f64::max), 10.0);
    // Street and residence are the two biggest location groups; "other" stays small.
    let groups = col("location_group");
    let share = |g: f64| groups.iter().filter(|&&x| x == g).count() as f64 / groups.len() as f64;
    assert!(share(0.0) > 0.25 && share(1.0) > 0.25);
    assert!(share(11.0) < 0.10, "other {}", share(11.0));
    // No NaN where the source always has a value.
    for name in ["hour", "x_m", "y_m", "density_250m", "crime_type", "severity"] {
        assert!(col(name).iter().all(|v| v.is_finite()), "{name}");
    }
}
