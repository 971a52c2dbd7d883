//! Any bytes as a case file: parsing must return a value or an error with a
//! location, never panic; a parsed case must survive the check and a
//! write-and-read round trip.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::path::Path::new("fuzz.yaml");
    let Ok(text) = spj::yaml::decode(path, data.to_vec()) else { return };
    if let Ok(case) = spj::yaml::parse::<spj::case::Case>(path, &text) {
        let again = spj::yaml::to_string(&case).expect("serialise");
        let back: spj::case::Case = spj::yaml::parse(path, &again).expect("round trip");
        assert_eq!(back, case);
    }
});
