//! HEIF containers (HEIC/AVIF) and HEIC decoding on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ossimg_fuzz::heif(data));
