//! The spec parser and its canonical round trip on arbitrary strings.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ossimg_fuzz::spec_parse(data);
});
