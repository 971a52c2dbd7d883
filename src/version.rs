//! Version strings: spj's own, plus the bundled frameworks and template
//! that `spj --version` names, so a report can be traced to its tools.

use std::sync::OnceLock;

/// spj's version.
pub const SHORT: &str = env!("CARGO_PKG_VERSION");

/// Reads `key: value` from the top level of a bundled YAML file without a
/// full parse, which keeps `spj --version` instant.
fn top_level(text: &str, key: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_owned())
        .unwrap_or_default()
}

/// The long version: spj, Typst, the bundled frameworks and the template.
pub fn long() -> &'static str {
    static LONG: OnceLock<String> = OnceLock::new();
    LONG.get_or_init(|| {
        let mut s = format!("{SHORT}\ntypst 0.15.1 (embedded)");
        for (_, text) in crate::framework::registry::BUNDLED {
            s.push_str(&format!(
                "\nframework {}@{} (bundled)",
                top_level(text, "id"),
                top_level(text, "version")
            ));
        }
        let manifest = crate::report::template::bundled_manifest_text();
        s.push_str(&format!(
            "\ntemplate {} {} (bundled)",
            top_level(manifest, "name"),
            top_level(manifest, "version")
        ));
        s
    })
}
