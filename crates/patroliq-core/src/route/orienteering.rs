//! Orienteering: with a time budget, visit the stops that collect the most risk. One car
//! (orienteering) or several sharing the stops (team orienteering).
//!
//! Greedy insertion by risk gained per extra second, each car's tour re-optimised with the TSP
//! local search to free time for more stops, then swaps of a visited stop for a riskier unvisited
//! one while the budget holds. Checked against brute force on small instances.

use super::tour::{local_search, Matrix};

/// Routes (each starting at the depot 0) for `cars` cars, each at most `budget` long; `prize[i]`
/// is what visiting node i collects (node 0's is ignored).
pub fn team_orienteering(m: &Matrix, prize: &[f64], cars: usize, budget: f64) -> Vec<Vec<usize>> {
    // Greedy insertion is myopic: run it with several trade-offs between risk and detour
    // (risk / detour^α) and keep the plan that collects the most (then the shortest).
    let score = |r: &Vec<Vec<usize>>| {
        let p: f64 = r.iter().flat_map(|t| &t[1..]).map(|&i| prize[i]).sum();
        (p, -r.iter().map(|t| m.tour_cost(t)).sum::<f64>())
    };
    [1.0, 0.5, 2.0, 0.0]
        .iter()
        .map(|&alpha| greedy(m, prize, cars, budget, alpha))
        .max_by(|a, b| {
            let (sa, sb) = (score(a), score(b));
            if (sa.0 - sb.0).abs() > 1e-9 {
                sa.0.total_cmp(&sb.0)
            } else {
                sa.1.total_cmp(&sb.1)
            }
        })
        .expect("four runs")
}

fn greedy(m: &Matrix, prize: &[f64], cars: usize, budget: f64, alpha: f64) -> Vec<Vec<usize>> {
    let n = m.n;
    let mut routes: Vec<Vec<usize>> = vec![vec![0]; cars.max(1)];
    let mut visited = vec![false; n];
    visited[0] = true;
    let mut polished = false;
    loop {
        match best_insertion(m, prize, &routes, &visited, budget, alpha) {
            Some((r, pos, u)) => {
                routes[r].insert(pos, u);
                visited[u] = true;
                polished = false;
            }
            None if !polished => {
                // Shorter tours may make room for more stops.
                routes.iter_mut().for_each(|t| local_search(m, t));
                polished = true;
            }
            None => break,
        }
    }
    swap_for_riskier(m, prize, &mut routes, &mut visited, budget);
    routes
}

/// The feasible insertion with the most prize per added cost: (route, position, node).
fn best_insertion(
    m: &Matrix,
    prize: &[f64],
    routes: &[Vec<usize>],
    visited: &[bool],
    budget: f64,
    alpha: f64,
) -> Option<(usize, usize, usize)> {
    let mut best: Option<(f64, usize, usize, usize)> = None;
    for (ri, t) in routes.iter().enumerate() {
        let len = m.tour_cost(t);
        for u in (0..m.n).filter(|&u| !visited[u]) {
            for p in 0..t.len() {
                let (a, b) = (t[p], t[(p + 1) % t.len()]);
                let added = m.c(a, u) + m.c(u, b) - if t.len() > 1 { m.c(a, b) } else { 0.0 };
                if len + added > budget + 1e-9 {
                    continue;
                }
                let ratio = prize[u] / added.max(1e-6).powf(alpha);
                if best.is_none_or(|b| ratio > b.0) {
                    best = Some((ratio, ri, p + 1, u));
                }
            }
        }
    }
    best.map(|(_, r, p, u)| (r, p, u))
}

/// Replaces a visited stop by a riskier unvisited one wherever the route stays within budget.
fn swap_for_riskier(m: &Matrix, prize: &[f64], routes: &mut [Vec<usize>], visited: &mut [bool], budget: f64) {
    let mut improved = true;
    while improved {
        improved = false;
        'routes: for t in routes.iter_mut() {
            for k in 1..t.len() {
                let v = t[k];
                let mut without = t.clone();
                without.remove(k);
                for u in (0..m.n).filter(|&u| !visited[u] && prize[u] > prize[v] + 1e-12) {
                    let mut trial = without.clone();
                    let best_pos = (0..trial.len())
                        .min_by(|&p, &q| {
                            let add = |p: usize| {
                                let (a, b) = (trial[p], trial[(p + 1) % trial.len()]);
                                m.c(a, u) + m.c(u, b) - m.c(a, b)
                            };
                            add(p).total_cmp(&add(q))
                        })
                        .expect("the depot is there");
                    trial.insert(best_pos + 1, u);
                    local_search(m, &mut trial);
                    if m.tour_cost(&trial) <= budget + 1e-9 {
                        *t = trial;
                        visited[v] = false;
                        visited[u] = true;
                        improved = true;
                        continue 'routes;
                    }
                }
            }
        }
    }
}

/// Every stop shared among `cars` cars, making the longest route as short as it can: the
/// smallest budget at which team orienteering visits them all (bisection).
pub fn share_all(m: &Matrix, prize: &[f64], cars: usize, single_tour_cost: f64) -> Vec<Vec<usize>> {
    let all = |routes: &[Vec<usize>]| routes.iter().map(|t| t.len() - 1).sum::<usize>() == m.n - 1;
    let mut hi = single_tour_cost.max(1e-6);
    let mut best = team_orienteering(m, prize, cars, hi * 1.000_001);
    if !all(&best) {
        // Insertion order can fail at the single tour's length; grow until it fits.
        while !all(&best) {
            hi *= 1.25;
            best = team_orienteering(m, prize, cars, hi);
        }
    }
    let mut lo = (1..m.n).map(|i| m.c(0, i) + m.c(i, 0)).fold(0.0, f64::max);
    for _ in 0..20 {
        if hi - lo < 1e-3 * hi {
            break;
        }
        let mid = (lo + hi) / 2.0;
        let r = team_orienteering(m, prize, cars, mid);
        if all(&r) {
            (hi, best) = (mid, r);
        } else {
            lo = mid;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::tour::tests::shortest;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn instance(n: usize, seed: u64) -> (Matrix, Vec<f64>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let pts: Vec<(f64, f64)> =
            (0..n).map(|_| (rng.gen_range(0.0..100.0), rng.gen_range(0.0..100.0))).collect();
        let mut cost = vec![0.0; n * n];
        for a in 0..n {
            for b in 0..n {
                cost[a * n + b] = (pts[a].0 - pts[b].0).abs() + (pts[a].1 - pts[b].1).abs();
            }
        }
        let prize = (0..n).map(|i| if i == 0 { 0.0 } else { rng.gen_range(1.0..10.0) }).collect();
        (Matrix::new(n, cost), prize)
    }

    /// The best prize within budget over every subset, each subset's best tour by brute force.
    fn brute_force(m: &Matrix, prize: &[f64], budget: f64) -> f64 {
        let n = m.n;
        let mut best: f64 = 0.0;
        for mask in 0u32..(1 << (n - 1)) {
            let nodes: Vec<usize> = (1..n).filter(|i| mask & (1 << (i - 1)) != 0).collect();
            let p: f64 = nodes.iter().map(|&i| prize[i]).sum();
            if p <= best {
                continue;
            }
            let nodes = [vec![0], nodes].concat();
            if shortest(m, &nodes) <= budget + 1e-9 {
                best = p;
            }
        }
        best
    }

    fn collected(routes: &[Vec<usize>], prize: &[f64]) -> f64 {
        routes.iter().flatten().map(|&i| if i == 0 { 0.0 } else { prize[i] }).sum()
    }

    #[test]
    fn one_car_matches_brute_force_on_small_instances() {
        let mut worst: f64 = 1.0;
        for seed in 0..25 {
            let (m, prize) = instance(8, seed);
            let budget = 150.0 + seed as f64 * 4.0;
            let r = team_orienteering(&m, &prize, 1, budget);
            assert!(m.tour_cost(&r[0]) <= budget + 1e-9, "within budget");
            let opt = brute_force(&m, &prize, budget);
            worst = worst.min(collected(&r, &prize) / opt);
        }
        // A heuristic: it must find the optimum on most of them and be close on the rest.
        assert!(worst > 0.97, "worst ratio to the optimum {worst}");
    }

    #[test]
    fn cars_share_the_stops_and_respect_the_budget() {
        let (m, prize) = instance(20, 4);
        let r = team_orienteering(&m, &prize, 3, 120.0);
        assert_eq!(r.len(), 3);
        let mut seen: Vec<usize> = r.iter().flat_map(|t| t[1..].to_vec()).collect();
        let n = seen.len();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), n, "no stop visited twice");
        assert!(r.iter().all(|t| t[0] == 0 && m.tour_cost(t) <= 120.0 + 1e-9));
    }

    #[test]
    fn share_all_visits_everything_with_a_shorter_longest_route() {
        let (m, prize) = instance(30, 5);
        let nodes: Vec<usize> = (0..30).collect();
        let one = super::super::tour::solve(&m, &nodes, 300, 0);
        let single = m.tour_cost(&one);
        let r = share_all(&m, &prize, 3, single);
        assert_eq!(r.iter().map(|t| t.len() - 1).sum::<usize>(), 29);
        let longest = r.iter().map(|t| m.tour_cost(t)).fold(0.0, f64::max);
        assert!(longest < single * 0.8, "{longest} vs {single}");
    }
}
