//! Plain-language names for temporal patterns: "Weekend late nights", "Weekday afternoons,
//! summer". The part of the day comes from the pattern's centre hour (the circular mean of its
//! incidents' hours, so 23:00 and 01:00 average to midnight, not noon); the days and the season
//! from how its incidents spread over the week and the year, compared with an even spread.

use super::Pattern;

/// Circular mean of an hour histogram, in hours 0–24 (0 when the hours cancel out).
pub fn circular_mean(by_hour: &[u64]) -> f64 {
    let (s, c) = resultant(by_hour);
    if s == 0.0 && c == 0.0 {
        return 0.0;
    }
    (s.atan2(c).to_degrees() / 15.0).rem_euclid(24.0)
}

/// Mean sine and cosine of the hours: its length is 1 when all fall in one hour, 0 when spread
/// evenly around the clock.
fn resultant(by_hour: &[u64]) -> (f64, f64) {
    let n: u64 = by_hour.iter().sum();
    if n == 0 {
        return (0.0, 0.0);
    }
    let (mut s, mut c) = (0.0, 0.0);
    for (h, &k) in by_hour.iter().enumerate() {
        let a = std::f64::consts::TAU * h as f64 / 24.0;
        s += k as f64 * a.sin();
        c += k as f64 * a.cos();
    }
    (s / n as f64, c / n as f64)
}

/// The part of the day an hour (0–24) falls in.
pub fn part_of_day(hour: f64) -> &'static str {
    match hour {
        h if (5.0..12.0).contains(&h) => "mornings",
        h if (12.0..17.0).contains(&h) => "afternoons",
        h if (17.0..21.0).contains(&h) => "evenings",
        h if (21.0..24.0).contains(&h) => "nights",
        _ => "late nights",
    }
}

const SEASONS: [(&str, [usize; 3]); 4] =
    [("winter", [11, 0, 1]), ("spring", [2, 3, 4]), ("summer", [5, 6, 7]), ("autumn", [8, 9, 10])];

/// The name of one pattern (before duplicates are told apart).
pub fn name(p: &Pattern) -> String {
    let (s, c) = resultant(&p.by_hour);
    // Below this length the hours are too spread for one part of the day to describe them.
    let part = if (s * s + c * c).sqrt() < 0.2 { "around the clock" } else { part_of_day(p.centre_hour) };
    // An even spread puts 2/7 ≈ 29 % of incidents on Saturday and Sunday.
    let days = match p.weekend_share {
        w if w >= 0.5 => "Weekend",
        w if w <= 0.12 => "Weekday",
        _ => "All-week",
    };
    let months: u64 = p.by_month.iter().sum::<u64>().max(1);
    let season = SEASONS
        .iter()
        .map(|(n, ms)| (*n, ms.iter().map(|&m| p.by_month[m]).sum::<u64>() as f64 / months as f64))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .filter(|&(_, share)| share >= 0.4)
        .map(|(n, _)| n);
    match season {
        Some(s) => format!("{days} {part}, {s}"),
        None => format!("{days} {part}"),
    }
}

/// Names every pattern; patterns that would share a name are told apart by their peak hour, then
/// by number.
pub fn name_all(patterns: &mut [Pattern]) {
    let names: Vec<String> = patterns.iter().map(name).collect();
    let mut out = names.clone();
    for (i, p) in patterns.iter().enumerate() {
        if names.iter().filter(|n| **n == names[i]).count() > 1 {
            out[i] = format!("{} (peak {:02}:00)", names[i], p.peak_hour);
        }
    }
    for i in 0..out.len() {
        let same = out[..i].iter().filter(|n| **n == out[i]).count();
        if same > 0 {
            out[i] = format!("{} #{}", out[i], same + 1);
        }
    }
    for (p, n) in patterns.iter_mut().zip(out) {
        p.label = n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(hours: &[(usize, u64)], weekend_share: f64, months: &[(usize, u64)]) -> Pattern {
        let mut by_hour = vec![0; 24];
        hours.iter().for_each(|&(h, n)| by_hour[h] = n);
        let mut by_month = vec![0; 12];
        months.iter().for_each(|&(m, n)| by_month[m] = n);
        Pattern {
            label: String::new(),
            incidents: 0,
            share: 0.0,
            centre: vec![],
            centre_hour: circular_mean(&by_hour),
            peak_hour: 0,
            weekend_share,
            by_hour,
            by_weekday: vec![0; 7],
            by_month,
            hour_weekday: vec![],
            top_types: vec![],
        }
    }

    #[test]
    fn the_circular_mean_wraps_midnight() {
        let mut h = vec![0; 24];
        (h[23], h[1]) = (5, 5);
        assert!(circular_mean(&h) < 1e-9 || (circular_mean(&h) - 24.0).abs() < 1e-9);
        let mut h = vec![0; 24];
        (h[13], h[15]) = (1, 1);
        assert!((circular_mean(&h) - 14.0).abs() < 1e-9);
    }

    #[test]
    fn names_say_days_part_and_season() {
        let all_year: Vec<(usize, u64)> = (0..12).map(|m| (m, 10)).collect();
        assert_eq!(name(&pattern(&[(1, 10), (2, 10)], 0.6, &all_year)), "Weekend late nights");
        assert_eq!(name(&pattern(&[(14, 10)], 0.05, &[(6, 10), (7, 10)])), "Weekday afternoons, summer");
        assert_eq!(name(&pattern(&[(19, 1)], 0.3, &all_year)), "All-week evenings");
        let flat: Vec<(usize, u64)> = (0..24).map(|h| (h, 5)).collect();
        assert_eq!(name(&pattern(&flat, 0.3, &all_year)), "All-week around the clock");
    }

    #[test]
    fn duplicate_names_are_told_apart() {
        let all_year: Vec<(usize, u64)> = (0..12).map(|m| (m, 10)).collect();
        let mut ps = vec![pattern(&[(14, 1)], 0.3, &all_year), pattern(&[(15, 1)], 0.3, &all_year)];
        ps[0].peak_hour = 14;
        ps[1].peak_hour = 14;
        name_all(&mut ps);
        assert_eq!(ps[0].label, "All-week afternoons (peak 14:00)");
        assert_eq!(ps[1].label, "All-week afternoons (peak 14:00) #2");
    }
}
