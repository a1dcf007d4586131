//! Elastic-net Poisson regression: glmnet's objective and algorithm (Friedman, Hastie &
//! Tibshirani 2010), `(1/n) Σ (μ − y η) + λ ((1 − α)/2 ‖β‖² + α ‖β‖₁)` on standardised columns,
//! the intercept unpenalised, by IRLS outer steps and coordinate descent on each step's weighted
//! Gram matrix, warm-started down a path of λ.
//!
//! Written here rather than taken from linfa: `linfa-elasticnet` fits the Gaussian loss only, and
//! `linfa-linear`'s `TweedieRegressor` (power 1 is Poisson) has an L2 penalty and no L1, so neither
//! selects factors; both would also bring ndarray and argmin into the WebAssembly for a problem of
//! ten columns that the Gram form solves in microseconds per step.

/// Coefficients on the columns' own scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Coefficients {
    pub intercept: f64,
    pub beta: Vec<f64>,
}

impl Coefficients {
    pub fn eta(&self, cols: &[Vec<f64>], i: usize) -> f64 {
        self.intercept + self.beta.iter().zip(cols).map(|(b, c)| b * c[i]).sum::<f64>()
    }
}

const MAX_OUTER: usize = 100;
const TOL: f64 = 1e-8;

/// The λ path: `steps` values from the smallest λ that keeps every coefficient at zero down to
/// `ratio` of it, log-spaced, computed on all `rows` (so every fold of a cross-validation walks the
/// same path).
pub fn lambda_path(
    cols: &[Vec<f64>],
    y: &[f64],
    rows: &[usize],
    alpha: f64,
    steps: usize,
    ratio: f64,
) -> Vec<f64> {
    let n = rows.len() as f64;
    let ybar = rows.iter().map(|&i| y[i]).sum::<f64>() / n;
    let max = cols
        .iter()
        .map(|c| {
            let (m, s) = mean_sd(c, rows);
            if s == 0.0 {
                0.0
            } else {
                (rows.iter().map(|&i| (y[i] - ybar) * (c[i] - m) / s).sum::<f64>() / n).abs()
            }
        })
        .fold(0.0, f64::max)
        / alpha.max(1e-3);
    if max.is_nan() || max <= 0.0 {
        return vec![0.0];
    }
    (0..steps).map(|k| max * ratio.powf(k as f64 / (steps - 1).max(1) as f64)).collect()
}

fn mean_sd(c: &[f64], rows: &[usize]) -> (f64, f64) {
    let n = rows.len() as f64;
    let m = rows.iter().map(|&i| c[i]).sum::<f64>() / n;
    let v = rows.iter().map(|&i| (c[i] - m).powi(2)).sum::<f64>() / n;
    (m, if v > 1e-24 { v.sqrt() } else { 0.0 })
}

/// The fits along `lambdas` (in order, each warm-started from the last) on the `rows` of the
/// columns `cols` (each a full column; only `rows` are used) and counts `y`. `None` when the rows
/// hold no incident.
pub fn fit_path(
    cols: &[Vec<f64>],
    y: &[f64],
    rows: &[usize],
    alpha: f64,
    lambdas: &[f64],
) -> Option<Vec<Coefficients>> {
    let n = rows.len();
    let p = cols.len();
    let ybar = rows.iter().map(|&i| y[i]).sum::<f64>() / n as f64;
    if n == 0 || ybar.is_nan() || ybar <= 0.0 {
        return None;
    }
    let scale: Vec<(f64, f64)> = cols.iter().map(|c| mean_sd(c, rows)).collect();
    // Standardised columns over the rows (constant ones stay at zero).
    let z: Vec<Vec<f64>> = cols
        .iter()
        .zip(&scale)
        .map(|(c, &(m, s))| rows.iter().map(|&i| if s > 0.0 { (c[i] - m) / s } else { 0.0 }).collect())
        .collect();
    let yr: Vec<f64> = rows.iter().map(|&i| y[i]).collect();
    let mut b0 = ybar.ln();
    let mut beta = vec![0.0; p];
    let mut out = Vec::with_capacity(lambdas.len());
    for &lambda in lambdas {
        for _ in 0..MAX_OUTER {
            let eta: Vec<f64> = (0..n).map(|i| b0 + (0..p).map(|j| beta[j] * z[j][i]).sum::<f64>()).collect();
            let mu: Vec<f64> = eta.iter().map(|e| e.clamp(-30.0, 30.0).exp()).collect();
            let w: Vec<f64> = mu.iter().map(|m| m / n as f64).collect();
            let work: Vec<f64> = (0..n).map(|i| eta[i] + (yr[i] - mu[i]) / mu[i]).collect();
            let wsum: f64 = w.iter().sum();
            let wmean = |v: &dyn Fn(usize) -> f64| (0..n).map(|i| w[i] * v(i)).sum::<f64>() / wsum;
            let xbar: Vec<f64> = (0..p).map(|j| wmean(&|i| z[j][i])).collect();
            let zbar = wmean(&|i| work[i]);
            let mut gram = vec![vec![0.0; p]; p];
            let mut c = vec![0.0; p];
            let mut d = vec![0.0; p];
            for i in 0..n {
                for (j, dj) in d.iter_mut().enumerate() {
                    *dj = z[j][i] - xbar[j];
                }
                for a in 0..p {
                    c[a] += w[i] * d[a] * (work[i] - zbar);
                    for b in 0..=a {
                        gram[a][b] += w[i] * d[a] * d[b];
                    }
                }
            }
            for a in 0..p {
                let lower: Vec<f64> = gram[a][..a].to_vec();
                for (row, v) in gram.iter_mut().zip(lower) {
                    row[a] = v;
                }
            }
            let old = beta.clone();
            for _ in 0..1000 {
                let mut change: f64 = 0.0;
                for j in 0..p {
                    if scale[j].1 == 0.0 {
                        continue;
                    }
                    let rest: f64 = (0..p).filter(|&k| k != j).map(|k| gram[j][k] * beta[k]).sum();
                    let u = c[j] - rest;
                    let new = soft(u, lambda * alpha) / (gram[j][j] + lambda * (1.0 - alpha));
                    change = change.max((new - beta[j]).abs());
                    beta[j] = new;
                }
                if change < TOL {
                    break;
                }
            }
            let new_b0 = zbar - (0..p).map(|j| xbar[j] * beta[j]).sum::<f64>();
            let moved = (0..p).map(|j| (beta[j] - old[j]).abs()).fold((new_b0 - b0).abs(), f64::max);
            b0 = new_b0;
            if moved < TOL {
                break;
            }
        }
        // Back to the columns' own scale.
        let beta_raw: Vec<f64> =
            beta.iter().zip(&scale).map(|(b, &(_, s))| if s > 0.0 { b / s } else { 0.0 }).collect();
        let intercept = b0 - beta_raw.iter().zip(&scale).map(|(b, &(m, _))| b * m).sum::<f64>();
        out.push(Coefficients { intercept, beta: beta_raw });
    }
    Some(out)
}

fn soft(u: f64, t: f64) -> f64 {
    if u > t {
        u - t
    } else if u < -t {
        u + t
    } else {
        0.0
    }
}

/// Poisson deviance of counts `y` against means `mu`.
pub fn deviance(y: impl IntoIterator<Item = f64>, mu: impl IntoIterator<Item = f64>) -> f64 {
    2.0 * y
        .into_iter()
        .zip(mu)
        .map(|(y, m)| if y > 0.0 { y * (y / m).ln() - (y - m) } else { m })
        .sum::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_distr::{Distribution, Poisson};

    fn data() -> (Vec<Vec<f64>>, Vec<f64>) {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let n = 4000;
        let cols: Vec<Vec<f64>> = (0..3).map(|_| (0..n).map(|_| rng.gen_range(0.0..2.0)).collect()).collect();
        // The third column does nothing.
        let y = (0..n)
            .map(|i| {
                let mu: f64 = (0.2 + 0.7 * cols[0][i] - 0.4 * cols[1][i]).exp();
                Poisson::new(mu).unwrap().sample(&mut rng)
            })
            .collect();
        (cols, y)
    }

    #[test]
    fn with_no_penalty_it_is_the_unpenalised_fit() {
        let (cols, y) = data();
        let rows: Vec<usize> = (0..y.len()).collect();
        let f = &fit_path(&cols, &y, &rows, 0.5, &[0.0]).unwrap()[0];
        let x: Vec<Vec<f64>> = rows.iter().map(|&i| cols.iter().map(|c| c[i]).collect()).collect();
        let irls = crate::risk::poisson::fit(&x, &y).unwrap();
        assert!((f.intercept - irls.intercept).abs() < 1e-6, "{f:?} {irls:?}");
        for j in 0..3 {
            assert!((f.beta[j] - irls.coef[j]).abs() < 1e-6, "{f:?} {irls:?}");
        }
    }

    #[test]
    fn the_path_starts_empty_and_drops_the_useless_column_first() {
        let (cols, y) = data();
        let rows: Vec<usize> = (0..y.len()).collect();
        let lambdas = lambda_path(&cols, &y, &rows, 1.0, 30, 1e-3);
        let path = fit_path(&cols, &y, &rows, 1.0, &lambdas).unwrap();
        assert!(path[0].beta.iter().all(|&b| b == 0.0), "{:?}", path[0]);
        assert!(path[1].beta[0] > 0.0 && path[1].beta[2] == 0.0, "the strongest enters first: {:?}", path[1]);
        let last = path.last().unwrap();
        assert!((last.beta[0] - 0.7).abs() < 0.06 && (last.beta[1] + 0.4).abs() < 0.06, "{last:?}");
        // Shrinkage: the L1 norm grows down the path.
        let l1: Vec<f64> = path.iter().map(|c| c.beta.iter().map(|b| b.abs()).sum()).collect();
        assert!(l1.windows(2).all(|w| w[1] >= w[0] - 1e-9), "{l1:?}");
        assert!(fit_path(&cols, &vec![0.0; y.len()], &rows, 1.0, &lambdas).is_none());
    }
}
