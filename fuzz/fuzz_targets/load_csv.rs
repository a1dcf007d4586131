//! The CSV path: the portal's header, then fuzzed rows (and, one time in four, fuzzed bytes from
//! the first byte on, so the sniffing and header checks are fuzzed too).
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const HEADER: &[u8] = b"ID,Case Number,Date,Block,IUCR,Primary Type,Description,Location Description,Arrest,Domestic,Beat,District,Ward,Community Area,FBI Code,X Coordinate,Y Coordinate,Year,Updated On,Latitude,Longitude,Location\n";

fuzz_target!(|data: &[u8]| {
    if data.first().is_some_and(|b| b % 4 == 0) {
        common::load("fuzz.csv", data);
    } else {
        let mut bytes = Vec::with_capacity(HEADER.len() + data.len() + 1);
        bytes.push(data.first().copied().unwrap_or(0));
        bytes.extend_from_slice(HEADER);
        bytes.extend_from_slice(data.get(1..).unwrap_or_default());
        common::load("fuzz.csv", &bytes);
    }
});
