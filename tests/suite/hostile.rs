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
#[test]
fn read_only_output_folder_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.new_case("c.yaml");
    std::fs::create_dir(env.path("ro")).unwrap();
    std::fs::set_permissions(env.path("ro"), std::fs::Permissions::from_mode(0o500)).unwrap();
    // Root ignores permissions; the check only means something for others.
    let probe = std::fs::write(env.path("ro/probe"), "x").is_err();
    let out = env.run(&["render", "c.yaml", "-o", "ro/c.pdf"]);
    if probe {
        assert_clean_failure(&out, 2);
        assert!(out.stderr.contains("ro"), "{}", out.stderr);
        assert!(
            std::fs::read_dir(env.path("ro")).unwrap().next().is_none(),
            "partial output"
        );
    }
    std::fs::set_permissions(env.path("ro"), std::fs::Permissions::from_mode(0o700)).unwrap();
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
