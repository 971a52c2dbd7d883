//! Finding frameworks: the ones compiled into the binary and the ones in
//! framework folders on disk. A file on disk with the same id and version
//! as a bundled framework takes precedence, so an organisation can ship its
//! own copy; a case still refuses any copy whose content hash differs from
//! the one it pinned.

use std::path::{Path, PathBuf};

use crate::case::model::FrameworkPin;
use crate::error::{Error, Result};
use crate::framework::{LoadedFramework, Origin, load_text};

/// The frameworks compiled into the binary: file name and content.
pub const BUNDLED: &[(&str, &str)] = &[(
    "nc-iioc-1.0.0.yaml",
    include_str!("../../frameworks/nc-iioc-1.0.0.yaml"),
)];

/// Environment variable naming extra framework folders (`:`-separated).
pub const PATH_ENV: &str = "SPJ_FRAMEWORKS";

/// A framework file on disk that could not be loaded.
#[derive(Debug)]
pub struct Broken {
    /// The file.
    pub path: PathBuf,
    /// Why it failed.
    pub error: Error,
}

/// All frameworks known to this run, disk first.
#[derive(Debug, Default)]
pub struct Registry {
    /// Frameworks in precedence order: folders in the order given, then bundled.
    pub entries: Vec<LoadedFramework>,
    /// Files in framework folders that failed to load.
    pub broken: Vec<Broken>,
    /// The folders searched.
    pub folders: Vec<PathBuf>,
}

/// The bundled frameworks, parsed. They are validated by the test suite, so
/// a failure here is a build defect and is reported as an error, not a panic.
pub fn bundled() -> Result<Vec<LoadedFramework>> {
    BUNDLED
        .iter()
        .map(|(name, text)| load_text(Path::new(name), text, Origin::Bundled(name)))
        .collect()
}

/// Loads a framework file, reusing the parse of a bundled framework with
/// byte-identical text (a checkout's `frameworks/` folder usually holds the
/// same files as the binary, and every command would otherwise parse them
/// twice).
fn load_reusing(path: &Path, bundled: &[LoadedFramework]) -> Result<LoadedFramework> {
    let text = crate::yaml::read_text(path)?;
    let same = BUNDLED
        .iter()
        .zip(bundled)
        .find(|((_, b), _)| *b == text.as_str());
    match same {
        Some((_, fw)) => Ok(LoadedFramework {
            origin: Origin::File(path.to_path_buf()),
            ..fw.clone()
        }),
        None => load_text(path, &text, Origin::File(path.to_path_buf())),
    }
}

impl Registry {
    /// Loads the bundled frameworks and every `*.yaml`/`*.yml` file in
    /// `folders` (missing folders are skipped).
    pub fn discover(folders: &[PathBuf]) -> Result<Registry> {
        let mut reg = Registry {
            folders: folders.to_vec(),
            ..Registry::default()
        };
        let bundled = bundled()?;
        for dir in folders {
            let Ok(read) = std::fs::read_dir(dir) else {
                continue;
            };
            let mut files: Vec<PathBuf> = read
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
                })
                .collect();
            files.sort();
            for path in files {
                match load_reusing(&path, &bundled) {
                    Ok(fw) => reg.entries.push(fw),
                    Err(error) => reg.broken.push(Broken { path, error }),
                }
            }
        }
        reg.entries.extend(bundled);
        Ok(reg)
    }

    /// The default folders: those in `SPJ_FRAMEWORKS`, then `./frameworks`.
    pub fn default_folders(extra: &[PathBuf]) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = extra.to_vec();
        if let Some(v) = std::env::var_os(PATH_ENV) {
            out.extend(std::env::split_paths(&v).filter(|p| !p.as_os_str().is_empty()));
        }
        out.push(PathBuf::from("frameworks"));
        out
    }

    /// Resolves `ID`, `ID@VERSION` or a path to a framework file. `ID` alone
    /// picks the highest published version.
    pub fn resolve(&self, spec: &str) -> Result<LoadedFramework> {
        let as_path = Path::new(spec);
        if spec.ends_with(".yaml") || spec.ends_with(".yml") || spec.contains('/') {
            return crate::framework::load_file(as_path);
        }
        let (id, version) = match spec.split_once('@') {
            Some((i, v)) => (i, Some(v)),
            None => (spec, None),
        };
        let mut candidates: Vec<&LoadedFramework> = self
            .entries
            .iter()
            .filter(|f| f.framework.id == id && version.is_none_or(|v| f.framework.version == v))
            .collect();
        if version.is_none() {
            candidates.sort_by(|a, b| {
                let va = semver::Version::parse(&a.framework.version).ok();
                let vb = semver::Version::parse(&b.framework.version).ok();
                vb.cmp(&va)
            });
        }
        candidates
            .first()
            .map(|f| (*f).clone())
            .ok_or_else(|| self.not_found(spec))
    }

    /// The framework a case was recorded against: same id and version, and
    /// the same content hash, or an error that says which differs.
    pub fn pinned(&self, pin: &FrameworkPin, case_path: &Path) -> Result<LoadedFramework> {
        let Some(found) = self
            .entries
            .iter()
            .find(|f| f.framework.id == pin.id && f.framework.version == pin.version)
        else {
            return Err(Error::invalid(
                format!(
                    "`{}` was recorded against framework `{}@{}`, which cannot be found",
                    case_path.display(),
                    pin.id,
                    pin.version
                ),
                format!(
                    "put that framework's file in one of: {}; or see `spj framework list`",
                    self.folder_list()
                ),
            ));
        };
        if found.sha256 != pin.sha256 {
            return Err(Error::invalid(
                format!(
                    "framework `{}@{}` from {} has content hash {} but `{}` was recorded against {}",
                    pin.id,
                    pin.version,
                    found.origin.describe(),
                    short(&found.sha256),
                    case_path.display(),
                    short(&pin.sha256)
                ),
                "the framework changed without a new version number; restore the original file, \
                 or publish the change as a new version and run `spj migrate`",
            ));
        }
        Ok(found.clone())
    }

    fn folder_list(&self) -> String {
        self.folders
            .iter()
            .map(|p| format!("`{}`", p.display()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn not_found(&self, spec: &str) -> Error {
        let known: Vec<String> = self.entries.iter().map(LoadedFramework::label).collect();
        let mut known_unique = known.clone();
        known_unique.dedup();
        Error::invalid(
            format!("no framework `{spec}` found"),
            format!(
                "known frameworks: {}; give a file path, or add a folder with --frameworks",
                known_unique.join(", ")
            ),
        )
    }
}

/// The first 12 hex digits of a hash, for messages and tables.
pub fn short(hash: &str) -> &str {
    // By characters, not bytes: a hand-edited hash may hold anything.
    match hash.char_indices().nth(12) {
        Some((i, _)) => &hash[..i],
        None => hash,
    }
}
