//! Any text through the anonymisation scanner (every pattern, and a
//! deny-list made from the text itself) and through the comment finder:
//! hits always lie inside the text, and nothing panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    // Words of the input become the deny-list, so names meet text that was
    // never meant to hold them.
    let deny: String = text
        .split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join("\n");
    let scanner = spj::anon::Scanner::new(spj::anon::DenyList::parse(&deny));
    let fields = vec![("f".to_owned(), text.to_owned())];
    for hit in scanner.scan(&fields, text) {
        assert!(text.contains(hit.matched.as_str()), "{hit:?}");
    }
    let _ = spj::yaml::comment_lines(text);
    // The same text filed as a whole case file body.
    let _ = scanner.scan(&fields, &format!("details:\n  subject: {text}\n"));
});
