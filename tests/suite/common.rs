//! Test helpers: a temporary working folder with the fixture frameworks,
//! and a runner for the real binary.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture file's path.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// What a run produced.
#[derive(Debug)]
pub struct Output {
    /// Exit code.
    pub code: i32,
    /// Standard output, temporary paths masked.
    pub stdout: String,
    /// Standard error, temporary paths masked.
    pub stderr: String,
}

impl Output {
    /// Code, stdout and stderr in one string for snapshots.
    pub fn all(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// A temporary working folder holding `frameworks/` with the fixture frameworks.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    /// A folder with the `mini` fixture frameworks in `frameworks/`.
    pub fn new() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("frameworks")).unwrap();
        for v in ["1.0.0", "1.1.0"] {
            std::fs::copy(
                fixture(&format!("frameworks/mini-{v}.yaml")),
                dir.path().join(format!("frameworks/mini-{v}.yaml")),
            )
            .unwrap();
        }
        Env { dir }
    }

    /// A path inside the folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file inside the folder.
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, content).unwrap();
        p
    }

    /// Reads a file inside the folder.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Runs spj with `args` in the folder.
    #[track_caller]
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, None)
    }

    /// Runs spj with `args` and fails the test unless it succeeds.
    #[track_caller]
    pub fn run_ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert_eq!(out.code, 0, "{}", out.all());
        out
    }

    /// Runs spj with standard input.
    #[track_caller]
    pub fn run_with_stdin(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut cmd = command(self.dir.path());
        cmd.args(args);
        cmd.stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn spj");
        if let Some(input) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
        }
        let out = child.wait_with_output().expect("wait for spj");
        self.output(&out)
    }

    /// A finished process's code and output, temporary paths masked.
    pub fn output(&self, out: &std::process::Output) -> Output {
        let mask = |b: &[u8]| mask(&String::from_utf8_lossy(b), self.dir.path());
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: mask(&out.stdout),
            stderr: mask(&out.stderr),
        }
    }

    /// Creates a case from the mini framework with fixed details.
    #[track_caller]
    pub fn new_case(&self, name: &str) -> PathBuf {
        let out = self.run(&[
            "new",
            name,
            "--framework",
            "mini@1.0.0",
            "--subject",
            "Mr T",
            "--assessor",
            "Dr Test",
            "--report-date",
            "2026-03-01",
        ]);
        assert_eq!(out.code, 0, "{}", out.all());
        self.path(name)
    }
}

/// The spj command with a clean, deterministic environment.
pub fn command(cwd: &Path) -> Command {
    wrapped(Command::new(env!("CARGO_BIN_EXE_spj")), cwd)
}

/// `cmd` (spj, or a program that runs it) with the same clean,
/// deterministic environment as [`command`].
pub fn wrapped(mut cmd: Command, cwd: &Path) -> Command {
    cmd.current_dir(cwd)
        .env_remove("SPJ_FRAMEWORKS")
        .env_remove("EDITOR")
        .env_remove("VISUAL")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "80")
        .env("SPJ_USER", "tester");
    cmd
}

/// Replaces the temporary folder's path with `[TMP]`.
pub fn mask(text: &str, dir: &Path) -> String {
    let mut s = text.to_owned();
    if let Ok(real) = dir.canonicalize() {
        s = s.replace(&real.display().to_string(), "[TMP]");
    }
    s.replace(&dir.display().to_string(), "[TMP]")
}

/// Masks the audit trail's timestamps in a case file.
pub fn mask_times(text: &str) -> String {
    let re = regex::Regex::new(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z").unwrap();
    re.replace_all(text, "[TIME]").into_owned()
}
