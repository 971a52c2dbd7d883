//! The one error type of the crate. Every variant carries the context a user
//! needs: the file, the line and column where known, and a hint.
//!
//! Messages follow one style: lowercase, names in backticks, the cause in
//! parentheses. Any `Error` means bad input or usage and exits with code 2;
//! "problems found" (exit 1) is a normal outcome, not an error.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong, with its context.
#[derive(Debug)]
pub enum Error {
    /// Reading, writing or creating a file failed.
    Io {
        /// What was being done, as a verb phrase (`read`, `write`, `create folder`).
        action: &'static str,
        /// The file concerned.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// A file could not be parsed, or holds a value that is not allowed.
    Parse {
        /// The file.
        path: PathBuf,
        /// One-based line, if known.
        line: Option<usize>,
        /// One-based column, if known.
        column: Option<usize>,
        /// What is wrong, naming the field.
        message: String,
        /// The offending lines, already formatted for display.
        snippet: Option<String>,
        /// What to do about it.
        hint: Option<String>,
    },
    /// A request that cannot be carried out as asked.
    Invalid {
        /// What is wrong.
        message: String,
        /// What to do about it.
        hint: Option<String>,
    },
    /// Another spj command holds the case file's lock.
    Locked {
        /// The case file.
        path: PathBuf,
    },
}

impl Error {
    /// An `Invalid` error with a hint.
    pub fn invalid(message: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::Invalid {
            message: message.into(),
            hint: Some(hint.into()).filter(|h: &String| !h.is_empty()),
        }
    }

    /// An `Invalid` error without a hint.
    pub fn msg(message: impl Into<String>) -> Error {
        Error::Invalid {
            message: message.into(),
            hint: None,
        }
    }

    /// An I/O error on a path.
    pub fn io(action: &'static str, path: &Path, source: io::Error) -> Error {
        Error::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    /// A parse error without a location (for example invalid encoding).
    pub fn parse(path: &Path, message: impl Into<String>, hint: Option<String>) -> Error {
        Error::Parse {
            path: path.to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
            snippet: None,
            hint,
        }
    }

    /// What to do about the error, if anything useful can be said.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Io { source, path, .. } => match source.kind() {
                io::ErrorKind::NotFound => Some(format!("check the path `{}`", path.display())),
                io::ErrorKind::PermissionDenied => {
                    Some("check the file's and folder's permissions".into())
                }
                io::ErrorKind::AlreadyExists => {
                    Some("choose another name; spj never overwrites a case file".into())
                }
                io::ErrorKind::StorageFull
                | io::ErrorKind::QuotaExceeded
                | io::ErrorKind::FileTooLarge => Some(
                    "free some space (or ask for a larger quota) and run the command again; \
                     the file was left as it was before"
                        .into(),
                ),
                io::ErrorKind::ReadOnlyFilesystem => {
                    Some("write to a folder on a writable disk".into())
                }
                _ => None,
            },
            Error::Parse { hint, .. } | Error::Invalid { hint, .. } => hint.clone(),
            Error::Locked { .. } => Some(
                "wait for the other command (an interview, or another `spj record`) to finish, \
                 then try again"
                    .into(),
            ),
        }
    }

    /// Adds a hint to errors that can carry one and have none yet.
    pub fn with_hint(mut self, text: impl Into<String>) -> Error {
        if let Error::Parse { hint, .. } | Error::Invalid { hint, .. } = &mut self
            && hint.is_none()
        {
            *hint = Some(text.into());
        }
        self
    }

    /// The full report for a terminal: the message, the snippet and the hint.
    pub fn report(&self) -> String {
        let mut out = format!("error: {self}");
        if let Error::Parse {
            snippet: Some(s), ..
        } = self
        {
            out.push('\n');
            out.push_str(s.trim_end());
        }
        if let Some(h) = self.hint() {
            out.push_str("\n  hint: ");
            out.push_str(&h);
        }
        out
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io {
                action,
                path,
                source,
            } => write!(f, "failed to {action} `{}` ({source})", path.display()),
            Error::Parse {
                path,
                line,
                column,
                message,
                ..
            } => {
                write!(f, "{}", path.display())?;
                if let Some(l) = line {
                    write!(f, ":{l}")?;
                    if let Some(c) = column {
                        write!(f, ":{c}")?;
                    }
                }
                write!(f, ": {message}")
            }
            Error::Invalid { message, .. } => f.write_str(message),
            Error::Locked { path } => write!(
                f,
                "`{}` is being changed by another spj command",
                path.display()
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Extension for attaching a path to I/O results.
pub trait IoContext<T> {
    /// Wraps an I/O error with what was being done and to which path.
    fn ctx(self, action: &'static str, path: &Path) -> Result<T>;
}

impl<T> IoContext<T> for io::Result<T> {
    fn ctx(self, action: &'static str, path: &Path) -> Result<T> {
        self.map_err(|e| Error::io(action, path, e))
    }
}
