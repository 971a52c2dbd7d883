//! Case files: loading with their pinned framework, saving atomically under
//! a lock, and the edits made by `spj new`, `record`, `source add`,
//! `narrative set` and `status`.

pub mod check;
pub mod migrate;
pub mod model;

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use crate::date::Date;
use crate::error::{Error, Result};
use crate::framework::registry::Registry;
use crate::framework::{Framework, LoadedFramework};
use crate::fsio::{CaseLock, Overwrite, write_atomic};
pub use model::*;

/// A case file as read from disk: its path, its exact text and the parsed case.
#[derive(Debug, Clone)]
pub struct CaseFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// The text as read (after encoding checks), for locating findings.
    pub text: String,
    /// The parsed case.
    pub case: Case,
}

impl CaseFile {
    /// Reads and parses a case file, checking its format version.
    pub fn load(path: &Path) -> Result<CaseFile> {
        let text = crate::yaml::read_text(path)?;
        let case: Case = match crate::yaml::parse(path, &text) {
            Ok(c) => c,
            Err(e) => {
                // A case from a newer spj fails the strict parse on its new
                // fields; saying "upgrade spj" helps more than "unknown field".
                #[derive(serde::Deserialize)]
                struct FormatOnly {
                    format: u32,
                }
                return Err(match crate::yaml::parse::<FormatOnly>(path, &text) {
                    Ok(f) if f.format != CASE_FORMAT => format_error(path, &text, f.format),
                    _ => e,
                });
            }
        };
        if case.format != CASE_FORMAT {
            return Err(format_error(path, &text, case.format));
        }
        Ok(CaseFile {
            path: path.to_path_buf(),
            text,
            case,
        })
    }

    /// Reads a case and the exact framework version it was recorded against.
    pub fn load_pinned(path: &Path, registry: &Registry) -> Result<(CaseFile, LoadedFramework)> {
        let cf = CaseFile::load(path)?;
        let fw = registry.pinned(&cf.case.framework, path)?;
        Ok((cf, fw))
    }
}

fn format_error(path: &Path, text: &str, format: u32) -> Error {
    Error::Parse {
        path: path.to_path_buf(),
        line: crate::findings::locate_key(text, "format", 0).map(|l| l.0),
        column: Some(1),
        message: format!(
            "case format {format} is not supported (this spj reads format {CASE_FORMAT})"
        ),
        snippet: None,
        hint: Some(if format > CASE_FORMAT {
            "the case was written by a newer spj; upgrade spj".into()
        } else {
            "check the `format` line; spj writes it when it creates a case".into()
        }),
    }
}

/// A case opened for changes: the lock is held until this is dropped, and
/// every [`EditSession::save`] writes the whole file atomically.
#[derive(Debug)]
pub struct EditSession {
    /// The case as it is now (saved or not).
    pub file: CaseFile,
    /// The pinned framework.
    pub framework: LoadedFramework,
    _lock: CaseLock,
    who: String,
}

/// Whether a rewrite may drop comments found in a hand-edited case file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comments {
    /// Refuse to start if the file has comments.
    Keep,
    /// Rewrite anyway; the user has been told comments are not kept.
    Drop,
}

impl EditSession {
    /// Locks the case, loads it with its pinned framework and refuses to go
    /// on if a rewrite would silently drop the user's comments.
    pub fn open(path: &Path, registry: &Registry, comments: Comments) -> Result<EditSession> {
        EditSession::open_unpinned(path, comments, |cf| {
            registry.pinned(&cf.case.framework, path)
        })
    }

    /// Like [`EditSession::open`], but with the framework `framework` picks
    /// for the case as read under the lock, whatever it is pinned to: for
    /// `spj migrate`, which carries answers by id and so works even when the
    /// version a case was recorded against is gone or was changed without a
    /// new version number.
    pub fn open_unpinned(
        path: &Path,
        comments: Comments,
        framework: impl FnOnce(&CaseFile) -> Result<LoadedFramework>,
    ) -> Result<EditSession> {
        // Before taking the lock: a mistyped path must say so, and must not
        // leave a lock file behind.
        if !path.is_file() {
            return Err(Error::io(
                "open",
                path,
                std::io::Error::from(std::io::ErrorKind::NotFound),
            ));
        }
        let lock = CaseLock::acquire(path)?;
        let file = CaseFile::load(path)?;
        let framework = framework(&file)?;
        if comments == Comments::Keep {
            let lines = crate::yaml::comment_lines(&file.text);
            if !lines.is_empty() {
                let list: Vec<String> = lines.iter().map(usize::to_string).collect();
                return Err(Error::invalid(
                    format!(
                        "`{}` has comments (line {}) that saving would drop",
                        path.display(),
                        list.join(", ")
                    ),
                    "spj rewrites the whole file and cannot keep YAML comments; move them into an \
                     evidence note or narrative, or pass --drop-comments to go ahead without them",
                ));
            }
        }
        Ok(EditSession {
            file,
            framework,
            _lock: lock,
            who: current_user(""),
        })
    }

    /// The framework in force.
    pub fn fw(&self) -> &Framework {
        &self.framework.framework
    }

    /// Records an action in the audit trail, marks a final case amended, and
    /// writes the file atomically.
    pub fn save(&mut self, action: &str) -> Result<()> {
        let case = &mut self.file.case;
        if case.status == CaseStatus::Final && !action.starts_with("status ") {
            case.status = CaseStatus::Amended;
        }
        case.history.push(HistoryEntry {
            at: crate::date::utc_timestamp(),
            by: if self.who.is_empty() {
                case.details.assessor.name.clone()
            } else {
                self.who.clone()
            },
            action: action.to_owned(),
        });
        let text = crate::yaml::to_string(case)?;
        write_atomic(&self.file.path, text.as_bytes(), Overwrite::Replace)?;
        self.file.text = text;
        Ok(())
    }
}

/// The person making changes: `SPJ_USER`, else the login name.
fn current_user(fallback: &str) -> String {
    ["SPJ_USER", "USER", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| fallback.to_owned())
}

/// Options for a new case.
#[derive(Debug, Clone, Default)]
pub struct NewCase {
    /// Case reference; defaults to the file name without extension.
    pub reference: Option<String>,
    /// Pseudonymised subject.
    pub subject: Option<String>,
    /// Assessor's name.
    pub assessor: Option<String>,
    /// Report date; defaults to today.
    pub report_date: Option<Date>,
}

/// Builds the skeleton of a new case: every factor listed and unrated, every
/// narrative present (with the framework's starter text, if any).
pub fn skeleton(fw: &LoadedFramework, opts: &NewCase, default_reference: &str) -> Case {
    let f = &fw.framework;
    let mut ratings = IndexMap::new();
    for (_, factor) in f.factors() {
        let mut rating = IndexMap::new();
        for d in f.factor_dimensions(factor) {
            rating.insert(d.id.clone(), None);
        }
        ratings.insert(
            factor.id.clone(),
            Rating {
                rating,
                evidence: String::new(),
                sources: vec![],
            },
        );
    }
    let narratives = f
        .narratives
        .iter()
        .map(|n| (n.id.clone(), n.starter.clone()))
        .collect();
    let assessor = opts.assessor.clone().unwrap_or_default();
    Case {
        format: CASE_FORMAT,
        framework: FrameworkPin {
            id: f.id.clone(),
            version: f.version.clone(),
            sha256: fw.sha256.clone(),
        },
        details: CaseDetails {
            reference: opts
                .reference
                .clone()
                .unwrap_or_else(|| default_reference.to_owned()),
            subject: opts.subject.clone().unwrap_or_default(),
            assessor: Assessor {
                name: assessor.clone(),
                qualifications: String::new(),
            },
            instructed_by: String::new(),
            referral_question: String::new(),
            dates: CaseDates {
                referral: None,
                report: opts.report_date.unwrap_or_else(Date::today),
                review: None,
            },
            anonymised: false,
        },
        status: CaseStatus::Draft,
        sources: vec![],
        ratings,
        narratives,
        instruments: vec![],
        retired: vec![],
        history: vec![HistoryEntry {
            at: crate::date::utc_timestamp(),
            by: current_user(&assessor),
            action: format!("created against {}", fw.label()),
        }],
    }
}

/// Creates a new case file; refuses to overwrite an existing file.
pub fn create(path: &Path, fw: &LoadedFramework, opts: &NewCase) -> Result<Case> {
    if path.symlink_metadata().is_ok() {
        return Err(Error::invalid(
            format!("`{}` already exists", path.display()),
            "spj never overwrites a case file; choose another name",
        ));
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "case".into());
    let case = skeleton(fw, opts, &stem);
    let dir = crate::fsio::parent_dir(path);
    if !dir.exists() {
        crate::fsio::create_private_dir(&dir)?;
    }
    let text = crate::yaml::to_string(&case)?;
    write_atomic(path, text.as_bytes(), Overwrite::Refuse)?;
    Ok(case)
}

/// The closest id to `wanted` among `known`, for "did you mean" hints.
pub fn closest<'a>(wanted: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (edit_distance(wanted, k), k))
        .filter(|(d, k)| *d <= (k.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Checks that `id` is a factor of the framework, with a helpful error.
pub fn require_factor<'a>(fw: &'a Framework, id: &str) -> Result<&'a crate::framework::Factor> {
    fw.factor(id).ok_or_else(|| {
        let ids = fw.factor_ids();
        let hint = match closest(id, ids.iter().copied()) {
            Some(c) => format!("did you mean `{c}`? valid factors: {}", ids.join(", ")),
            None => format!("valid factors: {}", ids.join(", ")),
        };
        Error::invalid(
            format!(
                "unknown factor `{id}` in framework `{}@{}`",
                fw.id, fw.version
            ),
            hint,
        )
    })
}

/// Checks that `code` is valid for the dimension, with a helpful error.
pub fn require_code(
    fw: &Framework,
    factor: &crate::framework::Factor,
    dim: &str,
    code: &str,
) -> Result<String> {
    let Some(d) = fw.factor_dimensions(factor).find(|d| d.id == dim) else {
        let dims: Vec<&str> = fw
            .factor_dimensions(factor)
            .map(|d| d.id.as_str())
            .collect();
        return Err(Error::invalid(
            format!("factor `{}` is not rated on `{dim}`", factor.id),
            format!("its dimensions are: {}", dims.join(", ")),
        ));
    };
    let found = d
        .codes
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(code.trim()))
        .ok_or_else(|| {
            let valid: Vec<String> = d
                .codes
                .iter()
                .map(|c| format!("{} ({})", c.code, c.label))
                .collect();
            Error::invalid(
                format!("`{code}` is not a {} code", d.label.to_lowercase()),
                format!("valid codes: {}", valid.join(", ")),
            )
        })?;
    Ok(found.code.clone())
}

/// Checks that each source id is registered, with a helpful error.
pub fn require_sources(case: &Case, ids: &[String]) -> Result<()> {
    for id in ids {
        if !case.sources.iter().any(|s| &s.id == id) {
            let known: Vec<&str> = case.sources.iter().map(|s| s.id.as_str()).collect();
            return Err(Error::invalid(
                format!("source `{id}` is not in the case's register"),
                if known.is_empty() {
                    "the register is empty; add one with `spj source add`".to_owned()
                } else {
                    format!(
                        "registered sources: {}; add others with `spj source add`",
                        known.join(", ")
                    )
                },
            ));
        }
    }
    Ok(())
}

/// The next free source id (`S1`, `S2`, …).
pub fn next_source_id(case: &Case) -> String {
    let mut n = case.sources.len() + 1;
    loop {
        let id = format!("S{n}");
        if !case.sources.iter().any(|s| s.id == id) {
            return id;
        }
        n += 1;
    }
}
