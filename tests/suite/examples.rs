//! The shipped examples: each loads, checks as its status says, passes the
//! anonymisation gate, and renders (in one parallel batch).

use crate::common::{Env, root};

fn example_files() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    v
}

#[test]
fn there_are_at_least_six_examples_including_an_incomplete_draft() {
    let files = example_files();
    assert!(files.len() >= 6, "{files:?}");
    assert!(
        files
            .iter()
            .any(|f| f.to_string_lossy().contains("incomplete"))
    );
}

#[test]
fn complete_examples_check_clean_and_the_draft_does_not() {
    let env = Env::new();
    for f in example_files() {
        let out = env.run(&["check", f.to_str().unwrap()]);
        let incomplete = f.to_string_lossy().contains("incomplete");
        if incomplete {
            assert_eq!(out.code, 1, "{}: {}", f.display(), out.all());
        } else {
            assert_eq!(out.code, 0, "{}: {}", f.display(), out.all());
        }
    }
}

#[test]
fn every_example_passes_the_anonymisation_gate() {
    let env = Env::new();
    for f in example_files() {
        let out = env.run(&[
            "check",
            "--anonymised",
            "--format",
            "json",
            f.to_str().unwrap(),
        ]);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        let findings = v["cases"][0]["findings"].as_array().unwrap();
        let identifying: Vec<_> = findings
            .iter()
            .filter(|x| x["kind"] == "identifying-data" || x["kind"] == "not-anonymised")
            .collect();
        assert!(identifying.is_empty(), "{}: {identifying:?}", f.display());
    }
}

#[test]
fn every_example_renders_in_one_batch() {
    let env = Env::new();
    let examples = root().join("examples");
    let out = env.run(&[
        "render",
        examples.to_str().unwrap(),
        "--out-dir",
        "out",
        "--jobs",
        "2",
        "--require-anonymised",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    for f in example_files() {
        let text = std::fs::read_to_string(&f).unwrap();
        let case: serde_json::Value = spj::yaml::parse_value(&text).unwrap();
        let reference = case["details"]["reference"].as_str().unwrap();
        let pdf = env.path(&format!("out/{reference}.pdf"));
        assert!(pdf.exists(), "{} missing", pdf.display());
    }
    assert!(
        out.stdout
            .contains(&format!("{} rendered, 0 failed", example_files().len())),
        "{}",
        out.stdout
    );
}

#[test]
fn example_typst_sources_are_snapshotted() {
    let env = Env::new();
    for f in example_files() {
        let name = f.file_stem().unwrap().to_string_lossy().into_owned();
        let out_path = env.path(&format!("{name}.typ"));
        let out = env.run(&[
            "render",
            f.to_str().unwrap(),
            "--format",
            "typ",
            "-o",
            out_path.to_str().unwrap(),
        ]);
        assert_eq!(out.code, 0, "{}", out.all());
        insta::assert_snapshot!(
            format!("example-{name}-typ"),
            std::fs::read_to_string(out_path).unwrap()
        );
    }
}

#[test]
fn examples_validate_against_the_case_json_schema() {
    let env = Env::new();
    let schema: serde_json::Value =
        serde_json::from_str(&env.run(&["schema", "case"]).stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    for f in example_files() {
        let doc = spj::yaml::parse_value(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", f.display());
    }
}
