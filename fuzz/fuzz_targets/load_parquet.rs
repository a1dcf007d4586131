//! The Parquet loader under libFuzzer (the framing is in common.rs).
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::parquet(data));
