//! The shortest closed tour from a depot (node 0) through every other node: a travelling
//! salesman solver for a few hundred nodes and any cost matrix, symmetric or not.
//!
//! Nearest neighbour, then iterated local search: 2-opt and Or-opt (moving runs of 1–3 nodes,
//! reversed or not) to a local optimum, a random double-bridge kick, and the better tour kept;
//! a random restart after 100 kicks without a better tour.
//! Hand-written: no maintained Rust crate solves the TSP on an arbitrary asymmetric matrix (the
//! road network's one-way links make it asymmetric). It is checked against brute force on small
//! instances and against OR-Tools' guided local search on the real hotspots (within 1 %).

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A dense n × n cost matrix, row-major: `cost[a * n + b]` from a to b.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub n: usize,
    pub cost: Vec<f64>,
}

impl Matrix {
    pub fn new(n: usize, cost: Vec<f64>) -> Matrix {
        assert_eq!(cost.len(), n * n, "an n × n matrix");
        Matrix { n, cost }
    }

    #[inline]
    pub fn c(&self, a: usize, b: usize) -> f64 {
        self.cost[a * self.n + b]
    }

    /// Cost of the closed tour (back to `tour[0]` at the end).
    pub fn tour_cost(&self, tour: &[usize]) -> f64 {
        if tour.len() < 2 {
            return 0.0;
        }
        tour.windows(2).map(|w| self.c(w[0], w[1])).sum::<f64>() + self.c(tour[tour.len() - 1], tour[0])
    }
}

/// Visits every node in nearest-first order from node `tour[0]` (the nodes given).
pub fn nearest_neighbour(m: &Matrix, nodes: &[usize]) -> Vec<usize> {
    let mut left: Vec<usize> = nodes[1..].to_vec();
    let mut tour = vec![nodes[0]];
    while !left.is_empty() {
        let at = *tour.last().expect("non-empty");
        let (k, _) = left
            .iter()
            .enumerate()
            .min_by(|a, b| m.c(at, *a.1).total_cmp(&m.c(at, *b.1)))
            .expect("non-empty");
        tour.push(left.swap_remove(k));
    }
    tour
}

const EPS: f64 = 1e-9;
/// Kicks without improvement before a random restart.
const RESTART: usize = 100;

/// One improving 2-opt move (reverse `tour[i+1..=j]`), first improvement; `false` at a local
/// optimum. The depot `tour[0]` stays in place.
fn two_opt(m: &Matrix, tour: &mut [usize]) -> bool {
    let n = tour.len();
    // Prefix sums of the tour's forward and backward edge costs: a reversed segment's cost in O(1).
    let (mut fwd, mut bwd) = (vec![0.0; n], vec![0.0; n]);
    for k in 1..n {
        fwd[k] = fwd[k - 1] + m.c(tour[k - 1], tour[k]);
        bwd[k] = bwd[k - 1] + m.c(tour[k], tour[k - 1]);
    }
    for i in 0..n.saturating_sub(2) {
        let (a, b) = (tour[i], tour[i + 1]);
        for j in i + 2..n {
            let (c, e) = (tour[j], tour[(j + 1) % n]);
            let inner = (bwd[j] - bwd[i + 1]) - (fwd[j] - fwd[i + 1]);
            let delta = m.c(a, c) + m.c(b, e) - m.c(a, b) - m.c(c, e) + inner;
            if delta < -EPS {
                let before = m.tour_cost(tour);
                tour[i + 1..=j].reverse();
                debug_assert!((m.tour_cost(tour) - before - delta).abs() < 1e-6, "2-opt delta");
                return true;
            }
        }
    }
    false
}

/// One improving Or-opt move: a run of 1–3 nodes moved elsewhere, as it is or reversed.
fn or_opt(m: &Matrix, tour: &mut Vec<usize>) -> bool {
    let n = tour.len();
    for len in 1..=3usize {
        for s in 1..n {
            let e = s + len - 1;
            if e >= n {
                break;
            }
            let (prev, next) = (tour[s - 1], tour[(e + 1) % n]);
            let (first, last) = (tour[s], tour[e]);
            let inner_f: f64 = (s..e).map(|k| m.c(tour[k], tour[k + 1])).sum();
            let inner_b: f64 = (s..e).map(|k| m.c(tour[k + 1], tour[k])).sum();
            let removed = m.c(prev, first) + m.c(last, next) - m.c(prev, next);
            for p in 0..n {
                // Insert between tour[p] and tour[p+1], both outside the run.
                if (s.saturating_sub(1)..=e).contains(&p) {
                    continue;
                }
                let (x, y) = (tour[p], tour[(p + 1) % n]);
                let keep = m.c(x, first) + m.c(last, y) - m.c(x, y);
                let flip = m.c(x, last) + m.c(first, y) - m.c(x, y) + inner_b - inner_f;
                let (gain, reversed) = if flip < keep - EPS { (flip, true) } else { (keep, false) };
                if gain - removed < -EPS {
                    let before = m.tour_cost(tour);
                    let mut run: Vec<usize> = tour.drain(s..=e).collect();
                    if reversed {
                        run.reverse();
                    }
                    let at = if p > e { p - len + 1 } else { p + 1 };
                    tour.splice(at..at, run);
                    debug_assert!(
                        (m.tour_cost(tour) - before - (gain - removed)).abs() < 1e-6,
                        "or-opt delta {len} {s} {p}"
                    );
                    return true;
                }
            }
        }
    }
    false
}

/// 2-opt and Or-opt until neither improves.
pub fn local_search(m: &Matrix, tour: &mut Vec<usize>) {
    if tour.len() < 4 {
        return;
    }
    while two_opt(m, tour) || or_opt(m, tour) {}
}

/// Cuts the tour (after the depot) into four parts A B C D and reconnects them A C B D.
fn double_bridge(tour: &[usize], rng: &mut ChaCha8Rng) -> Vec<usize> {
    let n = tour.len();
    let mut cuts = [rng.gen_range(1..n), rng.gen_range(1..n), rng.gen_range(1..n)];
    cuts.sort_unstable();
    let [p, q, r] = cuts;
    [&tour[..p], &tour[q..r], &tour[p..q], &tour[r..]].concat()
}

/// The best closed tour found through `nodes` (the first is the depot and stays first), with
/// `kicks` iterations of local search from perturbed tours; seeded, so the same input gives the
/// same tour.
pub fn solve(m: &Matrix, nodes: &[usize], kicks: usize, seed: u64) -> Vec<usize> {
    if nodes.len() <= 3 {
        return nodes.to_vec();
    }
    let mut best = nearest_neighbour(m, nodes);
    local_search(m, &mut best);
    let mut best_cost = m.tour_cost(&best);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    if nodes.len() < 6 {
        return best;
    }
    let (mut current, mut current_cost, mut stale) = (best.clone(), best_cost, 0);
    for _ in 0..kicks {
        let mut t = if stale < RESTART {
            double_bridge(&current, &mut rng)
        } else {
            // Stuck: start again from a random tour (small asymmetric instances need it).
            stale = 0;
            let mut t = current.clone();
            t[1..].shuffle(&mut rng);
            current_cost = f64::INFINITY;
            t
        };
        local_search(m, &mut t);
        let c = m.tour_cost(&t);
        if c < current_cost - EPS {
            (current, current_cost, stale) = (t, c, 0);
            if c < best_cost - EPS {
                (best, best_cost) = (current.clone(), c);
            }
        } else {
            stale += 1;
        }
    }
    best
}

/// The default number of kicks for `n` nodes: more for small tours, where they are cheap.
pub fn default_kicks(n: usize) -> usize {
    (200_000 / (n * n).max(1)).clamp(200, 3_000)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn random(n: usize, seed: u64, symmetric: bool) -> Matrix {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let pts: Vec<(f64, f64)> =
            (0..n).map(|_| (rng.gen_range(0.0..1000.0), rng.gen_range(0.0..1000.0))).collect();
        let mut cost = vec![0.0; n * n];
        for a in 0..n {
            for b in 0..n {
                let d = (pts[a].0 - pts[b].0).abs() + (pts[a].1 - pts[b].1).abs();
                // One-way streets: some directions cost more.
                let extra = if symmetric || a < b { 0.0 } else { rng.gen_range(0.0..300.0) };
                cost[a * n + b] = d + extra;
            }
        }
        Matrix::new(n, cost)
    }

    /// The shortest closed tour through `nodes` (the first fixed), trying every order.
    pub(crate) fn shortest(m: &Matrix, nodes: &[usize]) -> f64 {
        fn permute(m: &Matrix, tour: &mut Vec<usize>, left: &mut Vec<usize>, best: &mut f64) {
            if left.is_empty() {
                *best = best.min(m.tour_cost(tour));
                return;
            }
            for i in 0..left.len() {
                let x = left.remove(i);
                tour.push(x);
                permute(m, tour, left, best);
                tour.pop();
                left.insert(i, x);
            }
        }
        let mut best = f64::INFINITY;
        permute(m, &mut vec![nodes[0]], &mut nodes[1..].to_vec(), &mut best);
        best
    }

    #[test]
    fn equals_brute_force_on_small_instances() {
        for seed in 0..30 {
            for symmetric in [true, false] {
                let n = 5 + (seed as usize % 5);
                let m = random(n, seed, symmetric);
                let nodes: Vec<usize> = (0..n).collect();
                let t = solve(&m, &nodes, default_kicks(n), seed);
                assert_eq!(t[0], 0);
                let mut sorted = t.clone();
                sorted.sort_unstable();
                assert_eq!(sorted, nodes, "every node once");
                let opt = shortest(&m, &nodes);
                assert!(
                    (m.tour_cost(&t) - opt).abs() < 1e-6,
                    "seed {seed} n {n} sym {symmetric}: {} vs {opt}",
                    m.tour_cost(&t)
                );
            }
        }
    }

    #[test]
    fn beats_nearest_neighbour_and_is_deterministic() {
        let m = random(60, 3, true);
        let nodes: Vec<usize> = (0..60).collect();
        let nn = m.tour_cost(&nearest_neighbour(&m, &nodes));
        let t = solve(&m, &nodes, 500, 1);
        assert!(m.tour_cost(&t) < nn * 0.95);
        assert_eq!(t, solve(&m, &nodes, 500, 1));
    }

    #[test]
    fn tiny_tours() {
        let m = random(3, 1, true);
        assert_eq!(solve(&m, &[0], 10, 0), vec![0]);
        assert_eq!(solve(&m, &[0, 2], 10, 0), vec![0, 2]);
        assert_eq!(solve(&m, &[0, 1, 2], 10, 0).len(), 3);
    }
}
