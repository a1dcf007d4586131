//! Properties of the loader that no hand-picked example covers.

use patroliq_core::clean::parse::{format_datetime, parse_datetime};
use patroliq_core::export::portal_datetime;
use patroliq_core::load::{LoadOptions, Loader};
use patroliq_core::{demo, load_bytes};
use proptest::prelude::*;

fn load_split(bytes: &[u8], cuts: &[usize]) -> Result<patroliq_core::Loaded, patroliq_core::LoadError> {
    let mut l = Loader::new("p", LoadOptions::default());
    let mut at = 0;
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    cuts.sort_unstable();
    for c in cuts.into_iter().chain([bytes.len()]) {
        l.push(&bytes[at..c])?;
        at = c;
    }
    l.finish()?.finish()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Whatever the bytes, loading returns a result or an error value: it never panics.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = load_bytes("fuzz", &bytes, LoadOptions::default());
    }

    /// Valid-looking CSV with random garbage spliced in: still no panic, and counts add up.
    #[test]
    fn damaged_csv_counts_add_up(pos in 0usize..20_000, junk in "[\",\n\r a-z0-9]{0,40}") {
        let mut csv = demo::generate_csv(100, 1).into_bytes();
        let p = pos % csv.len();
        csv.splice(p..p, junk.bytes());
        if let Ok(l) = load_bytes("d", &csv, LoadOptions::default()) {
            prop_assert_eq!(l.report.rows_clean + l.report.dropped_total(), l.report.rows_read);
        }
    }

    /// Where the chunks of the input break never changes what is loaded (CSV and gzip).
    #[test]
    fn chunk_boundaries_do_not_matter(cuts in proptest::collection::vec(any::<usize>(), 0..12), gz in any::<bool>()) {
        let csv = demo::generate_csv(300, 2).into_bytes();
        let bytes = if gz {
            use std::io::Write;
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(&csv).unwrap();
            e.finish().unwrap()
        } else {
            csv.clone()
        };
        let whole = load_bytes("w", &csv, LoadOptions::default()).unwrap();
        let split = load_split(&bytes, &cuts).unwrap();
        prop_assert!(whole.table.same_rows(&split.table));
        prop_assert_eq!(whole.report.dropped, split.report.dropped);
    }

    /// The portal's date text and ISO both read back to the same second.
    #[test]
    fn dates_round_trip(t in 0i64..4_102_444_800) {
        prop_assert_eq!(parse_datetime(&portal_datetime(t)), Some(t));
        prop_assert_eq!(parse_datetime(&format_datetime(t)), Some(t));
    }
}
