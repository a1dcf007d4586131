//! EDA and filters on the real 500,000-row sample give what Chicago's data is known to give.

use patroliq_core::eda::{Eda, CORRELATED};
use patroliq_core::features::all_rows;
use patroliq_core::filter::Filter;
use patroliq_core::shared_data;

#[test]
fn eda_of_the_real_sample_is_plausible_and_filters_agree() {
    let t = shared_data::sample();
    let all = Eda::of(&t, &all_rows(&t));
    assert_eq!(all.rows, 495_829);
    assert_eq!(all.types.iter().map(|s| s.count).sum::<u64>(), all.rows);
    assert_eq!(all.by_week.iter().map(|w| w.1).sum::<u64>(), all.rows);
    assert_eq!(all.hour_weekday.iter().flatten().sum::<u64>(), all.rows);
    assert_eq!(all.types[0].primary_type, "THEFT");
    // Late February 2016 to December 2017: 23 months, ~97 weeks.
    assert_eq!(all.by_month.len(), 23);
    assert!((95..=100).contains(&all.by_week.len()), "{}", all.by_week.len());
    // Chicago's daily low is around 05:00, the high from noon to midnight.
    assert!(all.by_hour[5] * 2 < all.by_hour[12]);
    // Narcotics incidents are nearly all arrests; battery is the most domestic common type.
    let stat = |name: &str| all.types.iter().find(|s| s.primary_type == name).unwrap();
    assert!(stat("NARCOTICS").arrest_rate.unwrap() > 0.95);
    assert!(stat("THEFT").arrest_rate.unwrap() < 0.2);
    assert!(stat("BATTERY").domestic_share.unwrap() > 0.3);
    // Murder (01A) scores 10, reckless homicide (01B) 9.
    assert!((9.9..=10.0).contains(&stat("HOMICIDE").severity));
    assert_eq!(all.top_locations[0].0, "STREET");
    assert_eq!(all.districts.len(), 23, "22 districts and 31 (a few airport/forest rows)");
    // The correlation matrix: symmetric, unit diagonal, x linear in longitude.
    let c = &all.correlation;
    let i = |name: &str| CORRELATED.iter().position(|s| *s == name).unwrap();
    for a in 0..c.features.len() {
        assert_eq!(c.values[a][a], Some(1.0), "{}", c.features[a]);
        for b in 0..c.features.len() {
            assert_eq!(c.values[a][b], c.values[b][a]);
        }
    }
    assert!(c.values[i("x_m")][i("longitude")].unwrap() > 0.9999);
    assert!(c.values[i("hour_cos")][i("is_night")].unwrap() > 0.5, "night hours are near midnight");

    // A filter: thefts of 2017 with an arrest.
    let (f, problems) = Filter::from_query("from=2017-01-01&to=2017-12-31&type=THEFT&arrest=yes");
    assert!(problems.is_empty());
    let rows = f.select(&t);
    let e = Eda::of(&t, &rows);
    assert_eq!(e.rows as usize, rows.len());
    assert_eq!(e.types.len(), 1);
    assert_eq!(e.arrest_rate, Some(1.0));
    assert_eq!(e.by_month.len(), 12);
    assert!(e.date_min.unwrap().starts_with("2017-01-01"));
    let theft_2017 = Filter::from_query("from=2017-01-01&to=2017-12-31&type=THEFT").0.select(&t).len();
    let share = e.rows as f64 / theft_2017 as f64;
    assert!((share - stat("THEFT").arrest_rate.unwrap()).abs() < 0.03, "{share}");
}
