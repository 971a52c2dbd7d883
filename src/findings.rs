//! Validation findings: problems reported as data so that every problem in
//! a file is shown at once, each with its location and a hint.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Worth knowing; does not make the command fail.
    Warning,
    /// Must be fixed; the command exits with code 1.
    Error,
}

/// One problem found in a file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// The file.
    pub file: PathBuf,
    /// One-based line, if known.
    pub line: Option<usize>,
    /// One-based column, if known.
    pub column: Option<usize>,
    /// The field concerned, as a dotted path.
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// A stable machine-readable kind (for example `unrated`, `no-evidence`).
    pub kind: &'static str,
}

impl Finding {
    /// A new error finding without a location.
    pub fn error(
        file: impl Into<PathBuf>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            field: field.into(),
            message: message.into(),
            hint: None,
            kind: "invalid",
        }
    }

    /// Sets the machine-readable kind.
    pub fn kind(mut self, kind: &'static str) -> Finding {
        self.kind = kind;
        self
    }

    /// Turns the finding into a warning.
    pub fn warning(mut self) -> Finding {
        self.severity = Severity::Warning;
        self
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Finding {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a location.
    pub fn at(mut self, location: Option<(usize, usize)>) -> Finding {
        if let Some((l, c)) = location {
            self.line = Some(l);
            self.column = Some(c);
        }
        self
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}", self.file.display())?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        if self.field.is_empty() {
            write!(f, ": {}", self.message)?;
        } else {
            write!(f, ": `{}`: {}", self.field, self.message)?;
        }
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

/// Finds where `key: value` is written in YAML text, for locating findings
/// about a parsed value. `occurrence` picks the n-th match (zero-based), for
/// duplicates. Returns the one-based line and the column of the key.
pub fn locate(text: &str, key: &str, value: &str, occurrence: usize) -> Option<(usize, usize)> {
    let mut seen = 0;
    for (n, line) in text.split('\n').enumerate() {
        let Some((col, rest)) = key_at(line, key) else {
            continue;
        };
        let v = rest.trim();
        let v = v.trim_matches(|c| c == '"' || c == '\'');
        if v == value {
            if seen == occurrence {
                return Some((n + 1, col));
            }
            seen += 1;
        }
    }
    None
}

/// Like [`locate_key`], but only below the top-level mapping `parent`
/// (for example a narrative id under `narratives:`, which could otherwise
/// match a same-named key elsewhere, such as `dates.review`).
pub fn locate_child(text: &str, parent: &str, key: &str) -> Option<(usize, usize)> {
    let mut lines = text.split('\n').enumerate();
    // Only a top-level key opens the parent's block, so the line must start
    // with it (no indentation).
    let found = lines.by_ref().any(|(_, line)| {
        line.strip_prefix(parent)
            .is_some_and(|r| r.starts_with(':'))
    });
    if !found {
        return locate_key(text, key, 0);
    }
    // Runs once per factor in `spj check`: scan in place, without copying
    // the rest of the text.
    lines
        .filter_map(|(n, line)| key_at(line, key).map(|(col, _)| (n + 1, col)))
        .next()
}

/// Finds the line where a mapping key is written (`key:` at the start of a
/// line, after indentation), the `occurrence`-th time.
pub fn locate_key(text: &str, key: &str, occurrence: usize) -> Option<(usize, usize)> {
    text.split('\n')
        .enumerate()
        .filter_map(|(n, line)| key_at(line, key).map(|(col, _)| (n + 1, col)))
        .nth(occurrence)
}

/// If `line` holds the mapping key `key` (after indentation and an optional
/// `- `, bare or double-quoted), its one-based column and the text after the
/// colon.
fn key_at<'a>(line: &'a str, key: &str) -> Option<(usize, &'a str)> {
    let t = line.trim_start();
    let t = t.strip_prefix("- ").unwrap_or(t);
    let rest = match t.strip_prefix(key) {
        Some(r) => r.strip_prefix(':')?,
        None => t
            .strip_prefix('"')?
            .strip_prefix(key)?
            .strip_prefix("\":")?,
    };
    // Columns count characters, as editors do; indentation is ASCII, so the
    // prefix length in bytes is the count.
    Some((line.len() - t.len() + 1, rest))
}

/// Every `key: value` line of a text, indexed once, for callers that locate
/// many values in the same large text (framework validation looks up every
/// id, code and key it checks).
#[derive(Debug, Default)]
pub struct KeyIndex<'a> {
    by_key: HashMap<&'a str, Positions>,
    by_pair: HashMap<&'a str, HashMap<&'a str, Positions>>,
}

/// Line and column of each occurrence, in file order.
type Positions = Vec<(usize, usize)>;

impl<'a> KeyIndex<'a> {
    /// Indexes `text` in one pass.
    pub fn new(text: &'a str) -> KeyIndex<'a> {
        let mut index = KeyIndex::default();
        for (n, line) in text.split('\n').enumerate() {
            let t = line.trim_start();
            let t = t.strip_prefix("- ").unwrap_or(t);
            let (key, rest) = match t.strip_prefix('"') {
                Some(q) => match q.split_once("\":") {
                    Some(kr) => kr,
                    None => continue,
                },
                None => match t.split_once(':') {
                    Some(kr) => kr,
                    None => continue,
                },
            };
            let at = (n + 1, line.len() - t.len() + 1);
            let value = rest.trim().trim_matches(|c| c == '"' || c == '\'');
            index.by_key.entry(key).or_default().push(at);
            index
                .by_pair
                .entry(key)
                .or_default()
                .entry(value)
                .or_default()
                .push(at);
        }
        index
    }

    /// As [`locate`], from the index.
    pub fn locate(&self, key: &str, value: &str, occurrence: usize) -> Option<(usize, usize)> {
        self.by_pair.get(key)?.get(value)?.get(occurrence).copied()
    }

    /// As [`locate_key`], from the index.
    pub fn locate_key(&self, key: &str, occurrence: usize) -> Option<(usize, usize)> {
        self.by_key.get(key)?.get(occurrence).copied()
    }
}
