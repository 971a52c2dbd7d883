//! File output that never leaves a half-written file: write to a temporary
//! file in the same folder, fsync, then rename over the target. Files are
//! created owner-only (0600) because case files and reports hold special
//! category data. Also the per-case lock that stops two commands
//! interleaving writes.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, IoContext, Result};

/// Whether an existing file at the target may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Replace the file if it exists.
    Replace,
    /// Fail if the file exists.
    Refuse,
}

/// Writes `bytes` to `path` atomically with owner-only permissions.
///
/// With [`Overwrite::Refuse`] the final step links the temporary file into
/// place, which fails if the target appeared in the meantime, so two
/// processes creating the same case cannot both succeed.
pub fn write_atomic(path: &Path, bytes: &[u8], overwrite: Overwrite) -> Result<()> {
    let dir = parent_dir(path);
    if overwrite == Overwrite::Refuse && path.symlink_metadata().is_ok() {
        return Err(Error::io(
            "create",
            path,
            std::io::Error::from(std::io::ErrorKind::AlreadyExists),
        ));
    }
    if let Ok(meta) = path.symlink_metadata()
        && !meta.file_type().is_symlink()
        && !meta.is_file()
    {
        // A device, folder or pipe at the target would be replaced by the
        // rename: refuse rather than clobber it.
        return Err(Error::invalid(
            format!("`{}` exists and is not a regular file", path.display()),
            "choose another output path",
        ));
    }
    if let Ok(meta) = path.symlink_metadata()
        && meta.file_type().is_symlink()
    {
        // Renaming over a symlink would replace the link, and following it
        // could write outside the folder the user named: refuse both.
        return Err(Error::invalid(
            format!("`{}` is a symbolic link", path.display()),
            "write to a regular file path instead",
        ));
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".spj-").suffix(".tmp");
    // Elsewhere a new file takes its folder's access rules.
    #[cfg(unix)]
    builder.permissions(owner_only());
    let mut tmp = builder
        .tempfile_in(&dir)
        .map_err(without_temp_path)
        .ctx("create a temporary file in", &dir)?;
    // Errors name the file the user asked for, not the temporary one, which
    // is removed when `tmp` is dropped on the way out.
    tmp.as_file_mut().write_all(bytes).ctx("write", path)?;
    tmp.as_file().sync_all().ctx("write", path)?;
    match overwrite {
        Overwrite::Replace => {
            tmp.persist(path)
                .map_err(|e| Error::io("write", path, e.error))?;
        }
        Overwrite::Refuse => {
            tmp.persist_noclobber(path)
                .map_err(|e| Error::io("create", path, e.error))?;
        }
    }
    // The rename is durable only once the folder itself is synced.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The tempfile crate appends ` at path "…/.spj-XXXX.tmp"` to its errors;
/// the message already names the folder, and the random name means nothing
/// to the user (the file no longer exists).
fn without_temp_path(e: std::io::Error) -> std::io::Error {
    let text = e.to_string();
    match text.find(" at path ") {
        Some(i) => std::io::Error::new(e.kind(), &text[..i]),
        None => e,
    }
}

#[cfg(unix)]
fn owner_only() -> fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    fs::Permissions::from_mode(0o600)
}

/// Creates a folder (and its parents) readable only by the owner, for case
/// files and reports.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir).ctx("create folder", dir)
}

/// The folder a path lives in (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// An exclusive lock on one case file, held until dropped.
///
/// The lock lives on a hidden sidecar file (`.NAME.lock`) rather than on the
/// case file itself, because atomic writes replace the case file's inode and
/// a lock on the old inode would protect nothing. The sidecar is never
/// deleted: removing lock files reintroduces the race the lock prevents.
#[derive(Debug)]
pub struct CaseLock {
    _file: File,
}

impl CaseLock {
    /// Takes the lock, failing at once with [`Error::Locked`] if another
    /// process holds it.
    pub fn acquire(case_path: &Path) -> Result<CaseLock> {
        let name = case_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "case".into());
        let lock_path = parent_dir(case_path).join(format!(".{name}.lock"));
        let mut opts = OpenOptions::new();
        opts.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let file = opts.open(&lock_path).ctx("open lock file", &lock_path)?;
        match file.try_lock() {
            Ok(()) => Ok(CaseLock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(Error::Locked {
                path: case_path.to_path_buf(),
            }),
            Err(fs::TryLockError::Error(e)) => Err(Error::io("lock", &lock_path, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_is_owner_only_and_refuses_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.yaml");
        write_atomic(&p, b"one", Overwrite::Refuse).unwrap();
        assert!(write_atomic(&p, b"two", Overwrite::Refuse).is_err());
        assert_eq!(fs::read(&p).unwrap(), b"one");
        write_atomic(&p, b"three", Overwrite::Replace).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"three");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }

    #[test]
    fn second_lock_fails() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.yaml");
        let first = CaseLock::acquire(&p).unwrap();
        assert!(matches!(CaseLock::acquire(&p), Err(Error::Locked { .. })));
        drop(first);
        CaseLock::acquire(&p).unwrap();
    }
}
