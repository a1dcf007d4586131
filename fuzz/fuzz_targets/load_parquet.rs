//! The Parquet path: inputs framed by the magic bytes, so every one reaches the Parquet reader
//! (the seed corpus holds a valid file to mutate: tests/corpus/small.parquet).
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let (first, rest) = data.split_first().map_or((0, data), |(f, r)| (*f, r));
    let mut bytes = vec![first];
    if !rest.starts_with(b"PAR1") {
        bytes.extend_from_slice(b"PAR1");
    }
    bytes.extend_from_slice(rest);
    if !rest.ends_with(b"PAR1") {
        bytes.extend_from_slice(b"PAR1");
    }
    common::load("fuzz.parquet", &bytes);
});
