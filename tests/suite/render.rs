//! `spj render`: generated source snapshots, PDF content, determinism,
//! options and the escaping of hostile assessor text.

use crate::case::complete_mini_case;
use crate::common::{Env, root};

fn pdftotext(path: &std::path::Path) -> Option<String> {
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn renders_a_pdf_that_contains_the_case() {
    let env = Env::new();
    env.new_case("c.yaml");
    complete_mini_case(&env, "c.yaml");
    let out = env.run(&["render", "c.yaml"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let pdf = std::fs::read(env.path("c.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(env.path("c.pdf"))
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o600
        );
    }
    let text =
        pdftotext(&env.path("c.pdf")).expect("pdftotext (poppler-utils) is installed by .ci/run");
    for needle in [
        "Mr T",
        "Works full time.",
        "A formulation.",
        "Police summary",
        "No automated risk score",
        "Map of the model",
    ] {
        assert!(
            text.contains(needle),
            "`{needle}` missing from the PDF text"
        );
    }
}

#[test]
fn identical_inputs_give_identical_bytes() {
    let env = Env::new();
    env.new_case("c.yaml");
    complete_mini_case(&env, "c.yaml");
    assert_eq!(env.run(&["render", "c.yaml", "-o", "a.pdf"]).code, 0);
    assert_eq!(env.run(&["render", "c.yaml", "-o", "b.pdf"]).code, 0);
    assert_eq!(
        std::fs::read(env.path("a.pdf")).unwrap(),
        std::fs::read(env.path("b.pdf")).unwrap()
    );
}

#[test]
fn draft_marking_and_incomplete_items_are_visible() {
    let env = Env::new();
    env.new_case("c.yaml");
    assert_eq!(env.run(&["render", "c.yaml"]).code, 0);
    let text = pdftotext(&env.path("c.pdf")).unwrap();
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() > 2);
    for (i, p) in pages.iter().enumerate() {
        assert!(
            p.contains("DRAFT"),
            "page {} lacks the DRAFT marking",
            i + 1
        );
    }
    assert!(
        text.contains("Incomplete."),
        "incomplete items are not marked"
    );
    assert!(text.contains("This report is not complete"));
}

#[test]
fn typ_output_snapshot_of_the_mini_case() {
    let env = Env::new();
    env.new_case("c.yaml");
    complete_mini_case(&env, "c.yaml");
    let out = env.run(&["render", "c.yaml", "--format", "typ"]);
    assert_eq!(out.code, 0, "{}", out.all());
    insta::assert_snapshot!("mini-case-typ", env.read("c.typ"));
}

#[test]
fn png_output_writes_one_image_per_page() {
    let env = Env::new();
    env.new_case("c.yaml");
    let out = env.run(&["render", "c.yaml", "--format", "png"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let pngs: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".png"))
        .collect();
    assert!(pngs.len() > 2);
    let first = std::fs::read(env.path("c-1.png"))
        .or_else(|_| std::fs::read(env.path("c-01.png")))
        .unwrap();
    assert!(first.starts_with(b"\x89PNG"));
}

#[test]
fn pdf_a_on_request() {
    let env = Env::new();
    env.new_case("c.yaml");
    let out = env.run(&["render", "c.yaml", "--pdf-standard", "a-2b"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let pdf = std::fs::read(env.path("c.pdf")).unwrap();
    assert!(
        String::from_utf8_lossy(&pdf).contains("pdfaid"),
        "no PDF/A identification in the XMP metadata"
    );
}

#[test]
fn template_errors_name_the_template_file_and_line() {
    let env = Env::new();
    env.new_case("c.yaml");
    let std_dir = root().join("report-templates/standard");
    for f in ["template.yaml", "style.typ"] {
        env.write(&format!("tpl/{f}"), std::fs::read(std_dir.join(f)).unwrap());
    }
    env.write(
        "tpl/report.typ.j2",
        "#import \"style.typ\": *\nline two\n{{ meta.no_such_field }}\n",
    );
    let out = env.run(&["render", "c.yaml", "--template", "tpl"]);
    assert_eq!(out.code, 2);
    insta::assert_snapshot!("template-error", out.stderr);
    env.write(
        "tpl/report.typ.j2",
        "#import \"style.typ\": *\n\n#let x = (1 +\n",
    );
    let out = env.run(&["render", "c.yaml", "--template", "tpl"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("<generated report source>:3:"),
        "{}",
        out.stderr
    );
}

#[test]
fn templates_cannot_read_outside_their_folder_or_fetch_packages() {
    let env = Env::new();
    env.new_case("c.yaml");
    env.write("secret.txt", "TOP SECRET");
    let std_dir = root().join("report-templates/standard");
    for f in ["template.yaml", "style.typ"] {
        env.write(&format!("tpl/{f}"), std::fs::read(std_dir.join(f)).unwrap());
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(env.path("secret.txt"), env.path("tpl/link.txt")).unwrap();
    for (body, expect) in [
        ("#read(\"../secret.txt\")", "escape"),
        ("#read(\"/etc/passwd\")", "not found"),
        ("#read(\"link.txt\")", "not found"),
        (
            "#import \"@preview/cetz:0.3.0\": *",
            "cannot import packages",
        ),
    ] {
        env.write("tpl/report.typ.j2", body);
        let out = env.run(&["render", "c.yaml", "--template", "tpl"]);
        assert_eq!(out.code, 2, "{body}: {}", out.all());
        assert!(
            out.stderr.to_lowercase().contains(expect),
            "{body}: {}",
            out.stderr
        );
        assert!(!out.stderr.contains("TOP SECRET"));
    }
    env.write("tpl/report.typ.j2", "{% include \"../secret.txt\" %}");
    let out = env.run(&["render", "c.yaml", "--template", "tpl"]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(!out.stderr.contains("TOP SECRET"));
}

#[test]
fn hostile_text_appears_exactly_and_changes_nothing() {
    let env = Env::new();
    env.new_case("c.yaml");
    let cases = [
        "#read(\"/etc/passwd\")",
        "*not bold* _not italic_ $x^2$",
        "<label> @reference",
        "// not a comment /* nor this */",
        "] closing bracket [ and #{ code }",
        "back\\slash \\\\ and \"quotes\"",
        "https://example.org/path",
        "= line-start heading",
        "- line-start list",
        "+ line-start enum",
        "1. numbered",
        "`raw` ~ non-breaking 'quote'",
        "emoji 😀 and ünïcödé",
        "#set page(width: 1cm)",
        "\\u{41} escape",
    ];
    let joined = cases.join("\n\n");
    env.write("note.txt", &joined);
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
    let out = env.run(&["render", "c.yaml", "--format", "typ"]);
    assert_eq!(out.code, 0);
    let typ = env.read("c.typ");
    let literals = spj_literals(&typ);
    for c in cases {
        assert!(
            literals.iter().any(|l| l == c),
            "`{c}` is not a string literal in the source"
        );
    }
    assert_eq!(env.run(&["render", "c.yaml"]).code, 0);
    let text = pdftotext(&env.path("c.pdf")).unwrap();
    for c in cases {
        let probe: String = c.chars().filter(|ch| ch.is_alphanumeric()).collect();
        let flat: String = text.chars().filter(|ch| ch.is_alphanumeric()).collect();
        assert!(flat.contains(&probe), "`{c}` not in the PDF text");
    }
    assert!(!text.contains("root:x:0"), "a file was read");
}

/// Every string literal in Typst source, decoded by Typst's own parser.
pub fn spj_literals(source: &str) -> Vec<String> {
    use typst::syntax::{SyntaxKind, SyntaxNode, ast::AstNode};
    fn walk(node: &SyntaxNode, out: &mut Vec<String>) {
        if node.kind() == SyntaxKind::Str
            && let Some(s) = typst::syntax::ast::Str::from_untyped(node)
        {
            out.push(s.get().to_string());
        }
        for child in node.children() {
            walk(child, out);
        }
    }
    let root = typst::syntax::parse(source);
    let (errors, _) = root.errors_and_warnings();
    assert!(
        errors.is_empty(),
        "generated source has syntax errors: {errors:?}"
    );
    let mut out = Vec::new();
    walk(&root, &mut out);
    out
}

#[test]
fn watch_re_renders_when_the_case_changes() {
    let env = Env::new();
    env.new_case("c.yaml");
    let mut child = crate::common::command(env.dir.path())
        .args(["render", "c.yaml", "--watch"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pdf = env.path("c.pdf");
    let wait = |pred: &dyn Fn() -> bool| {
        let start = std::time::Instant::now();
        while !pred() {
            assert!(
                start.elapsed() < std::time::Duration::from_secs(60),
                "watch did not render"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    };
    wait(&|| pdf.exists());
    let first = std::fs::read(&pdf).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(
        env.run(&[
            "record",
            "c.yaml",
            "isolation",
            "--evidence",
            "Changed while watching."
        ])
        .code,
        0
    );
    wait(&|| std::fs::read(&pdf).is_ok_and(|b| b != first));
    child.kill().unwrap();
    let _ = child.wait();
    let text = pdftotext(&pdf).unwrap();
    assert!(text.contains("Changed while watching."));
}

#[test]
fn watch_reads_an_edited_template_afresh() {
    let env = Env::new();
    env.new_case("c.yaml");
    let tpl = crate::common::root().join("report-templates/standard");
    for f in ["template.yaml", "report.typ.j2", "style.typ"] {
        std::fs::create_dir_all(env.path("tpl")).unwrap();
        std::fs::copy(tpl.join(f), env.path(&format!("tpl/{f}"))).unwrap();
    }
    let mut child = crate::common::command(env.dir.path())
        .args([
            "render",
            "c.yaml",
            "--template",
            "tpl",
            "--format",
            "typ",
            "--watch",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let out = env.path("c.typ");
    let wait = |pred: &dyn Fn() -> bool| {
        let start = std::time::Instant::now();
        while !pred() {
            if start.elapsed() > std::time::Duration::from_secs(60) {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        true
    };
    let first = wait(&|| out.exists());
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let template = env.read("tpl/report.typ.j2");
    env.write(
        "tpl/report.typ.j2",
        format!("{template}\n// edited while watching\n"),
    );
    let seen = wait(&|| {
        std::fs::read_to_string(&out).is_ok_and(|t| t.contains("// edited while watching"))
    });
    child.kill().unwrap();
    let _ = child.wait();
    assert!(first, "watch did not render");
    assert!(seen, "the edited template was not used");
}
