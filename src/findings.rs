//! Validation findings: problems reported as data so that every problem in
//! a file is shown at once, each with its location and a hint.

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
/// duplicates. Returns one-based line and the column of the value.
pub fn locate(text: &str, key: &str, value: &str, occurrence: usize) -> Option<(usize, usize)> {
    let mut seen = 0;
    for (n, line) in text.split('\n').enumerate() {
        let t = line.trim_start();
        let t = t.strip_prefix("- ").unwrap_or(t);
        let Some(rest) = t.strip_prefix(key).and_then(|r| r.strip_prefix(':')) else {
            continue;
        };
        let v = rest.trim();
        let v = v.trim_matches(|c| c == '"' || c == '\'');
        if v == value {
            if seen == occurrence {
                let col = line.len() - line.trim_start().len() + 1;
                let col = col + line.trim_start().len() - t.len();
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
    let head = format!("{parent}:");
    let mut offset = 0;
    for line in text.split('\n') {
        offset += 1;
        if line.starts_with(&head) {
            let rest: String = text.split('\n').skip(offset).collect::<Vec<_>>().join("\n");
            return locate_key(&rest, key, 0).map(|(l, c)| (l + offset, c));
        }
    }
    locate_key(text, key, 0)
}

/// Finds the line where a mapping key is written (`key:` at the start of a
/// line, after indentation), the `occurrence`-th time.
pub fn locate_key(text: &str, key: &str, occurrence: usize) -> Option<(usize, usize)> {
    let mut seen = 0;
    for (n, line) in text.split('\n').enumerate() {
        let t = line.trim_start();
        let t2 = t.strip_prefix("- ").unwrap_or(t);
        let quoted = format!("\"{key}\":");
        if t2.starts_with(&format!("{key}:")) || t2.starts_with(&quoted) {
            if seen == occurrence {
                return Some((n + 1, line.len() - t2.len() + 1));
            }
            seen += 1;
        }
    }
    None
}
