//! Poisson regression (log link) by iteratively reweighted least squares: the model that fits the
//! environment covariates' weights to later crime counts (risk terrain modelling's choice).
//!
//! Hand-written rather than linfa-linear's `TweedieRegressor` (power 1): that one brings ndarray
//! and argmin's L-BFGS into the WASM for a 5–10-column problem that IRLS solves exactly in a few
//! Newton steps with the nalgebra the core already uses. Checked against scikit-learn's
//! `PoissonRegressor(alpha=0)` in `scripts/sklearn_reference.py`.

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoissonFit {
    pub intercept: f64,
    pub coef: Vec<f64>,
    pub iterations: usize,
    /// Share of the null model's deviance explained (McFadden-style D²), 0–1.
    pub deviance_explained: f64,
}

impl PoissonFit {
    pub fn predict(&self, x: &[f64]) -> f64 {
        (self.intercept + self.coef.iter().zip(x).map(|(b, v)| b * v).sum::<f64>()).exp()
    }
}

fn deviance(y: &[f64], mu: &[f64]) -> f64 {
    2.0 * y.iter().zip(mu).map(|(&y, &m)| if y > 0.0 { y * (y / m).ln() - (y - m) } else { m }).sum::<f64>()
}

/// Fits `log E[y] = b0 + x·b`. `None` when there are no rows, every count is zero or the system
/// is singular (e.g. a covariate constant over every row).
pub fn fit(x: &[Vec<f64>], y: &[f64]) -> Option<PoissonFit> {
    let n = y.len();
    let p = x.first().map_or(0, Vec::len) + 1;
    let mean = y.iter().sum::<f64>() / n as f64;
    if n == 0 || !(mean > 0.0) {
        return None;
    }
    let design = DMatrix::from_fn(n, p, |i, j| if j == 0 { 1.0 } else { x[i][j - 1] });
    let mut beta = DVector::zeros(p);
    beta[0] = mean.ln();
    let mut iterations = 0;
    for it in 1..=100 {
        iterations = it;
        let eta = &design * &beta;
        let mu: Vec<f64> = eta.iter().map(|e| e.clamp(-30.0, 30.0).exp()).collect();
        // Newton step: (Xᵀ W X) δ = Xᵀ (y − μ), W = diag(μ).
        let mut xtwx = DMatrix::zeros(p, p);
        let mut grad = DVector::zeros(p);
        for i in 0..n {
            let row = design.row(i);
            for a in 0..p {
                grad[a] += row[a] * (y[i] - mu[i]);
                for b in 0..=a {
                    xtwx[(a, b)] += row[a] * row[b] * mu[i];
                }
            }
        }
        for a in 0..p {
            for b in 0..a {
                xtwx[(b, a)] = xtwx[(a, b)];
            }
        }
        let step = xtwx.cholesky()?.solve(&grad);
        beta += &step;
        if step.amax() < 1e-10 * (1.0 + beta.amax()) {
            break;
        }
    }
    let mu: Vec<f64> = (&design * &beta).iter().map(|e| e.exp()).collect();
    let null = deviance(y, &vec![mean; n]);
    let dev = deviance(y, &mu);
    Some(PoissonFit {
        intercept: beta[0],
        coef: beta.iter().skip(1).copied().collect(),
        iterations,
        deviance_explained: if null > 0.0 { 1.0 - dev / null } else { 0.0 },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_distr::{Distribution, Poisson};

    #[test]
    fn recovers_known_coefficients() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let (b0, b): (f64, [f64; 2]) = (0.3, [0.8, -0.5]);
        let mut x = Vec::new();
        let mut y = Vec::new();
        for _ in 0..20_000 {
            let row = vec![rng.gen_range(0.0..2.0), rng.gen_range(0.0..1.0)];
            let mu: f64 = (b0 + b[0] * row[0] + b[1] * row[1]).exp();
            y.push(Poisson::new(mu).unwrap().sample(&mut rng));
            x.push(row);
        }
        let f = fit(&x, &y).unwrap();
        assert!((f.intercept - b0).abs() < 0.05, "{f:?}");
        assert!((f.coef[0] - b[0]).abs() < 0.03 && (f.coef[1] - b[1]).abs() < 0.05, "{f:?}");
        assert!(f.deviance_explained > 0.2 && f.iterations < 20);
    }

    #[test]
    fn degenerate_inputs_are_none_not_nan() {
        assert!(fit(&[], &[]).is_none());
        assert!(fit(&[vec![1.0], vec![2.0]], &[0.0, 0.0]).is_none());
        // A constant covariate duplicates the intercept: singular.
        assert!(fit(&[vec![1.0], vec![1.0], vec![1.0]], &[1.0, 2.0, 3.0]).is_none());
    }
}
