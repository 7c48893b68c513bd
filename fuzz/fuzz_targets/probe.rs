//! Header probing on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ossimg_fuzz::probe(data));
