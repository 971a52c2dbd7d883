//! `spj framework …` and `spj schema`.

use crate::common::{Env, fixture};

#[test]
fn bundled_framework_validates_clean() {
    let env = Env::new();
    let path = crate::common::root().join("frameworks");
    let out = env.run(&["framework", "validate", path.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("ok: "), "{}", out.all());
    assert!(
        !out.stdout.contains("warning"),
        "bundled framework has warnings:\n{}",
        out.stdout
    );
}

#[test]
fn each_kind_of_bad_framework_is_reported_with_location() {
    let env = Env::new();
    let bad = fixture("bad");
    let mut names: Vec<_> = std::fs::read_dir(&bad)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert!(names.len() >= 6);
    let located = regex::Regex::new(r"^error: \[FIXTURES\]/[a-z-]+\.yaml:\d+:\d+: ").unwrap();
    for name in names {
        let path = bad.join(&name);
        let out = env.run(&["framework", "validate", path.to_str().unwrap()]);
        assert_eq!(out.code, 1, "{name}: {}", out.all());
        let text = out.stdout.replace(&bad.display().to_string(), "[FIXTURES]");
        // Every error names file:line:col.
        for line in text.lines().filter(|l| l.starts_with("error:")) {
            assert!(located.is_match(line), "{name}: no location in `{line}`");
        }
        insta::assert_snapshot!(format!("validate-{name}"), text);
    }
}

#[test]
fn many_problems_are_reported_at_once() {
    let env = Env::new();
    let out = env.run(&[
        "framework",
        "validate",
        fixture("bad/many-problems.yaml").to_str().unwrap(),
    ]);
    assert_eq!(out.code, 1);
    let errors = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("error:"))
        .count();
    assert!(errors >= 4, "{}", out.stdout);
    for needle in [
        "used twice",
        "unknown model",
        "steene-2032",
        "`X` is not a code",
    ] {
        assert!(
            out.stdout.contains(needle),
            "missing `{needle}` in\n{}",
            out.stdout
        );
    }
}

#[test]
fn scoring_keys_are_refused_with_an_explanation() {
    let env = Env::new();
    let out = env.run(&[
        "framework",
        "validate",
        fixture("bad/score.yaml").to_str().unwrap(),
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains("`weight` is not allowed: ratings in spj are categorical"),
        "{}",
        out.stdout
    );
    // The rest of the file is still checked: the numeric code is reported too.
    assert!(
        out.stdout.contains("is a number; ratings are categorical"),
        "{}",
        out.stdout
    );
    let out = env.run(&[
        "framework",
        "validate",
        fixture("bad/numeric-code.yaml").to_str().unwrap(),
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("code `3` is a number"),
        "{}",
        out.stdout
    );
}

#[test]
fn invalid_utf8_and_missing_files_exit_2() {
    let env = Env::new();
    let p = env.write("broken.yaml", b"id: \xff\xfe\n");
    let out = env.run(&["framework", "validate", p.to_str().unwrap()]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(
        out.stdout
            .contains("broken.yaml:1:5: the file is not valid UTF-8"),
        "{}",
        out.all()
    );
    let out = env.run(&["framework", "validate", "nope.yaml"]);
    assert_eq!(out.code, 2, "{}", out.all());
}

#[test]
fn validate_json_shape() {
    let env = Env::new();
    let out = env.run(&[
        "framework",
        "validate",
        "--format",
        "json",
        fixture("bad/many-problems.yaml").to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let f = &v["files"][0];
    assert_eq!(f["valid"], false);
    let first = &f["findings"][0];
    for key in [
        "severity", "file", "line", "column", "field", "message", "hint", "kind",
    ] {
        assert!(first.get(key).is_some(), "finding lacks `{key}`: {first}");
    }
}

#[test]
fn show_reads_well_at_80_columns() {
    let env = Env::new();
    let out = env.run(&["framework", "show", "nc-iioc"]);
    assert_eq!(out.code, 0, "{}", out.all());
    for line in out.stdout.lines() {
        assert!(
            line.chars().count() <= 80,
            "line wider than 80 columns: `{line}`"
        );
    }
    assert!(!out.stdout.contains('\x1b'), "escape codes under NO_COLOR");
    let out = env.run(&["framework", "show", "mini@1.0.0"]);
    insta::assert_snapshot!("show-mini-table", out.stdout);
}

#[test]
fn show_colours_models_only_when_asked() {
    let env = Env::new();
    let out = env.run(&["--color", "always", "framework", "show", "mini@1.0.0"]);
    assert!(out.stdout.contains("\x1b[38;5;208m"), "orange missing");
    assert!(out.stdout.contains("\x1b[38;5;35m"), "green missing");
}

#[test]
fn show_markdown_and_json() {
    let env = Env::new();
    let md = env.run(&["framework", "show", "mini@1.0.0", "--format", "markdown"]);
    insta::assert_snapshot!("show-mini-markdown", md.stdout);
    let js = env.run(&["framework", "show", "mini@1.0.0", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&js.stdout).unwrap();
    assert_eq!(v["framework"], "mini@1.0.0");
    assert_eq!(v["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(
        v["content"]["sections"][0]["factors"][0]["id"],
        "emotional-congruence"
    );
}

#[test]
fn list_shows_bundled_and_disk_with_hashes() {
    let env = Env::new();
    let out = env.run(&["framework", "list", "--format", "json"]);
    assert_eq!(out.code, 0);
    let v: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    let labels: Vec<String> = v
        .iter()
        .map(|e| {
            format!(
                "{}@{} {}",
                e["id"].as_str().unwrap(),
                e["version"].as_str().unwrap(),
                e["origin"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        labels
            .iter()
            .any(|l| l.starts_with("mini@1.0.0 frameworks/")),
        "{labels:?}"
    );
    assert!(
        labels.iter().any(|l| l == "nc-iioc@1.0.0 bundled"),
        "{labels:?}"
    );
    let table = env.run(&["framework", "list"]);
    assert!(table.stdout.contains("mini@1.1.0"));
}

#[test]
fn disk_copy_with_same_id_and_version_takes_precedence() {
    let env = Env::new();
    let bundled =
        std::fs::read_to_string(crate::common::root().join("frameworks/nc-iioc-1.0.0.yaml"))
            .unwrap();
    env.write(
        "frameworks/local-copy.yaml",
        bundled.replace("status: published", "status: draft"),
    );
    let out = env.run(&["framework", "list", "--format", "json"]);
    let v: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    let first = v.iter().find(|e| e["id"] == "nc-iioc").unwrap();
    assert_eq!(first["origin"], "frameworks/local-copy.yaml");
    assert_eq!(first["shadowed"], false);
    let bundled_entry = v
        .iter()
        .find(|e| e["id"] == "nc-iioc" && e["origin"] == "bundled")
        .unwrap();
    assert_eq!(bundled_entry["shadowed"], true);
}

#[test]
fn diff_reports_added_removed_changed() {
    let env = Env::new();
    let out = env.run(&["framework", "diff", "mini@1.0.0", "mini@1.1.0"]);
    assert_eq!(out.code, 0, "{}", out.all());
    insta::assert_snapshot!("diff-mini", out.stdout);
    let js = env.run(&[
        "framework",
        "diff",
        "mini@1.0.0",
        "mini@1.1.0",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&js.stdout).unwrap();
    let changes = v["changes"].as_array().unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c["change"] == "removed" && c["id"] == "emotional-congruence")
    );
    assert!(
        changes
            .iter()
            .any(|c| c["change"] == "added" && c["id"] == "sexual-preoccupation")
    );
    assert!(
        changes.iter().any(|c| c["change"] == "changed"
            && c["id"] == "isolation"
            && c["fields"][0] == "label")
    );
}

#[test]
fn unknown_framework_names_the_known_ones() {
    let env = Env::new();
    let out = env.run(&["framework", "show", "nope@9"]);
    assert_eq!(out.code, 2);
    insta::assert_snapshot!("show-unknown", out.stderr);
}

#[test]
fn bundled_framework_validates_against_its_json_schema() {
    let env = Env::new();
    let schema: serde_json::Value =
        serde_json::from_str(&env.run(&["schema", "framework"]).stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    for name in [
        "frameworks/nc-iioc-1.0.0.yaml",
        "tests/fixtures/frameworks/mini-1.0.0.yaml",
    ] {
        let text = std::fs::read_to_string(crate::common::root().join(name)).unwrap();
        let doc: serde_json::Value = spj::yaml::parse_value(&text).unwrap();
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
    // The schema rejects what spj rejects.
    let bad: serde_json::Value = spj::yaml::parse_value(
        &std::fs::read_to_string(fixture("bad/unknown-field.yaml")).unwrap(),
    )
    .unwrap();
    assert!(!validator.is_valid(&bad));
}

#[test]
fn diff_reviews_what_every_report_repeats_and_notices_reordering() {
    let env = Env::new();
    let base = env.read("frameworks/mini-1.0.0.yaml");
    let caveat = base
        .replace("version: 1.0.0", "version: 1.0.1")
        .replace(
            "  - For tests only.",
            "  - For tests only, and nothing else.",
        )
        .replace("status: draft", "status: published");
    let cited = base.find("  - key: finkelhor-1984").unwrap();
    let caveat = format!(
        "{}  - key: new-2026\n    citation: A new work (2026).\n{}",
        &caveat[..caveat.find("  - key: finkelhor-1984").unwrap()],
        &base[cited..]
    );
    env.write("frameworks/mini-1.0.1.yaml", caveat);
    let out = env.run(&[
        "framework",
        "diff",
        "mini@1.0.0",
        "mini@1.0.1",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let changes = v["changes"].as_array().unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c["kind"] == "framework"
                && c["fields"] == serde_json::json!(["status", "caveats"])),
        "{changes:?}"
    );
    assert!(
        changes
            .iter()
            .any(|c| c["kind"] == "reference" && c["change"] == "added" && c["id"] == "new-2026"),
        "{changes:?}"
    );
    assert_eq!(v["same_content"], false);

    // The same factors in another order: no change by id, but not the same.
    let a = base.find("      - id: emotional-congruence").unwrap();
    let b = base.find("      - id: isolation").unwrap();
    let c = base.find("  - id: protective\n    title").unwrap();
    let swapped = format!("{}{}{}{}", &base[..a], &base[b..c], &base[a..b], &base[c..])
        .replace("version: 1.0.0", "version: 1.0.2");
    env.write("frameworks/mini-1.0.2.yaml", swapped);
    let out = env.run(&["framework", "diff", "mini@1.0.0", "mini@1.0.2"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.stdout.contains("order or arrangement differs"),
        "{}",
        out.stdout
    );
}
