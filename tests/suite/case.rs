//! `spj new`, `record`, `source`, `narrative set`, `status`, `migrate`,
//! framework pinning, locking and comment protection.

use crate::common::{Env, mask_times};

#[test]
fn new_creates_a_skeleton_with_every_factor_unrated() {
    let env = Env::new();
    let case = env.new_case("case.yaml");
    insta::assert_snapshot!("new-skeleton", mask_times(&env.read("case.yaml")));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&case).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn new_refuses_to_overwrite() {
    let env = Env::new();
    env.new_case("case.yaml");
    let before = env.read("case.yaml");
    let out = env.run(&["new", "case.yaml", "--framework", "mini"]);
    assert_eq!(out.code, 2);
    insta::assert_snapshot!("new-exists", out.stderr);
    assert_eq!(env.read("case.yaml"), before);
}

#[test]
fn record_validates_against_the_pinned_framework() {
    let env = Env::new();
    env.new_case("c.yaml");
    let src = env.run(&[
        "source",
        "add",
        "c.yaml",
        "--kind",
        "interview",
        "--description",
        "Clinical interview 1",
        "--date",
        "2026-02-01",
        "--hours",
        "2.5",
    ]);
    assert_eq!(src.code, 0, "{}", src.all());
    assert_eq!(src.stdout, "S1\n");
    let ok = env.run(&[
        "record",
        "c.yaml",
        "isolation",
        "--presence",
        "y",
        "--relevance",
        "M",
        "--evidence",
        "Lives alone since 2024.",
        "--source",
        "S1",
    ]);
    assert_eq!(ok.code, 0, "{}", ok.all());
    let text = env.read("c.yaml");
    assert!(
        text.contains("presence: \"Y\"") || text.contains("presence: Y"),
        "{text}"
    );
    assert!(text.contains("Lives alone since 2024."));

    let unknown_factor = env.run(&["record", "c.yaml", "isolaton", "--presence", "Y"]);
    assert_eq!(unknown_factor.code, 2);
    insta::assert_snapshot!("record-unknown-factor", unknown_factor.stderr);
    let bad_code = env.run(&["record", "c.yaml", "isolation", "--presence", "Q"]);
    assert_eq!(bad_code.code, 2);
    insta::assert_snapshot!("record-bad-code", bad_code.stderr);
    let bad_source = env.run(&["record", "c.yaml", "isolation", "--source", "S7"]);
    assert_eq!(bad_source.code, 2);
    insta::assert_snapshot!("record-bad-source", bad_source.stderr);
    let nothing = env.run(&["record", "c.yaml", "isolation"]);
    assert_eq!(nothing.code, 2);
    // Failed commands leave the file as it was.
    assert_eq!(env.read("c.yaml"), text);
}

#[test]
fn evidence_from_a_file_or_stdin_keeps_text_exactly() {
    let env = Env::new();
    env.new_case("c.yaml");
    let hostile = "Line one: #read(\"/etc/passwd\")\n\n= not a heading\n- not a list\n\ttab and \"quotes\" \\ backslash 😀";
    env.write("note.txt", hostile);
    assert_eq!(
        env.run(&[
            "record",
            "c.yaml",
            "isolation",
            "--evidence-file",
            "note.txt"
        ])
        .code,
        0
    );
    let case: serde_json::Value = spj::yaml::parse_value(&env.read("c.yaml")).unwrap();
    assert_eq!(case["ratings"]["isolation"]["evidence"], hostile);
    let out = env.run_with_stdin(
        &["narrative", "set", "c.yaml", "formulation"],
        Some("From stdin.\r\nSecond line."),
    );
    assert_eq!(out.code, 0, "{}", out.all());
    let case: serde_json::Value = spj::yaml::parse_value(&env.read("c.yaml")).unwrap();
    assert_eq!(
        case["narratives"]["formulation"],
        "From stdin.\nSecond line."
    );
}

#[test]
fn narrative_set_rejects_unknown_ids() {
    let env = Env::new();
    env.new_case("c.yaml");
    let out = env.run(&["narrative", "set", "c.yaml", "formulaton", "--text", "x"]);
    assert_eq!(out.code, 2);
    insta::assert_snapshot!("narrative-unknown", out.stderr);
}

#[test]
fn wrong_hash_stops_with_a_clear_error() {
    let env = Env::new();
    env.new_case("c.yaml");
    let fw = env.read("frameworks/mini-1.0.0.yaml");
    env.write(
        "frameworks/mini-1.0.0.yaml",
        fw.replace("Feeling or being alone.", "Feeling alone."),
    );
    let out = env.run(&["record", "c.yaml", "isolation", "--presence", "N"]);
    assert_eq!(out.code, 2);
    insta::assert_snapshot!("pinned-hash-mismatch", out.stderr);
    let check = env.run(&["check", "c.yaml"]);
    assert_eq!(check.code, 2);
}

#[test]
fn missing_framework_is_named() {
    let env = Env::new();
    env.new_case("c.yaml");
    std::fs::remove_file(env.path("frameworks/mini-1.0.0.yaml")).unwrap();
    let out = env.run(&["record", "c.yaml", "isolation", "--presence", "N"]);
    assert_eq!(out.code, 2);
    insta::assert_snapshot!("pinned-missing", out.stderr);
}

#[test]
fn a_second_writer_gets_a_clear_error() {
    let env = Env::new();
    let case = env.new_case("c.yaml");
    // Hold the lock as another process would.
    let lock = spj::fsio::CaseLock::acquire(&case).unwrap();
    let before = env.read("c.yaml");
    let out = env.run(&["record", "c.yaml", "isolation", "--presence", "N"]);
    assert_eq!(out.code, 2);
    insta::assert_snapshot!("locked", out.stderr);
    assert_eq!(env.read("c.yaml"), before);
    drop(lock);
    assert_eq!(
        env.run(&["record", "c.yaml", "isolation", "--presence", "N"])
            .code,
        0
    );
}

#[test]
fn concurrent_writers_never_lose_an_answer() {
    let env = Env::new();
    env.new_case("c.yaml");
    let ids = ["isolation", "emotional-congruence", "prosocial-routine"];
    let handles: Vec<_> = ids
        .iter()
        .map(|id| {
            let dir = env.dir.path().to_path_buf();
            let id = id.to_string();
            std::thread::spawn(move || {
                // Retry on the lock error until the write goes through.
                for _ in 0..200 {
                    let out = crate::common::command(&dir)
                        .args(["record", "c.yaml", &id, "--presence", "N"])
                        .output()
                        .unwrap();
                    if out.status.success() {
                        return true;
                    }
                    let err = String::from_utf8_lossy(&out.stderr);
                    assert!(
                        err.contains("is being changed by another spj command"),
                        "{err}"
                    );
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                false
            })
        })
        .collect();
    for h in handles {
        assert!(h.join().unwrap());
    }
    let case: serde_json::Value = spj::yaml::parse_value(&env.read("c.yaml")).unwrap();
    for id in ids {
        assert_eq!(case["ratings"][id]["rating"]["presence"], "N", "{id} lost");
    }
}

#[test]
fn comments_are_protected_before_a_rewrite() {
    let env = Env::new();
    env.new_case("c.yaml");
    let text = env
        .read("c.yaml")
        .replace("status: draft", "status: draft # reviewed with supervisor");
    env.write("c.yaml", &text);
    let out = env.run(&["record", "c.yaml", "isolation", "--presence", "N"]);
    assert_eq!(out.code, 2);
    insta::assert_snapshot!("comments-refused", out.stderr);
    assert_eq!(env.read("c.yaml"), text);
    let forced = env.run(&[
        "record",
        "c.yaml",
        "isolation",
        "--presence",
        "N",
        "--drop-comments",
    ]);
    assert_eq!(forced.code, 0, "{}", forced.all());
    assert!(!env.read("c.yaml").contains("supervisor"));
}

#[test]
fn status_final_requires_complete_work_and_edits_mark_amended() {
    let env = Env::new();
    env.new_case("c.yaml");
    let out = env.run(&["status", "c.yaml", "final"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("cannot be marked final"),
        "{}",
        out.stderr
    );
    complete_mini_case(&env, "c.yaml");
    let out = env.run(&["status", "c.yaml", "final"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(
        env.run(&["record", "c.yaml", "isolation", "--evidence", "Revised."])
            .code,
        0
    );
    assert!(env.read("c.yaml").contains("status: amended"));
}

/// Fills every item of a mini case.
pub fn complete_mini_case(env: &Env, case: &str) {
    let run = |args: &[&str]| {
        env.run_ok(args);
    };
    let path = env.path(case);
    let text = env.read(case);
    let text = text
        .replace(
            "qualifications: \"\"",
            "qualifications: Chartered forensic psychologist.",
        )
        .replace("instructed-by: \"\"", "instructed-by: Children's services")
        .replace(
            "referral-question: \"\"",
            "referral-question: What is the risk to the children?",
        );
    std::fs::write(&path, text).unwrap();
    run(&[
        "source",
        "add",
        case,
        "--kind",
        "document",
        "--description",
        "Police summary",
    ]);
    run(&[
        "record",
        case,
        "emotional-congruence",
        "--presence",
        "N",
        "--evidence",
        "No indication.",
        "--source",
        "S1",
    ]);
    run(&[
        "record",
        case,
        "isolation",
        "--presence",
        "P",
        "--relevance",
        "M",
        "--evidence",
        "Some isolation.",
        "--source",
        "S1",
    ]);
    run(&[
        "record",
        case,
        "prosocial-routine",
        "--presence",
        "Y",
        "--relevance",
        "H",
        "--evidence",
        "Works full time.",
        "--source",
        "S1",
    ]);
    run(&[
        "narrative",
        "set",
        case,
        "formulation",
        "--text",
        "A formulation.",
    ]);
    run(&[
        "narrative",
        "set",
        case,
        "summary",
        "--text",
        "My judgements.",
    ]);
}

#[test]
fn migrate_carries_answers_and_keeps_what_cannot_move() {
    let env = Env::new();
    env.new_case("c.yaml");
    complete_mini_case(&env, "c.yaml");
    let dry = env.run(&["migrate", "c.yaml", "--to", "1.1.0", "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.all());
    insta::assert_snapshot!("migrate-dry-run", dry.stdout);
    let before = env.read("c.yaml");
    assert!(before.contains("version: \"1.0.0\"") || before.contains("version: 1.0.0"));
    let out = env.run(&["migrate", "c.yaml", "--to", "1.1.0"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stderr.contains("could not move"), "{}", out.stderr);
    let case: serde_json::Value = spj::yaml::parse_value(&env.read("c.yaml")).unwrap();
    assert_eq!(case["framework"]["version"], "1.1.0");
    // Carried by id.
    assert_eq!(case["ratings"]["isolation"]["rating"]["presence"], "P");
    assert_eq!(case["ratings"]["isolation"]["evidence"], "Some isolation.");
    // Removed factor and removed code are kept verbatim under `retired`.
    let retired = case["retired"].as_array().unwrap();
    assert!(
        retired
            .iter()
            .any(|r| r["item"] == "factor:emotional-congruence"
                && r["answer"]["evidence"] == "No indication.")
    );
    assert!(
        retired
            .iter()
            .any(|r| r["item"] == "factor:isolation/relevance" && r["answer"] == "M")
    );
    // New items are added unrated; check reports retired answers for review.
    assert!(case["ratings"]["sexual-preoccupation"].is_object());
    let check = env.run(&["check", "c.yaml"]);
    assert_eq!(check.code, 1);
    assert!(check.stdout.contains("await review"), "{}", check.stdout);
}

#[test]
fn source_list_and_bad_source_arguments() {
    let env = Env::new();
    env.new_case("c.yaml");
    assert_eq!(
        env.run(&[
            "source",
            "add",
            "c.yaml",
            "--kind",
            "collateral",
            "--description",
            "Partner, by telephone",
            "--date",
            "2026-02-03",
            "--hours",
            "0.5"
        ])
        .code,
        0
    );
    assert_eq!(
        env.run(&[
            "source",
            "add",
            "c.yaml",
            "--kind",
            "record",
            "--description",
            "PNC print",
            "--id",
            "PNC"
        ])
        .stdout,
        "PNC\n"
    );
    let dup = env.run(&[
        "source",
        "add",
        "c.yaml",
        "--kind",
        "record",
        "--description",
        "x",
        "--id",
        "PNC",
    ]);
    assert_eq!(dup.code, 2);
    let hours = env.run(&[
        "source",
        "add",
        "c.yaml",
        "--kind",
        "record",
        "--description",
        "x",
        "--hours",
        "-3",
    ]);
    assert_eq!(hours.code, 2);
    let date = env.run(&[
        "source",
        "add",
        "c.yaml",
        "--kind",
        "record",
        "--description",
        "x",
        "--date",
        "3 March",
    ]);
    assert_eq!(date.code, 2);
    assert!(date.stderr.contains("YYYY-MM-DD"), "{}", date.stderr);
    let list = env.run(&["source", "list", "c.yaml"]);
    insta::assert_snapshot!("source-list", list.stdout);
    let js = env.run(&["source", "list", "c.yaml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&js.stdout).unwrap();
    assert_eq!(v[0]["id"], "S1");
    assert_eq!(v[0]["hours"], 0.5);
    assert_eq!(v[1]["id"], "PNC");
}

#[test]
fn migrate_works_when_the_original_version_is_gone() {
    let env = Env::new();
    env.new_case("c.yaml");
    env.run_ok(&[
        "record",
        "c.yaml",
        "isolation",
        "--presence",
        "Y",
        "--evidence",
        "Seen.",
    ]);
    std::fs::remove_file(env.path("frameworks/mini-1.0.0.yaml")).unwrap();
    // Other commands stop: the pinned version cannot be found.
    let stuck = env.run(&["check", "c.yaml"]);
    assert_eq!(stuck.code, 2, "{}", stuck.all());
    let out = env.run(&["migrate", "c.yaml", "--to", "1.1.0"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.stderr.contains("not usable") && out.stderr.contains("carried over by id"),
        "{}",
        out.stderr
    );
    let text = env.read("c.yaml");
    assert!(text.contains("version: \"1.1.0\""), "{text}");
    assert!(text.contains("Seen."), "{text}");
    let after = env.run(&["check", "c.yaml"]);
    assert_ne!(after.code, 2, "{}", after.all());
}

#[test]
fn empty_text_from_a_pipe_or_file_never_wipes_a_narrative() {
    let env = Env::new();
    env.new_case("c.yaml");
    env.run_ok(&[
        "narrative",
        "set",
        "c.yaml",
        "formulation",
        "--text",
        "Written.",
    ]);
    let before = env.read("c.yaml");
    let out = env.run_with_stdin(&["narrative", "set", "c.yaml", "formulation"], Some(" \n"));
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("holds no text"), "{}", out.stderr);
    assert!(out.stderr.contains("--text \"\""), "{}", out.stderr);
    env.write("empty.txt", "");
    let out = env.run(&[
        "narrative",
        "set",
        "c.yaml",
        "formulation",
        "--file",
        "empty.txt",
    ]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert_eq!(env.read("c.yaml"), before);
    // Clearing on purpose is still possible.
    env.run_ok(&["narrative", "set", "c.yaml", "formulation", "--text", ""]);
    assert!(env.read("c.yaml").contains("formulation: \"\""));
}

#[test]
fn a_missing_case_is_named_and_leaves_no_lock_file() {
    let env = Env::new();
    let out = env.run(&["record", "nope.yaml", "isolation", "--presence", "Y"]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("`nope.yaml`"), "{}", out.stderr);
    assert!(!env.path(".nope.yaml.lock").exists());
    let out = env.run(&[
        "record",
        "no/such/dir/c.yaml",
        "isolation",
        "--presence",
        "Y",
    ]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("no/such/dir/c.yaml"), "{}", out.stderr);
}

#[test]
fn a_case_from_a_newer_spj_asks_for_an_upgrade() {
    let env = Env::new();
    env.new_case("c.yaml");
    let text = env
        .read("c.yaml")
        .replacen("format: 1", "format: 2", 1)
        .replace("status: draft", "status: draft\nnew-thing: yes");
    env.write("c.yaml", text);
    let out = env.run(&["check", "c.yaml"]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(
        out.stdout.contains("case format 2 is not supported"),
        "{}",
        out.all()
    );
    assert!(out.stdout.contains("upgrade spj"), "{}", out.all());
}

#[test]
fn new_warns_when_a_framework_named_by_path_will_not_be_found_again() {
    let env = Env::new();
    let text = env
        .read("frameworks/mini-1.0.0.yaml")
        .replace("version: 1.0.0", "version: 2.0.0");
    env.write("elsewhere/mini-2.0.0.yaml", text);
    let out = env.run(&[
        "new",
        "c.yaml",
        "--framework",
        "elsewhere/mini-2.0.0.yaml",
        "--report-date",
        "2026-03-01",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.stderr.contains("is not in a framework folder")
            && out.stderr.contains("--frameworks elsewhere"),
        "{}",
        out.stderr
    );
    assert_eq!(env.run(&["check", "c.yaml"]).code, 2);
    let found = env.run(&["--frameworks", "elsewhere", "check", "c.yaml"]);
    assert_eq!(found.code, 1, "{}", found.all());
    // From a framework folder there is nothing to warn about.
    let out = env.run(&[
        "new",
        "d.yaml",
        "--framework",
        "frameworks/mini-1.0.0.yaml",
        "--report-date",
        "2026-03-01",
    ]);
    assert!(!out.stderr.contains("warning"), "{}", out.stderr);
}
