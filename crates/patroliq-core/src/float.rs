//! Float helpers. Maximum and minimum for hot loops: `f64::max` and `f64::min` return the operand that is
//! not NaN, which WebAssembly's own `max` and `min` (NaN-propagating) do not, so in WebAssembly
//! they compile to calls of libm's `fmax` and `fmin`: in a Chromium profile those calls were a
//! sixth of HDBSCAN's tree walk. On numbers that are never NaN one comparison gives the same
//! answer, inline.

/// The larger of two numbers that are not NaN.
#[inline(always)]
pub fn larger<T: PartialOrd>(a: T, b: T) -> T {
    if a < b {
        b
    } else {
        a
    }
}

/// The smaller of two numbers that are not NaN.
#[inline(always)]
pub fn smaller<T: PartialOrd>(a: T, b: T) -> T {
    if b < a {
        b
    } else {
        a
    }
}

/// The upper median of the finite values (the middle one, the upper of the two middle ones for an
/// even count), `None` if there is none. Takes an iterator: a column is read once, its finite
/// values copied once.
pub fn finite_median(values: impl Iterator<Item = f64>) -> Option<f64> {
    let mut v: Vec<f64> = values.filter(|v| v.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    let mid = v.len() / 2;
    Some(*v.select_nth_unstable_by(mid, f64::total_cmp).1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn they_agree_with_max_and_min_on_numbers() {
        for (a, b) in [(1.0, 2.0), (2.0, 1.0), (-3.5, -3.5), (0.0, 1e-300), (f64::INFINITY, 5.0)] {
            assert_eq!(larger(a, b), a.max(b));
            assert_eq!(smaller(a, b), a.min(b));
        }
    }

    #[test]
    fn the_median_skips_what_is_not_finite() {
        let m = |v: &[f64]| finite_median(v.iter().copied());
        assert_eq!(m(&[]), None);
        assert_eq!(m(&[f64::NAN, f64::INFINITY]), None);
        assert_eq!(m(&[3.0, f64::NAN, 1.0, 2.0]), Some(2.0));
        assert_eq!(m(&[4.0, 1.0, 3.0, 2.0]), Some(3.0));
    }
}
