//! Incidents grouped by location. The portal publishes block-level coordinates, so the 500,000
//! rows of the sample sit on about 198,000 distinct points: algorithms whose answer depends only
//! on where the points are (HDBSCAN's core distances and spanning tree) run on the distinct
//! locations with their counts as weights and give the same answer as on every row.

/// The distinct locations of a point set, each with the rows that share it.
#[derive(Debug, Clone, PartialEq)]
pub struct Locations {
    /// One entry per distinct location.
    pub xy: Vec<[f64; 2]>,
    /// Rows at each location.
    pub weight: Vec<u32>,
    /// Row indices grouped by location: location `l` holds `rows[start[l]..start[l + 1]]`,
    /// ascending, so `rows[start[l]]` is its first row.
    pub rows: Vec<u32>,
    pub start: Vec<usize>,
}

impl Locations {
    /// Groups `xy` by exact coordinates (bit for bit; -0.0 and 0.0 are one place).
    pub fn of(xy: &[[f64; 2]]) -> Locations {
        let key = |p: [f64; 2]| (p[0] + 0.0, p[1] + 0.0);
        let mut rows: Vec<u32> = (0..xy.len() as u32).collect();
        rows.sort_unstable_by(|&a, &b| {
            let (pa, pb) = (key(xy[a as usize]), key(xy[b as usize]));
            pa.0.total_cmp(&pb.0).then(pa.1.total_cmp(&pb.1)).then(a.cmp(&b))
        });
        let mut out = Locations { xy: Vec::new(), weight: Vec::new(), rows, start: Vec::new() };
        for (i, &r) in out.rows.iter().enumerate() {
            let p = key(xy[r as usize]);
            let same = out
                .xy
                .last()
                .is_some_and(|&q: &[f64; 2]| q[0].total_cmp(&p.0).is_eq() && q[1].total_cmp(&p.1).is_eq());
            if same {
                *out.weight.last_mut().expect("a location exists") += 1;
            } else {
                out.xy.push([p.0, p.1]);
                out.weight.push(1);
                out.start.push(i);
            }
        }
        out.start.push(out.rows.len());
        out
    }

    pub fn len(&self) -> usize {
        self.xy.len()
    }

    pub fn is_empty(&self) -> bool {
        self.xy.is_empty()
    }

    /// The rows at location `l`, ascending.
    pub fn rows_at(&self, l: usize) -> &[u32] {
        &self.rows[self.start[l]..self.start[l + 1]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_equal_coordinates_and_keeps_every_row_once() {
        let xy = [[1.0, 2.0], [0.0, 5.0], [1.0, 2.0], [-0.0, 5.0], [1.0, 3.0], [1.0, 2.0]];
        let l = Locations::of(&xy);
        assert_eq!(l.xy, vec![[0.0, 5.0], [1.0, 2.0], [1.0, 3.0]]);
        assert_eq!(l.weight, vec![2, 3, 1]);
        assert_eq!(l.rows_at(0), &[1, 3]);
        assert_eq!(l.rows_at(1), &[0, 2, 5]);
        assert_eq!(l.rows_at(2), &[4]);
        let mut all = l.rows.clone();
        all.sort_unstable();
        assert_eq!(all, (0..6).collect::<Vec<u32>>());
        assert!(Locations::of(&[]).is_empty());
    }
}
