//! Command-line conventions: help, version, completions, man page, exit
//! codes, colour and broken pipes.

use crate::common::{Env, command};

const COMMANDS: &[&[&str]] = &[
    &[],
    &["framework"],
    &["framework", "validate"],
    &["framework", "show"],
    &["framework", "list"],
    &["framework", "diff"],
    &["schema"],
    &["new"],
    &["record"],
    &["source", "add"],
    &["source", "list"],
    &["narrative", "set"],
    &["status"],
    &["check"],
    &["migrate"],
    &["interview"],
    &["render"],
    &["completions"],
    &["man"],
];

#[test]
fn help_for_every_command() {
    let env = Env::new();
    for cmd in COMMANDS {
        let mut args: Vec<&str> = cmd.to_vec();
        args.push("--help");
        let out = env.run(&args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.all());
        assert!(
            out.stdout
                .contains("Exit codes: 0 success; 1 problems found"),
            "{args:?} help lacks exit codes"
        );
        let name = if cmd.is_empty() {
            "spj".to_owned()
        } else {
            format!("spj-{}", cmd.join("-"))
        };
        insta::assert_snapshot!(format!("help-{name}"), out.stdout);
    }
}

#[test]
fn version_names_bundled_framework_and_template() {
    let env = Env::new();
    let out = env.run(&["--version"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("framework nc-iioc@1.0.0 (bundled)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("template standard 1.0.0 (bundled)"),
        "{}",
        out.stdout
    );
    let short = env.run(&["-V"]);
    assert_eq!(
        short.stdout.trim(),
        format!("spj {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn completions_for_every_shell_and_a_man_page() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = env.run(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}");
        assert!(out.stdout.len() > 500, "{shell} completions too short");
        assert!(
            out.stdout.contains("interview"),
            "{shell} lacks subcommands"
        );
    }
    let man = env.run(&["man"]);
    assert_eq!(man.code, 0);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH spj"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
    assert!(man.stdout.contains("interview"));
}

#[test]
fn usage_errors_exit_2() {
    let env = Env::new();
    let out = env.run(&["render"]);
    assert_eq!(out.code, 2);
    let out = env.run(&["no-such-command"]);
    assert_eq!(out.code, 2);
    let out = env.run(&[
        "record",
        "x.yaml",
        "f",
        "--evidence",
        "a",
        "--evidence-file",
        "b",
    ]);
    assert_eq!(out.code, 2);
}

#[test]
fn no_escape_codes_when_piped_or_under_no_color() {
    let env = Env::new();
    env.new_case("c.yaml");
    for args in [
        &["framework", "show", "mini@1.0.0"][..],
        &["framework", "list"],
        &["check", "c.yaml"],
        &["framework", "diff", "mini@1.0.0", "mini@1.1.0"],
    ] {
        let out = env.run(args);
        assert!(!out.stdout.contains('\x1b'), "{args:?} wrote escape codes");
        let out = crate::common::command(env.dir.path())
            .env_remove("NO_COLOR")
            .args(args)
            .output()
            .unwrap();
        assert!(
            !String::from_utf8_lossy(&out.stdout).contains('\x1b'),
            "{args:?} coloured a pipe"
        );
    }
    let out = env.run(&["--color", "never", "framework", "show", "mini@1.0.0"]);
    assert!(!out.stdout.contains('\x1b'));
}

#[test]
fn broken_pipe_exits_quietly() {
    let env = Env::new();
    let mut child = command(env.dir.path())
        .args(["framework", "show", "nc-iioc", "--format", "markdown"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Close our end of the pipe at once, as `| head -0` would.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.is_empty(), "{err}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn schema_commands_print_json_schema() {
    let env = Env::new();
    for kind in ["framework", "case", "template"] {
        let out = env.run(&["schema", kind]);
        assert_eq!(out.code, 0);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        assert!(v["$schema"].is_string(), "{kind}");
    }
}
