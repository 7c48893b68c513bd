//! The AV1 decode primitive on arbitrary bytes (first byte: av1C length).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ossimg_fuzz::av1(data));
