//! The whole pipeline on arbitrary bytes with a fixed set of specs under tight limits.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ossimg_fuzz::pipeline(data);
});
