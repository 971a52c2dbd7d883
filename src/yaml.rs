//! Reading and writing YAML: size and encoding checks, strict parsing with
//! line, column and field in every error, and the comment check that guards
//! hand-edited case files before a rewrite.
//!
//! serde-saphyr is used because it is maintained, pure Rust, reports
//! locations with a snippet, rejects duplicate keys by default and bounds
//! alias expansion (see the README for the comparison with serde_yaml).

use std::io::Read;
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, IoContext, Result};

/// Files larger than this are refused before parsing: no real framework or
/// case comes near it, and parsing a huge file would only waste memory.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Reads a YAML file as text: refuses huge files, strips a UTF-8 byte order
/// mark, normalises CRLF and reports invalid UTF-8 with its position.
pub fn read_text(path: &Path) -> Result<String> {
    let meta = std::fs::metadata(path).ctx("read", path)?;
    if meta.is_dir() {
        return Err(Error::invalid(
            format!("`{}` is a folder, not a file", path.display()),
            "name a YAML file",
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Error::parse(
            path,
            format!(
                "file is {} bytes, more than the {} bytes allowed",
                meta.len(),
                MAX_FILE_BYTES
            ),
            Some("check that this is the right file".into()),
        ));
    }
    // Read through a cap as well: a pipe or device reports no length.
    let file = std::fs::File::open(path).ctx("read", path)?;
    let bytes = read_capped(file, path, || {
        Error::parse(
            path,
            format!("file is more than the {MAX_FILE_BYTES} bytes allowed"),
            Some("check that this is the right file".into()),
        )
    })?;
    decode(path, bytes)
}

/// Reads at most [`MAX_FILE_BYTES`] from `r` (named `path` in errors), or
/// the error `too_large` makes: standard input, a pipe or a device has no
/// size to check beforehand.
pub fn read_capped(
    r: impl Read,
    path: &Path,
    too_large: impl FnOnce() -> Error,
) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    r.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .ctx("read", path)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Decodes bytes as UTF-8 text (see [`read_text`]).
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let before = &e.as_bytes()[..valid];
            let line = before.iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = before
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |p| p + 1);
            // Columns count characters, as editors do; the bytes before the
            // first invalid one are valid UTF-8 by definition.
            let column = std::str::from_utf8(&before[line_start..])
                .map_or(valid - line_start, |s| s.chars().count())
                + 1;
            return Err(Error::Parse {
                path: path.to_path_buf(),
                line: Some(line),
                column: Some(column),
                message: "the file is not valid UTF-8 text".into(),
                snippet: None,
                hint: Some(
                    "save the file as UTF-8 (most editors offer this under 'encoding')".into(),
                ),
            });
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_owned()
    })
}

fn options() -> serde_saphyr::Options {
    // Duplicate keys are an error by default; the default budget bounds
    // alias expansion, depth and event counts against alias bombs. YAML 1.2
    // Core booleans only: under YAML 1.1 rules the presence code `N` (or
    // `Y`) would silently become a boolean.
    let mut o = serde_saphyr::Options::default();
    o.strict_booleans = true;
    o
}

/// Parses YAML text into a generic JSON value with the same rules as
/// [`parse`] (for comparisons and schema checks).
pub fn parse_value(text: &str) -> Result<serde_json::Value, serde_saphyr::Error> {
    serde_saphyr::from_str_with_options(text, options())
}

/// Parses YAML text into `T`, mapping any failure to an error that names the
/// file, line, column and field.
pub fn parse<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    serde_saphyr::from_str_with_options(text, options()).map_err(|e| map_error(path, text, &e))
}

fn map_error(path: &Path, text: &str, e: &serde_saphyr::Error) -> Error {
    let location = e.location().filter(|l| l.line() > 0);
    let (line, column) = match location {
        Some(l) => (Some(l.line() as usize), Some(l.column() as usize)),
        None => (None, None),
    };
    let raw = e.without_snippet().to_string();
    // The library's message repeats the position; ours prints it once.
    let mut message = strip_position(&raw);
    // The library's advice names its own API, which means nothing to users.
    for advice in [", set DuplicateKeyPolicy", "; use Option<"] {
        if let Some(i) = message.find(advice) {
            message.truncate(i);
        }
    }
    if message.starts_with("cannot deserialize null into") {
        message = "a value is required here, but it is empty".into();
    }
    let field = line.and_then(|l| field_path_at(text, l));
    if let Some(f) = &field
        && !message.contains(f.as_str())
    {
        message = format!("{message} (at `{f}`)");
    }
    Error::Parse {
        path: path.to_path_buf(),
        line,
        column,
        message,
        snippet: line.map(|l| snippet(text, l, column.unwrap_or(1))),
        hint: Some(hint_for(&raw)),
    }
}

fn strip_position(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw).trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    // Messages end with " at line X column Y" in some variants.
    let cut = first.find(" at line ").unwrap_or(first.len());
    let msg = first[..cut].trim_end_matches(['.', ' ']).to_string();
    lowercase_first(&msg)
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if f.is_uppercase() && !c.clone().next().is_some_and(char::is_uppercase) => {
            f.to_lowercase().chain(c).collect()
        }
        _ => s.to_owned(),
    }
}

fn hint_for(raw: &str) -> String {
    let lower = raw.to_lowercase();
    if lower.contains("calendar date") || lower.contains("yyyy-mm-dd") {
        "write dates as YYYY-MM-DD, and check the day exists in that month".into()
    } else if lower.contains("double-quoted") || lower.contains("single-quoted") {
        "a quoted text may have been left open on an earlier line".into()
    } else if lower.contains("duplicate") {
        "each key may appear only once in a mapping; remove or rename the repeated one".into()
    } else if lower.contains("unknown field") {
        "check the spelling against `spj schema` (keys are kebab-case)".into()
    } else if lower.contains("missing field") {
        "add the missing field; `spj schema` lists every field".into()
    } else if lower.contains("alias") || lower.contains("budget") {
        "the file expands beyond safe limits (too many aliases or too deep)".into()
    } else if lower.contains("invalid type") || lower.contains("invalid value") {
        "check the value's type; quote text that YAML might read as a number, date or boolean"
            .into()
    } else {
        "check the YAML syntax near this line (indentation, colons, quotes)".into()
    }
}

/// Three lines of context with a caret under the column.
pub fn snippet(text: &str, line: usize, column: usize) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let width = (line + 1).to_string().len();
    let mut out = String::new();
    let first = line.saturating_sub(2).max(1);
    for n in first..=line.min(lines.len()) {
        let content: String = lines[n - 1].chars().take(160).collect();
        out.push_str(&format!("{n:>width$} | {content}\n"));
        if n == line {
            let pad = " ".repeat(column.saturating_sub(1).min(160));
            out.push_str(&format!("{:>width$} | {pad}^\n", ""));
        }
    }
    out
}

/// Best-effort dotted path of the key on `line` (one-based), such as
/// `ratings.isolation.rating.presence` or `sections[2].factors[0].id`,
/// worked out from block-style indentation. Returns `None` when the line
/// holds no key and no parent can be found.
pub fn field_path_at(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    let target = lines.get(line.checked_sub(1)?)?;
    let mut parts: Vec<String> = Vec::new();
    let (mut indent, mut is_item) = shape(target);
    if let Some(k) = key_of(target) {
        parts.push(k);
    }
    if is_item {
        parts.push(format!(
            "[{}]",
            count_items_before(&lines, line - 1, indent)
        ));
    }
    let mut i = line - 1;
    while i > 0 && indent > 0 {
        i -= 1;
        let l = lines[i];
        if l.trim().is_empty() || l.trim_start().starts_with('#') {
            continue;
        }
        let (ind, item) = shape(l);
        // A dash item's keys sit two columns in from the dash.
        let content_indent = if item { ind + 2 } else { ind };
        let is_parent = if is_item {
            ind < indent || (ind == indent && !item && l.trim_end().ends_with(':'))
        } else {
            content_indent < indent || (item && ind < indent)
        };
        if !is_parent {
            continue;
        }
        if item && !is_item {
            // We are inside a sequence item: record its index.
            let index = count_items_before(&lines, i, ind);
            parts.push(format!("[{index}]"));
            indent = ind;
            is_item = true;
            continue;
        }
        if let Some(k) = key_of(l) {
            parts.push(k);
        }
        indent = ind;
        is_item = item;
    }
    if parts.is_empty() {
        return None;
    }
    parts.reverse();
    let mut out = String::new();
    for p in parts {
        if !p.starts_with('[') && !out.is_empty() {
            out.push('.');
        }
        out.push_str(&p);
    }
    Some(out)
}

fn shape(line: &str) -> (usize, bool) {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    (indent, rest.starts_with("- ") || rest == "-")
}

fn key_of(line: &str) -> Option<String> {
    let t = line.trim_start();
    let t = t.strip_prefix("- ").unwrap_or(t).trim_start();
    let colon = t.find(':')?;
    let key = t[..colon].trim();
    let after = &t[colon + 1..];
    if key.is_empty()
        || key.contains(' ') && !key.starts_with('"')
        || !(after.is_empty() || after.starts_with(' '))
    {
        return None;
    }
    Some(key.trim_matches(['"', '\'']).to_owned())
}

fn count_items_before(lines: &[&str], at: usize, indent: usize) -> usize {
    let mut n = 0;
    let mut i = at;
    while i > 0 {
        i -= 1;
        let l = lines[i];
        if l.trim().is_empty() {
            continue;
        }
        let (ind, item) = shape(l);
        if ind < indent || (ind == indent && !item) {
            break;
        }
        if ind == indent && item {
            n += 1;
        }
    }
    n
}

/// Serialises a value as YAML in the project's canonical layout.
pub fn to_string<T: Serialize>(value: &T) -> Result<String> {
    let mut opts = serde_saphyr::SerializerOptions::default();
    opts.prefer_block_scalars = true;
    serde_saphyr::to_string_with_options(value, opts)
        .map_err(|e| Error::msg(format!("failed to write YAML ({e})")))
}

/// One-based line numbers of comments in `text`, as the YAML parser itself
/// reads them, so a `#` inside quoted or block text is never mistaken for a
/// comment and a comment after one is never missed. Should the parser stop
/// early, every line with a `#` that could open a comment is reported: a
/// false alarm only asks for `--drop-comments`, a miss would lose words.
pub fn comment_lines(text: &str) -> Vec<usize> {
    let mut options = granit_parser::Options::default();
    // Long comment blocks are buffered while the parser looks ahead; the
    // file's own size bounds them (files are capped at `MAX_FILE_BYTES`).
    options.max_buffered_comment_events = text.len().max(96);
    let mut found = Vec::new();
    for next in granit_parser::Parser::new_from_str_with_options(text, options) {
        match next {
            Ok((granit_parser::Event::Comment(..), span)) => {
                let line = span.start.line();
                if found.last() != Some(&line) {
                    found.push(line);
                }
            }
            Ok(_) => {}
            Err(_) => {
                return text
                    .split('\n')
                    .enumerate()
                    .filter(|(_, line)| comment_candidate(line).is_some())
                    .map(|(n, _)| n + 1)
                    .collect();
            }
        }
    }
    found
}

/// The first `#` on a line that could open a comment (at the start or after
/// white space).
fn comment_candidate(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    (0..bytes.len())
        .find(|&i| bytes[i] == b'#' && (i == 0 || bytes[i - 1] == b' ' || bytes[i - 1] == b'\t'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_field_paths() {
        let text = "a:\n  b:\n    - id: x\n      c: 1\n    - id: y\n      d: 2\n";
        assert_eq!(field_path_at(text, 6).as_deref(), Some("a.b[1].d"));
        assert_eq!(field_path_at(text, 5).as_deref(), Some("a.b[1].id"));
        assert_eq!(field_path_at(text, 2).as_deref(), Some("a.b"));
    }

    #[test]
    fn finds_comments_but_not_hashes_in_text() {
        let text = "# top\na: 1 # trailing\nb: |\n  # not a comment\n  text\nc: \"x # y\"\n";
        assert_eq!(comment_lines(text), vec![1, 2]);
        // A comment after a quoted `#` on the same line is still a comment.
        let text = "d: \"Item #3 seen\"  # from S2 bundle\ne: 'a #b' # c\nf: g#h\n";
        assert_eq!(comment_lines(text), vec![1, 2]);
        // Block text holding Markdown headings has no comments at all.
        let text = "n: |\n  # Heading\n  ## Sub\n\n  text # still text\nm: x\n";
        assert!(comment_lines(text).is_empty());
        // Text the parser rejects: every possible comment is reported.
        assert_eq!(comment_lines("a: [unclosed # x\nb: c#d\n"), vec![1]);
        let long = format!("{}a: 1\n", "# note\n".repeat(500));
        assert_eq!(comment_lines(&long).len(), 500);
    }
}
