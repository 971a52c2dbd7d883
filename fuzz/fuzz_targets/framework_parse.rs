//! Any bytes as a framework file: parsing and validation must return
//! findings, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::path::Path::new("fuzz.yaml");
    if let Ok(text) = spj::yaml::decode(path, data.to_vec()) {
        let _ = spj::framework::check_text(path, &text);
        let _ = spj::yaml::comment_lines(&text);
    }
});
