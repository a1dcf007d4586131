//! The Parquet loader under libFuzzer (the framing is in common.rs).
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

/// libFuzzer's hook aborts on every panic, before unwinding. The loader contains panics of the
/// parquet crate's decoder (`load::parquet::next_batch`: it still `expect`s on some damaged
/// pages), so those are let unwind to it; any other panic — ours, or another crate's — aborts as
/// before and is a finding.
fn contain_parquet_decoder_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_parquet = info.location().is_some_and(|l| l.file().contains("/parquet-"));
            if !in_parquet {
                abort(info);
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    contain_parquet_decoder_panics();
    common::parquet(data)
});
