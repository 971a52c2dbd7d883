//! Hostile inputs: each yields a clear error and exit 2 (or 1 for
//! validation), never a panic, and never a partial output file.

use crate::common::Env;

fn assert_clean_failure(out: &crate::common::Output, code: i32) {
    assert_eq!(out.code, code, "{}", out.all());
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert!(!out.stdout.contains("panicked"), "{}", out.stdout);
}

#[test]
fn malformed_case_files() {
    let env = Env::new();
    let case = env.new_case("c.yaml");
    let good = env.read("c.yaml");
    let mut deep = String::from("format: 1\nx: ");
    deep.push_str(&"[".repeat(5000));
    let alias_bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "syntax",
            good.replace("status: draft", "status: [draft").into_bytes(),
        ),
        (
            "duplicate key",
            good.replace("status: draft", "status: draft\nstatus: final")
                .into_bytes(),
        ),
        (
            "unknown field",
            good.replace("status: draft", "status: draft\nscore: 12")
                .into_bytes(),
        ),
        (
            "bad status",
            good.replace("status: draft", "status: finished")
                .into_bytes(),
        ),
        (
            "bad date",
            good.replace("report: \"2026-03-01\"", "report: \"2026-02-30\"")
                .into_bytes(),
        ),
        (
            "invalid utf-8",
            [good.as_bytes(), b"\n# \xff\xfe\n"].concat(),
        ),
        ("deep nesting", deep.into_bytes()),
        ("alias bomb", alias_bomb.as_bytes().to_vec()),
        (
            "control characters",
            good.replace("Mr T", "Mr \u{1}T").into_bytes(),
        ),
        ("empty", Vec::new()),
        ("huge", vec![b'a'; 9 * 1024 * 1024]),
    ];
    for (what, bytes) in cases {
        std::fs::write(&case, &bytes).unwrap();
        let out = env.run(&["check", "c.yaml"]);
        assert_clean_failure(&out, 2);
        assert!(
            out.stdout.contains("c.yaml"),
            "{what}: error does not name the file:\n{}",
            out.all()
        );
        let rec = env.run(&["record", "c.yaml", "isolation", "--presence", "N"]);
        assert_clean_failure(&rec, 2);
        assert_eq!(
            std::fs::read(&case).unwrap(),
            bytes,
            "{what}: the file was changed"
        );
        let render = env.run(&["render", "c.yaml"]);
        assert_clean_failure(&render, 2);
        assert!(
            !env.path("c.pdf").exists(),
            "{what}: partial output written"
        );
    }
}

#[test]
fn error_snapshots_for_common_mistakes() {
    let env = Env::new();
    env.new_case("c.yaml");
    let good = env.read("c.yaml");
    env.write(
        "c.yaml",
        good.replace("status: draft", "status: draft\nstatus: final"),
    );
    insta::assert_snapshot!("case-duplicate-key", env.run(&["check", "c.yaml"]).stdout);
    env.write(
        "c.yaml",
        good.replace(
            "    evidence: \"\"\n    sources: []\n  prosocial-routine",
            "    evidnce: \"\"\n    sources: []\n  prosocial-routine",
        ),
    );
    insta::assert_snapshot!("case-unknown-field", env.run(&["check", "c.yaml"]).stdout);
    env.write(
        "c.yaml",
        good.replace("report: \"2026-03-01\"", "report: \"2026-02-30\""),
    );
    insta::assert_snapshot!("case-bad-date", env.run(&["check", "c.yaml"]).stdout);
}

#[test]
fn bom_and_crlf_are_accepted() {
    let env = Env::new();
    env.new_case("c.yaml");
    let good = env.read("c.yaml");
    let crlf = format!("\u{feff}{}", good.replace('\n', "\r\n"));
    env.write("c.yaml", crlf);
    let out = env.run(&["check", "c.yaml"]);
    assert_eq!(out.code, 1, "{}", out.all());
    let out = env.run(&["render", "c.yaml", "--format", "typ"]);
    assert_eq!(out.code, 0, "{}", out.all());
}

#[test]
fn very_long_lines_render() {
    let env = Env::new();
    env.new_case("c.yaml");
    let long = "word ".repeat(20_000) + &"x".repeat(5_000);
    assert_eq!(
        env.run(&["record", "c.yaml", "isolation", "--evidence", &long])
            .code,
        0
    );
    let out = env.run(&["render", "c.yaml"]);
    assert_eq!(out.code, 0, "{}", out.all());
}

#[cfg(unix)]
#[test]
fn symlinked_outputs_are_refused() {
    let env = Env::new();
    env.new_case("c.yaml");
    env.write("elsewhere.txt", "keep me");
    std::os::unix::fs::symlink(env.path("elsewhere.txt"), env.path("c.pdf")).unwrap();
    let out = env.run(&["render", "c.yaml"]);
    assert_clean_failure(&out, 2);
    assert!(out.stderr.contains("symbolic link"), "{}", out.stderr);
    assert_eq!(env.read("elsewhere.txt"), "keep me");
}

#[cfg(unix)]
/// Makes a folder unwritable for the test's lifetime: by permissions, and
/// where the tests run as root (whom permissions do not stop) by marking it
/// immutable with `chattr +i`. Returns `None` where neither holds.
struct Unwritable(std::path::PathBuf, bool);

impl Unwritable {
    fn new(dir: &std::path::Path) -> Option<Unwritable> {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o500)).unwrap();
        let probe = dir.join("probe");
        if std::fs::write(&probe, "x").is_err() {
            return Some(Unwritable(dir.to_path_buf(), false));
        }
        std::fs::remove_file(&probe).unwrap();
        let immutable = std::process::Command::new("chattr")
            .arg("+i")
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        (immutable && std::fs::write(&probe, "x").is_err())
            .then(|| Unwritable(dir.to_path_buf(), true))
    }
}

impl Drop for Unwritable {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if self.1 {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(&self.0)
                .status();
        }
        let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o700));
    }
}

#[test]
fn read_only_output_folder_is_a_clear_error() {
    let env = Env::new();
    env.new_case("c.yaml");
    std::fs::create_dir(env.path("ro")).unwrap();
    let Some(_guard) = Unwritable::new(&env.path("ro")) else {
        eprintln!("skipped: cannot make a folder unwritable here");
        return;
    };
    let out = env.run(&["render", "c.yaml", "-o", "ro/c.pdf"]);
    assert_clean_failure(&out, 2);
    assert!(out.stderr.contains("ro"), "{}", out.stderr);
    assert!(out.stderr.contains("hint:"), "{}", out.stderr);
    assert!(
        std::fs::read_dir(env.path("ro")).unwrap().next().is_none(),
        "partial output"
    );
    // A batch into it fails every case cleanly, too.
    let out = env.run(&["render", "c.yaml", "c.yaml", "--out-dir", "ro"]);
    assert!(out.code == 1 || out.code == 2, "{}", out.all());
    assert!(!out.all().contains("panicked"), "{}", out.all());
    assert!(std::fs::read_dir(env.path("ro")).unwrap().next().is_none());
}

#[test]
fn special_files_and_folders_are_never_replaced() {
    let env = Env::new();
    env.new_case("c.yaml");
    std::fs::create_dir(env.path("c.pdf")).unwrap();
    let out = env.run(&["render", "c.yaml"]);
    assert_clean_failure(&out, 2);
    assert!(
        out.stderr.contains("is not a regular file"),
        "{}",
        out.stderr
    );
    assert!(env.path("c.pdf").is_dir());
    // A device node is refused before anything is written beside it.
    #[cfg(unix)]
    if std::path::Path::new("/dev/null").exists() {
        let err = spj::fsio::write_atomic(
            std::path::Path::new("/dev/null"),
            b"x",
            spj::fsio::Overwrite::Replace,
        );
        assert!(err.is_err());
    }
}

#[test]
fn batch_failure_of_one_case_does_not_stop_the_others() {
    let env = Env::new();
    env.new_case("cases/a.yaml");
    env.new_case("cases/b.yaml");
    env.write("cases/broken.yaml", "format: 1\nnot: [closed\n");
    let text = env
        .read("cases/b.yaml")
        .replace("reference: b", "reference: \"../../escape/../me\"");
    env.write("cases/b.yaml", text);
    let out = env.run(&["render", "cases", "--out-dir", "out", "--jobs", "2"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(env.path("out/a.pdf").exists());
    assert!(
        env.path("out/escape-me.pdf").exists(),
        "{:?}",
        std::fs::read_dir(env.path("out"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect::<Vec<_>>()
    );
    assert!(!env.path("escape").exists());
    assert!(
        out.stdout.contains("2 rendered, 1 failed"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("failed"));
    let js = env.run(&["render", "cases", "--out-dir", "out", "--summary", "json"]);
    let v: serde_json::Value = serde_json::from_str(&js.stdout).unwrap();
    assert_eq!(v["failed"], 1);
    assert_eq!(v["results"].as_array().unwrap().len(), 3);
}

/// Runs spj with the largest file it may write set to `blocks` × 512 bytes
/// and SIGXFSZ ignored, so a write past the limit fails with "file too
/// large" the way a write to a full disk fails with "no space left". This
/// simulates a full disk without mounting a file system, and works as root.
fn run_with_file_limit(env: &Env, blocks: u32, args: &[&str]) -> crate::common::Output {
    let mut cmd = crate::common::wrapped(std::process::Command::new("sh"), env.dir.path());
    cmd.arg("-c")
        .arg(r#"trap '' XFSZ; ulimit -f "$1"; shift; exec "$@""#)
        .arg("sh")
        .arg(blocks.to_string())
        .arg(env!("CARGO_BIN_EXE_spj"))
        .args(args);
    env.output(&cmd.output().expect("run sh"))
}

/// The names in a folder, sorted, for checking that nothing was left behind.
fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn full_disk_while_rendering_leaves_no_partial_report() {
    let env = Env::new();
    env.new_case("c.yaml");
    let before = listing(env.dir.path());
    // 4 KiB: far less than any report.
    let out = run_with_file_limit(&env, 8, &["render", "c.yaml"]);
    assert_clean_failure(&out, 2);
    assert!(
        out.stderr.contains("failed to write `c.pdf`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("free some space"), "{}", out.stderr);
    assert_eq!(listing(env.dir.path()), before, "something was left behind");
    // The same command with room to write succeeds, so the limit was the cause.
    let ok = env.run(&["render", "c.yaml"]);
    assert_eq!(ok.code, 0, "{}", ok.all());
}

#[test]
fn full_disk_while_saving_a_case_keeps_the_old_file() {
    let env = Env::new();
    env.new_case("c.yaml");
    let original = std::fs::read(env.path("c.yaml")).unwrap();
    let before = listing(env.dir.path());
    let evidence = "A long evidence note. ".repeat(1000);
    let limit = u32::try_from(original.len() / 512 + 2).unwrap();
    let out = run_with_file_limit(
        &env,
        limit,
        &[
            "record",
            "c.yaml",
            "isolation",
            "--presence",
            "Y",
            "--evidence",
            &evidence,
        ],
    );
    assert_clean_failure(&out, 2);
    assert!(
        out.stderr.contains("failed to write `c.yaml`"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read(env.path("c.yaml")).unwrap(), original);
    let after: Vec<String> = listing(env.dir.path())
        .into_iter()
        .filter(|n| !n.ends_with(".lock"))
        .collect();
    assert_eq!(after, before, "something was left behind");
}

#[test]
fn full_disk_in_a_batch_fails_each_case_cleanly() {
    let env = Env::new();
    env.new_case("a.yaml");
    env.new_case("b.yaml");
    std::fs::create_dir(env.path("cases")).unwrap();
    for n in ["a.yaml", "b.yaml"] {
        std::fs::rename(env.path(n), env.path(&format!("cases/{n}"))).unwrap();
    }
    let out = run_with_file_limit(&env, 8, &["render", "cases", "--out-dir", "out"]);
    // A batch reports failed cases as problems (exit 1) after trying all.
    assert_clean_failure(&out, 1);
    assert!(out.stdout.contains("0 rendered, 2 failed"), "{}", out.all());
    assert!(out.stdout.contains("failed to write"), "{}", out.all());
    assert!(listing(&env.path("out")).is_empty(), "partial output");
}

#[test]
fn png_pages_of_one_case_never_overwrite_another_case() {
    let env = Env::new();
    // Page 2 of case `A` would be `A-2.png`, the name case `A-2` wants.
    for (file, reference) in [("cases/a.yaml", "A"), ("cases/b.yaml", "A-2")] {
        env.new_case(file);
        let stem = std::path::Path::new(file)
            .file_stem()
            .unwrap()
            .to_str()
            .unwrap();
        let text = env.read(file).replace(
            &format!("reference: {stem}"),
            &format!("reference: {reference}"),
        );
        env.write(file, text);
    }
    let out = env.run(&[
        "render",
        "cases",
        "--out-dir",
        "out",
        "--format",
        "png",
        "--jobs",
        "2",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    let v = env.run(&[
        "render",
        "cases",
        "--out-dir",
        "out2",
        "--format",
        "png",
        "--summary",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&v.stdout).unwrap();
    let mut all: Vec<String> = Vec::new();
    for r in v["results"].as_array().unwrap() {
        assert_eq!(r["status"], "ok", "{r}");
        for o in r["outputs"].as_array().unwrap() {
            all.push(o.as_str().unwrap().to_owned());
        }
    }
    let unique: std::collections::BTreeSet<&String> = all.iter().collect();
    assert_eq!(
        unique.len(),
        all.len(),
        "two cases wrote the same file: {all:?}"
    );
    assert_eq!(listing(&env.path("out2")).len(), all.len(), "{all:?}");
    // The case that gave way got a name that says so; the other kept its own.
    assert!(all.iter().any(|o| o.ends_with("out2/A-1.png")), "{all:?}");
    assert!(all.iter().any(|o| o.contains("out2/A-2-2")), "{all:?}");
}
