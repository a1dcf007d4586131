//! Writes the "whole history" test file of issue #38: the real rows of `../shared/data` (the
//! 500,000-row sample and the 2012–2016 file, 1.72 M rows between them) repeated until the portal's
//! full size (8.3 M rows by default), each copy's IDs offset and dates shifted by whole years so
//! the copies together reach back to 2001, as "Crimes - 2001 to Present" does. Made at run time by
//! the benchmarks and the large-load tests, never committed.
//!
//!   cargo run --release -p patroliq-core --example whole_history -- OUT.csv[.gz] [ROWS]
//!
//! Only ID, Date and Year change; every other field is the real row's. A 29 February moved into a
//! common year becomes the 28th. Rows keep the portal's layout (22 columns, 12-hour dates), so the
//! file loads exactly as a real download does.

use std::fs::File;
use std::io::{BufWriter, Write};

use patroliq_core::shared_data;

use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;

/// Years each copy moves back: the real span is 2012–2017, so the fifth copy starts in 2001.
const SHIFTS: [i32; 6] = [0, -4, -8, -11, -2, -6];
/// Added to the IDs of copy k, k ≥ 1 (the portal's IDs are below 13 million).
const ID_STEP: i64 = 20_000_000;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first() else {
        eprintln!("usage: whole_history OUT.csv[.gz] [ROWS]");
        std::process::exit(2);
    };
    let rows: u64 = args.get(1).map_or(8_300_000, |r| r.replace('_', "").parse().expect("ROWS is a number"));
    let sources =
        ["chicago_crimes_sample.csv.gz", "chicago_crimes_2012_2016_extra.csv.gz"].map(shared_data::file);

    let file = BufWriter::with_capacity(1 << 20, File::create(out).expect("create the output file"));
    let sink: Box<dyn Write> = if out.ends_with(".gz") {
        Box::new(GzEncoder::new(file, Compression::fast()))
    } else {
        Box::new(file)
    };
    let mut w = csv::WriterBuilder::new().buffer_capacity(1 << 20).from_writer(sink);

    let mut written = 0u64;
    let mut header_done = false;
    'copies: for (k, &shift) in SHIFTS.iter().enumerate() {
        for src in &sources {
            let gz =
                MultiGzDecoder::new(File::open(src).unwrap_or_else(|e| panic!("{}: {e}", src.display())));
            let mut r = csv::ReaderBuilder::new()
                .has_headers(true)
                .from_reader(std::io::BufReader::with_capacity(1 << 20, gz));
            if !header_done {
                w.write_byte_record(r.byte_headers().expect("header")).expect("write");
                header_done = true;
            }
            let mut rec = csv::ByteRecord::new();
            let mut out = csv::ByteRecord::new();
            while r.read_byte_record(&mut rec).expect("read a row") {
                if written == rows {
                    break 'copies;
                }
                shifted(&rec, k as i64, shift, &mut out);
                w.write_byte_record(&out).expect("write");
                written += 1;
            }
        }
    }
    assert_eq!(written, rows, "the real files hold fewer rows than {} copies", SHIFTS.len());
    w.into_inner().map_err(|e| e.to_string()).expect("flush").flush().expect("flush");
    eprintln!("{written} rows → {out}");
}

/// Row `rec` of copy `k`, its years moved by `shift`.
fn shifted(rec: &csv::ByteRecord, k: i64, shift: i32, out: &mut csv::ByteRecord) {
    out.clear();
    let mut date_buf = Vec::new();
    for (i, f) in rec.iter().enumerate() {
        match i {
            0 if k > 0 => {
                let id: i64 = std::str::from_utf8(f).ok().and_then(|s| s.parse().ok()).unwrap_or(0);
                out.push_field((id + k * ID_STEP).to_string().as_bytes());
            }
            2 if shift != 0 && f.len() >= 10 => {
                // MM/DD/YYYY …
                let year: i32 =
                    std::str::from_utf8(&f[6..10]).ok().and_then(|s| s.parse().ok()).unwrap_or(2000);
                let y = year + shift;
                date_buf.clear();
                date_buf.extend_from_slice(&f[..6]);
                if &f[..5] == b"02/29" && !leap(y) {
                    date_buf[3..5].copy_from_slice(b"28");
                }
                date_buf.extend_from_slice(format!("{y:04}").as_bytes());
                date_buf.extend_from_slice(&f[10..]);
                out.push_field(&date_buf);
            }
            17 if shift != 0 => {
                let year: i32 = std::str::from_utf8(f).ok().and_then(|s| s.parse().ok()).unwrap_or(2000);
                out.push_field((year + shift).to_string().as_bytes());
            }
            _ => out.push_field(f),
        }
    }
}

fn leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}
