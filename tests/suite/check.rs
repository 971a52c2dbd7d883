//! `spj check`: completeness, exit codes, JSON shape and the anonymisation gate.

use crate::case::complete_mini_case;
use crate::common::Env;

#[test]
fn fresh_case_lists_every_kind_of_missing_work() {
    let env = Env::new();
    env.new_case("c.yaml");
    // Make a few specific problems on top of the unrated skeleton.
    env.run(&[
        "source",
        "add",
        "c.yaml",
        "--kind",
        "interview",
        "--description",
        "Interview",
    ]);
    env.run(&["record", "c.yaml", "isolation", "--presence", "Y"]);
    env.run(&[
        "record",
        "c.yaml",
        "emotional-congruence",
        "--presence",
        "O",
    ]);
    let text = env.read("c.yaml").replace(
        "sources: []\n  prosocial-routine",
        "sources: [S9]\n  prosocial-routine",
    );
    env.write("c.yaml", text);
    let out = env.run(&["check", "c.yaml"]);
    assert_eq!(out.code, 1, "{}", out.all());
    insta::assert_snapshot!("check-incomplete", out.stdout);
}

#[test]
fn complete_case_passes() {
    let env = Env::new();
    env.new_case("c.yaml");
    complete_mini_case(&env, "c.yaml");
    let out = env.run(&["check", "c.yaml"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("no missing work found"));
}

#[test]
fn unknown_ids_in_a_hand_edited_case_are_reported() {
    let env = Env::new();
    env.new_case("c.yaml");
    let text = env
        .read("c.yaml")
        .replace("  isolation:\n", "  isolaton:\n")
        .replace("  formulation:", "  formulaton:");
    env.write("c.yaml", text);
    let out = env.run(&["check", "c.yaml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("`isolaton` is not a factor"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("did you mean `isolation`?"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("`formulaton` is not a narrative"),
        "{}",
        out.stdout
    );
}

#[test]
fn unreadable_cases_exit_2_but_others_are_still_checked() {
    let env = Env::new();
    env.new_case("cases/a.yaml");
    env.write("cases/b.yaml", "format: 1\nframework: [\n");
    let out = env.run(&["check", "cases"]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stdout.contains("unreadable"));
    assert!(out.stdout.contains("│ a "), "{}", out.stdout);
}

#[test]
fn json_shape_is_stable() {
    let env = Env::new();
    env.new_case("c.yaml");
    let out = env.run(&["check", "c.yaml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let c = &v["cases"][0];
    assert_eq!(c["result"], "checked");
    for key in [
        "file",
        "reference",
        "status",
        "framework",
        "completeness",
        "findings",
    ] {
        assert!(c.get(key).is_some(), "missing {key}");
    }
    for key in [
        "factors",
        "factors_rated",
        "missing_evidence",
        "missing_sources",
        "narratives",
        "narratives_written",
    ] {
        assert!(
            c["completeness"].get(key).is_some(),
            "missing completeness.{key}"
        );
    }
    assert_eq!(c["completeness"]["factors"], 3);
    // Never anything that looks like a score.
    let text = out.stdout.to_lowercase();
    for word in ["score", "risk_level", "probability", "total"] {
        assert!(!text.contains(word), "`{word}` in check output");
    }
}

#[test]
fn anonymisation_gate_finds_identifying_data() {
    let env = Env::new();
    env.new_case("c.yaml");
    complete_mini_case(&env, "c.yaml");
    let out = env.run(&["check", "--anonymised", "c.yaml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("not marked anonymised"),
        "{}",
        out.stdout
    );
    let text = env
        .read("c.yaml")
        .replace("anonymised: false", "anonymised: true");
    env.write("c.yaml", text);
    let clean = env.run(&["check", "--anonymised", "c.yaml"]);
    assert_eq!(clean.code, 0, "{}", clean.all());
    env.run(&["record", "c.yaml", "isolation", "--evidence", "Contact him on 07700 900123 or jo@example.org; lives at SW1A 1AA, born 12/03/1985. Sister Petra visits."]);
    env.write("deny.txt", "# names to flag\nPetra\n");
    let out = env.run(&["check", "--anonymised", "--deny-list", "deny.txt", "c.yaml"]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!("anonymisation-findings", out.stdout);
}

#[test]
fn hand_edited_source_ids_and_hours_are_checked() {
    let env = Env::new();
    env.new_case("c.yaml");
    complete_mini_case(&env, "c.yaml");
    let text = env.read("c.yaml");
    assert!(text.contains("  description: Police summary\n"), "{text}");
    let edited = text.replace(
        "  description: Police summary\n",
        "  description: Police summary\n  hours: -3\n- id: ' '\n  kind: document\n  description: Notes\n  hours: .nan\n",
    );
    env.write("c.yaml", edited);
    let out = env.run(&["check", "c.yaml", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.all());
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let kinds: Vec<(String, String)> = v["cases"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap_or("").to_owned(),
                f["field"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    for want in [
        ("source-hours", "sources[0].hours"),
        ("source-id", "sources[1].id"),
        ("source-hours", "sources[1].hours"),
    ] {
        assert!(
            kinds.iter().any(|(k, f)| k == want.0 && f == want.1),
            "{want:?} not in {kinds:?}"
        );
    }
}

#[test]
fn a_closed_output_does_not_hide_problems() {
    let env = Env::new();
    env.new_case("c.yaml");
    let mut cmd = crate::common::command(env.dir.path());
    cmd.args(["check", "c.yaml"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    let mut child = cmd.spawn().unwrap();
    // The reader goes away before spj writes (as with `spj check | head -0`).
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1));
}
