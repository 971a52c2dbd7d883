//! The structured interview: scripted through the library, scripted
//! through the binary, refused without a terminal, and driven in a real
//! terminal (tmux) that is killed part-way.

use std::path::Path;
use std::time::{Duration, Instant};

use spj::case::{Comments, EditSession};
use spj::framework::registry::Registry;
use spj::interview::{Interview, Scope, ScriptedPrompter};
use spj::output::Style;

use crate::common::Env;

fn session(env: &Env, case: &str) -> EditSession {
    let reg = Registry::discover(&[env.path("frameworks")]).unwrap();
    EditSession::open(&env.path(case), &reg, Comments::Keep).unwrap()
}

/// Runs an interview on `s` with scripted answers; returns the prompter,
/// whose transcript holds everything said.
fn script<const N: usize>(
    s: &mut EditSession,
    lines: [&str; N],
    scope: &Scope,
) -> ScriptedPrompter {
    let mut p = ScriptedPrompter::new(lines);
    Interview::new(s, &mut p, Style::plain(), scope)
        .unwrap()
        .run()
        .unwrap();
    p
}

fn case_json(env: &Env, case: &str) -> serde_json::Value {
    spj::yaml::parse_value(&env.read(case)).unwrap()
}

#[test]
fn walks_factors_and_narratives_saving_each_answer() {
    let env = Env::new();
    env.new_case("c.yaml");
    let mut s = session(&env, "c.yaml");
    let p = script(
        &mut s,
        [
            // emotional-congruence: presence, evidence (two lines), sources: add a new one
            "n",
            "No sign of emotional congruence.",
            "Partner agrees.",
            ".",
            "+",
            "interview",
            "First interview",
            "2026-02-01",
            "2",
            "S1",
            // isolation: bad code then P, relevance M, evidence, sources
            "Q",
            "p",
            "m",
            "Lives alone.",
            ".",
            "S1",
            // prosocial-routine: skip it
            ":skip",
            // formulation
            "How it fits.",
            ".",
            // summary: quit
            ":quit",
        ],
        &Scope::default(),
    );
    drop(s);
    let c = case_json(&env, "c.yaml");
    assert_eq!(
        c["ratings"]["emotional-congruence"]["rating"]["presence"],
        "N"
    );
    assert_eq!(
        c["ratings"]["emotional-congruence"]["evidence"],
        "No sign of emotional congruence.\nPartner agrees."
    );
    assert_eq!(c["sources"][0]["id"], "S1");
    assert_eq!(c["sources"][0]["hours"], 2.0);
    assert_eq!(c["ratings"]["emotional-congruence"]["sources"][0], "S1");
    assert_eq!(c["ratings"]["isolation"]["rating"]["presence"], "P");
    assert_eq!(c["ratings"]["isolation"]["rating"]["relevance"], "M");
    assert_eq!(
        c["ratings"]["prosocial-routine"]["rating"]["presence"],
        serde_json::Value::Null
    );
    assert_eq!(c["narratives"]["formulation"], "How it fits.");
    assert!(
        p.transcript.contains("`Q` is not a code here"),
        "{}",
        p.transcript
    );
    assert!(p.transcript.contains("Progress: "), "{}", p.transcript);
    assert!(
        p.transcript.contains("Who do you feel closest to?"),
        "prompts not shown"
    );
    assert!(
        p.transcript
            .contains("Stopped. Every answer given has been saved.")
    );
}

#[test]
fn resumes_at_the_first_unfinished_item_and_shows_current_answers() {
    let env = Env::new();
    env.new_case("c.yaml");
    crate::case::complete_mini_case(&env, "c.yaml");
    env.run(&["record", "c.yaml", "isolation", "--clear", "relevance"]);
    let mut s = session(&env, "c.yaml");
    let p = script(&mut s, ["", "h", "", "", ":quit"], &Scope::default());
    assert!(
        p.transcript
            .contains("Resuming at the first unfinished item (2 of 5)"),
        "{}",
        p.transcript
    );
    assert!(p.transcript.contains("[current: P]"), "{}", p.transcript);
    assert!(
        p.transcript.contains("Some isolation."),
        "current evidence not shown"
    );
    drop(s);
    let c = case_json(&env, "c.yaml");
    assert_eq!(c["ratings"]["isolation"]["rating"]["relevance"], "H");
    assert_eq!(c["ratings"]["isolation"]["evidence"], "Some isolation.");
}

#[test]
fn back_and_jump_navigate() {
    let env = Env::new();
    env.new_case("c.yaml");
    let mut s = session(&env, "c.yaml");
    let p = script(
        &mut s,
        [":jump summary", "Judgement text.", "."],
        &Scope::default(),
    );
    assert!(
        p.transcript.contains("End of the interview."),
        "{}",
        p.transcript
    );
    // From prosocial-routine, :back returns to isolation.
    script(
        &mut s,
        [
            ":jump prosocial-routine",
            ":back",
            "y",
            "h",
            "",
            "",
            ":quit",
        ],
        &Scope::default(),
    );
    let p = script(&mut s, [":jump nowhere", ":quit"], &Scope::default());
    assert!(
        p.transcript.contains("No item `nowhere`"),
        "{}",
        p.transcript
    );
    drop(s);
    let c = case_json(&env, "c.yaml");
    assert_eq!(c["narratives"]["summary"], "Judgement text.");
    assert_eq!(c["ratings"]["isolation"]["rating"]["presence"], "Y");
    assert_eq!(c["ratings"]["isolation"]["rating"]["relevance"], "H");
    assert_eq!(
        c["ratings"]["prosocial-routine"]["rating"]["presence"],
        serde_json::Value::Null
    );
}

#[test]
fn scope_by_factor_section_and_unrated() {
    let env = Env::new();
    env.new_case("c.yaml");
    crate::case::complete_mini_case(&env, "c.yaml");
    env.run(&[
        "record",
        "c.yaml",
        "prosocial-routine",
        "--clear",
        "presence",
        "--clear",
        "relevance",
    ]);
    let mut s = session(&env, "c.yaml");
    let mut p = ScriptedPrompter::new(["n", "", ""]);
    Interview::new(
        &mut s,
        &mut p,
        Style::plain(),
        &Scope {
            unrated: true,
            ..Scope::default()
        },
    )
    .unwrap()
    .run()
    .unwrap();
    assert!(
        !p.transcript.contains("Emotional congruence"),
        "complete items should be skipped"
    );
    assert!(p.transcript.contains("Prosocial routine"));
    let err = Interview::new(
        &mut s,
        &mut p,
        Style::plain(),
        &Scope {
            factor: Some("nope".into()),
            ..Scope::default()
        },
    )
    .err()
    .unwrap();
    assert!(err.to_string().contains("unknown factor `nope`"));
}

#[test]
fn binary_refuses_without_a_terminal_and_runs_scripted() {
    let env = Env::new();
    env.new_case("c.yaml");
    let out = env.run_with_stdin(&["interview", "c.yaml"], Some("n\n"));
    assert_eq!(out.code, 2);
    insta::assert_snapshot!("interview-no-terminal", out.stderr);
    let out = env.run_with_stdin(
        &["interview", "c.yaml", "--scripted"],
        Some("y\nh\nIt is present.\n.\n\n"),
    );
    assert_eq!(out.code, 0, "{}", out.all());
    let c = case_json(&env, "c.yaml");
    assert_eq!(
        c["ratings"]["emotional-congruence"]["rating"]["presence"],
        "Y"
    );
    assert_eq!(
        c["ratings"]["emotional-congruence"]["evidence"],
        "It is present."
    );
}

fn tmux(args: &[&str]) -> std::process::Output {
    std::process::Command::new("tmux")
        .args(args)
        .output()
        .expect("tmux is installed by .ci/run")
}

fn wait_for(session: &str, needle: &str) -> String {
    let start = Instant::now();
    loop {
        let out = tmux(&["capture-pane", "-p", "-t", session]);
        let screen = String::from_utf8_lossy(&out.stdout).into_owned();
        if screen.contains(needle) {
            return screen;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for `{needle}`; screen:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_real_terminal_session_killed_part_way_keeps_every_answer() {
    let env = Env::new();
    env.new_case("c.yaml");
    let name = format!("spj-test-{}", std::process::id());
    let bin = env!("CARGO_BIN_EXE_spj");
    let cmd = format!(
        "cd '{}' && NO_COLOR=1 SPJ_USER=tester '{}' interview c.yaml",
        env.dir.path().display(),
        bin
    );
    let started = tmux(&[
        "new-session",
        "-d",
        "-s",
        &name,
        "-x",
        "120",
        "-y",
        "40",
        &cmd,
    ]);
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );
    let send = |keys: &str| {
        tmux(&["send-keys", "-t", &name, "-l", keys]);
        tmux(&["send-keys", "-t", &name, "Enter"]);
    };
    // capture-pane trims trailing spaces, so prompts are matched without them.
    wait_for(&name, "Presence (");
    send("n");
    wait_for(&name, "Type the text");
    send("Nothing indicates this.");
    send(".");
    wait_for(&name, "Sources for this rating");
    send("");
    wait_for(&name, "Isolation and loneliness");
    send("y");
    wait_for(&name, "Relevance (");
    send("m");
    wait_for(&name, "Evidence note");
    // Half-typed answer, then the process is killed.
    tmux(&["send-keys", "-t", &name, "-l", "This line is never fin"]);
    std::thread::sleep(Duration::from_millis(200));
    tmux(&["kill-session", "-t", &name]);
    std::thread::sleep(Duration::from_millis(300));
    let c = case_json(&env, "c.yaml");
    assert_eq!(
        c["ratings"]["emotional-congruence"]["rating"]["presence"],
        "N"
    );
    assert_eq!(
        c["ratings"]["emotional-congruence"]["evidence"],
        "Nothing indicates this."
    );
    assert_eq!(c["ratings"]["isolation"]["rating"]["presence"], "Y");
    assert_eq!(c["ratings"]["isolation"]["rating"]["relevance"], "M");
    assert_eq!(c["ratings"]["isolation"]["evidence"], "");
    // No temporary files left behind.
    let leftovers: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(Path::new(&env.path("c.yaml")).exists());
}

#[cfg(unix)]
#[test]
fn edit_opens_the_editor_on_the_current_text() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.new_case("c.yaml");
    // A stand-in editor that appends a line to the file it is given.
    let editor = env.write(
        "editor.sh",
        "#!/bin/sh\nprintf 'Written in the editor.\\nSecond line.\\n' > \"$1\"\n",
    );
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = crate::common::command(env.dir.path())
        .env("EDITOR", &editor)
        .args(["interview", "c.yaml", "--scripted", "--factor", "isolation"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(b"n\n:edit\n\n")?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let c = case_json(&env, "c.yaml");
    assert_eq!(
        c["ratings"]["isolation"]["evidence"],
        "Written in the editor.\nSecond line."
    );
    // The editor's temporary file is gone.
    let left: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".spj-edit"))
        .collect();
    assert!(left.is_empty());
}

/// A complete mini case marked final, so any save shows as `amended`.
fn final_case(env: &Env) {
    env.new_case("c.yaml");
    crate::case::complete_mini_case(env, "c.yaml");
    let out = env.run(&["status", "c.yaml", "final"]);
    assert_eq!(out.code, 0, "{}", out.all());
}

fn history_len(env: &Env) -> usize {
    case_json(env, "c.yaml")["history"]
        .as_array()
        .map_or(0, Vec::len)
}

fn only(factor: &str) -> Scope {
    Scope {
        factor: Some(factor.into()),
        ..Scope::default()
    }
}

/// Runs `spj interview c.yaml --scripted ARGS` with `$EDITOR` set to
/// `editor`, feeding `stdin`; returns the exit code and masked stdout.
fn interview_with_editor(env: &Env, editor: &str, args: &[&str], stdin: &[u8]) -> (i32, String) {
    let out = crate::common::command(env.dir.path())
        .env("EDITOR", editor)
        .args(["interview", "c.yaml", "--scripted"])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(stdin)?;
            child.wait_with_output()
        })
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.code().unwrap_or(-1),
        crate::common::mask(&text, env.dir.path()),
    )
}

#[cfg(unix)]
fn editor_script(env: &Env, name: &str, body: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let path = env.write(name, format!("#!/bin/sh\n{body}\n"));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.display().to_string()
}

fn kept_edit_files(env: &Env) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(env.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".spj-edit"))
        .map(|e| e.path())
        .collect()
}

#[test]
fn a_full_stop_on_the_first_line_keeps_the_text_and_clear_empties_it() {
    let env = Env::new();
    env.new_case("c.yaml");
    crate::case::complete_mini_case(&env, "c.yaml");
    let before = history_len(&env);
    let mut s = session(&env, "c.yaml");
    // Presence and relevance kept, '.' straight away at the evidence note,
    // sources kept; then the formulation, also '.' straight away.
    let p = script(&mut s, ["", "", ".", ""], &only("isolation"));
    script(&mut s, [":jump formulation", "."], &Scope::default());
    assert!(p.transcript.contains(":clear"), "{}", p.transcript);
    drop(s);
    let c = case_json(&env, "c.yaml");
    assert_eq!(c["ratings"]["isolation"]["evidence"], "Some isolation.");
    assert_eq!(c["narratives"]["formulation"], "A formulation.");
    assert_eq!(history_len(&env), before, "nothing changed, nothing saved");

    // `:clear` is the explicit way to empty a note.
    let mut s = session(&env, "c.yaml");
    script(&mut s, ["", "", ":clear", ""], &only("isolation"));
    drop(s);
    let c = case_json(&env, "c.yaml");
    assert_eq!(c["ratings"]["isolation"]["evidence"], "");
    assert_eq!(history_len(&env), before + 1);
}

#[test]
fn answers_that_change_nothing_do_not_save_or_amend_a_final_case() {
    let env = Env::new();
    final_case(&env);
    let before = history_len(&env);
    let mut s = session(&env, "c.yaml");
    // The same codes (in lower case), the same evidence retyped with a
    // trailing space, and the same source again.
    let p = script(
        &mut s,
        ["p", "M", "Some isolation. ", ".", "S1"],
        &only("isolation"),
    );
    drop(s);
    let c = case_json(&env, "c.yaml");
    assert_eq!(c["status"], "final", "{}", p.transcript);
    assert_eq!(history_len(&env), before, "{}", p.transcript);
    assert_eq!(c["ratings"]["isolation"]["evidence"], "Some isolation.");
    assert_eq!(c["ratings"]["isolation"]["sources"][0], "S1");
}

#[cfg(unix)]
#[test]
fn an_editor_adding_a_final_newline_changes_nothing() {
    let env = Env::new();
    final_case(&env);
    let before = history_len(&env);
    let editor = editor_script(&env, "editor.sh", "printf '\\n' >> \"$1\"");
    let (code, out) =
        interview_with_editor(&env, &editor, &["--factor", "isolation"], b"\n\n:edit\n\n");
    assert_eq!(code, 0, "{out}");
    let c = case_json(&env, "c.yaml");
    assert_eq!(c["status"], "final", "{out}");
    assert_eq!(history_len(&env), before, "{out}");
    assert_eq!(c["ratings"]["isolation"]["evidence"], "Some isolation.");
}

#[test]
fn sources_typed_in_the_interview_are_added_as_record_source_does() {
    let env = Env::new();
    env.new_case("c.yaml");
    crate::case::complete_mini_case(&env, "c.yaml");
    let out = env.run(&[
        "source",
        "add",
        "c.yaml",
        "--kind",
        "interview",
        "--description",
        "Second interview",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    let mut s = session(&env, "c.yaml");
    let p = script(&mut s, ["", "", "", "S2"], &only("isolation"));
    assert!(
        p.transcript.contains("[current: S1]") && p.transcript.contains("to add"),
        "{}",
        p.transcript
    );
    assert_eq!(
        s.file.case.ratings["isolation"].sources,
        ["S1", "S2"],
        "{}",
        p.transcript
    );
    // `-ID` removes one, as `spj record --remove-source` does; an id that
    // is not on the list is refused and asked again.
    let p = script(&mut s, ["", "", "", "-S9", "-S1"], &only("isolation"));
    assert!(
        p.transcript.contains("`S9` is not among"),
        "{}",
        p.transcript
    );
    drop(s);
    let c = case_json(&env, "c.yaml");
    assert_eq!(
        c["ratings"]["isolation"]["sources"],
        serde_json::json!(["S2"])
    );
}

#[cfg(unix)]
#[test]
fn editor_text_that_is_not_utf8_is_kept_and_the_item_asked_again() {
    let env = Env::new();
    env.new_case("c.yaml");
    crate::case::complete_mini_case(&env, "c.yaml");
    // Latin-1 "Café au lait", as an editor in the wrong encoding writes it.
    let editor = editor_script(&env, "editor.sh", "printf 'Caf\\351 au lait\\n' > \"$1\"");
    let (code, out) = interview_with_editor(
        &env,
        &editor,
        &["--factor", "isolation"],
        b"\n\n:edit\nTyped instead.\n.\n\n",
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("not valid UTF-8"), "{out}");
    let kept = kept_edit_files(&env);
    assert_eq!(kept.len(), 1, "{out}");
    assert_eq!(std::fs::read(&kept[0]).unwrap(), b"Caf\xe9 au lait\n");
    let shown = crate::common::mask(&kept[0].display().to_string(), env.dir.path());
    assert!(out.contains(&shown), "path {shown} not shown:\n{out}");
    // The interview went on and asked for the note again.
    let c = case_json(&env, "c.yaml");
    assert_eq!(c["ratings"]["isolation"]["evidence"], "Typed instead.");
}

#[cfg(unix)]
#[test]
fn editor_failures_report_the_real_cause() {
    let env = Env::new();
    env.new_case("c.yaml");
    crate::case::complete_mini_case(&env, "c.yaml");
    let input: &[u8] = b"\n\n:edit\n\n\n";

    let missing = env.path("no-such-editor").display().to_string();
    let (code, out) = interview_with_editor(&env, &missing, &["--factor", "isolation"], input);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("No editor available"), "{out}");
    assert!(
        out.contains("Could not start the editor") && out.contains("no-such-editor"),
        "{out}"
    );

    let failing = editor_script(&env, "fails.sh", "exit 3");
    let (code, out) = interview_with_editor(&env, &failing, &["--factor", "isolation"], input);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("exited with code 3"), "{out}");
    assert!(
        kept_edit_files(&env).is_empty(),
        "unchanged text need not be kept"
    );

    // Text written before the editor failed is kept, not deleted.
    let partial = editor_script(
        &env,
        "partial.sh",
        "printf 'Half-written note.\\n' > \"$1\"; exit 1",
    );
    let (code, out) = interview_with_editor(&env, &partial, &["--factor", "isolation"], input);
    assert_eq!(code, 0, "{out}");
    let kept = kept_edit_files(&env);
    assert_eq!(kept.len(), 1, "{out}");
    assert_eq!(
        std::fs::read_to_string(&kept[0]).unwrap(),
        "Half-written note.\n"
    );
    assert!(out.contains("exited with code 1"), "{out}");
    let c = case_json(&env, "c.yaml");
    assert_eq!(c["ratings"]["isolation"]["evidence"], "Some isolation.");
}

#[test]
fn a_terminal_line_that_is_not_utf8_is_asked_again() {
    use spj::interview::terminal::TerminalPrompter;
    let env = Env::new();
    env.new_case("c.yaml");
    let mut s = session(&env, "c.yaml");
    let input: &[u8] = b"\xe9\nn\nFirst line.\nsecond caf\xe9\nSecond line.\n.\n\n";
    let mut out: Vec<u8> = Vec::new();
    let mut p = TerminalPrompter::new(
        Box::new(std::io::Cursor::new(input)),
        &mut out,
        env.dir.path().to_path_buf(),
    );
    Interview::new(
        &mut s,
        &mut p,
        Style::plain(),
        &only("emotional-congruence"),
    )
    .unwrap()
    .run()
    .unwrap();
    drop(p);
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out.matches("not valid UTF-8").count(), 2, "{out}");
    drop(s);
    let c = case_json(&env, "c.yaml");
    assert_eq!(
        c["ratings"]["emotional-congruence"]["rating"]["presence"], "N",
        "{out}"
    );
    assert_eq!(
        c["ratings"]["emotional-congruence"]["evidence"],
        "First line.\nSecond line."
    );
}
