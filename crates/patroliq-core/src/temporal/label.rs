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
        h if (5.0..11.0).contains(&h) => "mornings",
        h if (11.0..14.0).contains(&h) => "middays",
        h if (14.0..17.0).contains(&h) => "afternoons",
        h if (17.0..21.0).contains(&h) => "evenings",
        h if (21.0..24.0).contains(&h) => "nights",
        _ => "late nights",
    }
}

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The shortest run of consecutive weekdays (Sunday wraps to Monday) holding at least 80 % of the
/// incidents, as "Thu–Sat", when it is at most 4 days long.
pub fn day_span(by_weekday: &[u64]) -> Option<String> {
    let total: u64 = by_weekday.iter().sum();
    if total == 0 || by_weekday.len() != 7 {
        return None;
    }
    (1..=4).find_map(|len| {
        (0..7)
            .map(|start| (start, (0..len).map(|i| by_weekday[(start + i) % 7]).sum::<u64>()))
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .filter(|&(_, n)| n as f64 >= 0.8 * total as f64)
            .map(|(start, _)| {
                if len == 1 {
                    DAYS[start].to_string()
                } else {
                    format!("{}–{}", DAYS[start], DAYS[(start + len - 1) % 7])
                }
            })
    })
}

const SEASONS: [(&str, [usize; 3]); 4] =
    [("winter", [11, 0, 1]), ("spring", [2, 3, 4]), ("summer", [5, 6, 7]), ("autumn", [8, 9, 10])];

/// The name of one pattern (before duplicates are told apart).
pub fn name(p: &Pattern) -> String {
    let (s, c) = resultant(&p.by_hour);
    // Below this length the hours are too spread for one part of the day to describe them.
    let part = if (s * s + c * c).sqrt() < 0.2 { "around the clock" } else { part_of_day(p.centre_hour) };
    // An even spread puts 2/7 ≈ 29 % of incidents on Saturday and Sunday.
    // A run of at most four days holding 80 % says the most ("Thu–Sat"); else the weekend share.
    let days = match day_span(&p.by_weekday) {
        Some(s) if s == "Sat–Sun" => "Weekend".to_string(),
        Some(s) => s,
        None => match p.weekend_share {
            w if w >= 0.5 => "Weekend".to_string(),
            w if w <= 0.12 => "Weekday".to_string(),
            _ => "All-week".to_string(),
        },
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

/// Month names, January first (the charts use them too).
pub const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The shortest run of consecutive months (December wraps to January) holding at least 60 % of
/// the incidents, as "Nov–Apr"; `None` when it takes 8 months or more (no season stands out:
/// an even spread puts 60 % in 7.2 months).
pub fn month_span(by_month: &[u64]) -> Option<String> {
    let total: u64 = by_month.iter().sum();
    if total == 0 {
        return None;
    }
    for len in 1..8 {
        let best = (0..12)
            .map(|start| (start, (0..len).map(|i| by_month[(start + i) % 12]).sum::<u64>()))
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .filter(|&(_, n)| n as f64 >= 0.6 * total as f64);
        if let Some((start, _)) = best {
            let end = (start + len - 1) % 12;
            return Some(if len == 1 {
                MONTHS[start].into()
            } else {
                format!("{}–{}", MONTHS[start], MONTHS[end])
            });
        }
    }
    None
}

/// Names every pattern; patterns that would share a name are told apart by the months they
/// gather in, then by their peak hour, then by number.
pub fn name_all(patterns: &mut [Pattern]) {
    let names: Vec<String> = patterns.iter().map(name).collect();
    let mut out = names.clone();
    for (i, p) in patterns.iter().enumerate() {
        if names.iter().filter(|n| **n == names[i]).count() > 1 {
            if let Some(span) = month_span(&p.by_month) {
                out[i] = format!("{}, {span}", names[i]);
            }
        }
    }
    let named = out.clone();
    for (i, p) in patterns.iter().enumerate() {
        if named.iter().filter(|n| **n == named[i]).count() > 1 {
            out[i] = format!("{} (peak {:02}:00)", named[i], p.peak_hour);
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
        assert_eq!(name(&pattern(&[(15, 10)], 0.05, &[(6, 10), (7, 10)])), "Weekday afternoons, summer");
        assert_eq!(name(&pattern(&[(19, 1)], 0.3, &all_year)), "All-week evenings");
        let flat: Vec<(usize, u64)> = (0..24).map(|h| (h, 5)).collect();
        assert_eq!(name(&pattern(&flat, 0.3, &all_year)), "All-week around the clock");
    }

    #[test]
    fn a_pattern_on_a_few_days_is_named_by_them() {
        let all_year: Vec<(usize, u64)> = (0..12).map(|m| (m, 10)).collect();
        let mut p = pattern(&[(12, 10)], 0.3, &all_year);
        p.by_weekday = vec![0, 0, 1, 30, 30, 30, 0];
        assert_eq!(name(&p), "Thu–Sat middays");
        p.by_weekday = vec![10, 10, 10, 10, 10, 10, 10];
        assert!(name(&p).starts_with("All-week"));
        assert_eq!(day_span(&[5, 0, 0, 0, 0, 0, 5]).as_deref(), Some("Sun–Mon"));
    }

    #[test]
    fn month_spans_wrap_the_year() {
        let mut m = vec![2u64; 12];
        (m[11], m[0], m[1]) = (20, 20, 20);
        assert_eq!(month_span(&m).as_deref(), Some("Dec–Feb"));
        assert_eq!(month_span(&[5; 12]), None);
        let mut one = vec![0u64; 12];
        one[6] = 9;
        assert_eq!(month_span(&one).as_deref(), Some("Jul"));
    }

    #[test]
    fn duplicates_are_told_apart_by_their_months_first() {
        let winter: Vec<(usize, u64)> = vec![(11, 10), (0, 10), (1, 10), (2, 3)];
        let summer: Vec<(usize, u64)> = vec![(5, 10), (6, 10), (7, 10), (8, 3)];
        let mut ps = vec![pattern(&[(15, 1)], 0.3, &winter), pattern(&[(16, 1)], 0.3, &summer)];
        // Both are over 40 % in one season, so the season is in the name already; lower it.
        ps[0].by_month = vec![3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 2, 2];
        ps[1].by_month = vec![1, 1, 1, 1, 2, 2, 3, 2, 2, 1, 1, 1];
        name_all(&mut ps);
        assert_eq!(ps[0].label, "All-week afternoons, Nov–Mar");
        assert_eq!(ps[1].label, "All-week afternoons, May–Sep");
    }

    #[test]
    fn duplicate_names_are_told_apart() {
        let all_year: Vec<(usize, u64)> = (0..12).map(|m| (m, 10)).collect();
        let mut ps = vec![pattern(&[(15, 1)], 0.3, &all_year), pattern(&[(16, 1)], 0.3, &all_year)];
        ps[0].peak_hour = 14;
        ps[1].peak_hour = 14;
        name_all(&mut ps);
        assert_eq!(ps[0].label, "All-week afternoons (peak 14:00)");
        assert_eq!(ps[1].label, "All-week afternoons (peak 14:00) #2");
    }
}
