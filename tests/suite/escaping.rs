//! Property test: any text in any free-text field reaches the generated
//! Typst source as a string literal that decodes to exactly that text, the
//! source parses without errors, and the document compiles.

use std::path::PathBuf;

use proptest::prelude::*;
use spj::case::{CaseFile, NewCase, Source, SourceKind, skeleton};
use spj::report::render::{OutputFormat, RenderOptions, Renderer};
use spj::report::template::{Template, paragraphs};

use crate::common::fixture;
use crate::render::spj_literals;

fn renderer(format: OutputFormat) -> Renderer {
    Renderer::new(
        Template::bundled().unwrap(),
        RenderOptions {
            format,
            standards: vec![],
        },
    )
}

/// Fills every free-text field of a mini case with `t` (and variants).
fn case_with(t: &str) -> (CaseFile, spj::framework::LoadedFramework) {
    let fw = spj::framework::load_file(&fixture("frameworks/mini-1.0.0.yaml")).unwrap();
    let mut case = skeleton(
        &fw,
        &NewCase {
            reference: Some(format!("R{t}")),
            subject: Some(format!("S{t}")),
            assessor: Some(format!("A{t}")),
            report_date: Some("2026-03-01".parse().unwrap()),
        },
        "x",
    );
    case.details.assessor.qualifications = format!("Q{t}");
    case.details.instructed_by = format!("I{t}");
    case.details.referral_question = format!("F{t}");
    case.sources.push(Source {
        id: "S1".into(),
        kind: SourceKind::Document,
        description: format!("D{t}"),
        date: None,
        hours: None,
    });
    for (i, r) in case.ratings.values_mut().enumerate() {
        r.rating.insert("presence".into(), Some("Y".into()));
        r.rating.insert("relevance".into(), Some("M".into()));
        r.evidence = format!("E{i}{t}");
        r.sources = vec!["S1".into()];
    }
    for (i, n) in case.narratives.values_mut().enumerate() {
        *n = format!("N{i}{t}");
    }
    let text = spj::yaml::to_string(&case).unwrap();
    (
        CaseFile {
            path: PathBuf::from("prop.yaml"),
            text,
            case,
        },
        fw,
    )
}

fn expected_literals(cf: &CaseFile) -> Vec<String> {
    let c = &cf.case;
    let d = &c.details;
    let mut out = vec![
        d.reference.clone(),
        d.subject.clone(),
        d.assessor.name.clone(),
        d.instructed_by.clone(),
        c.sources[0].description.clone(),
    ];
    for block in [&d.assessor.qualifications, &d.referral_question] {
        out.extend(paragraphs(block));
    }
    for r in c.ratings.values() {
        out.extend(paragraphs(&r.evidence));
    }
    for n in c.narratives.values() {
        out.extend(paragraphs(n));
    }
    out.retain(|s| !s.trim().is_empty());
    out
}

fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        // Markup and code syntax, whitespace and control characters.
        "[#\\[\\]{}()$*_`<>@~'\":;/=+.\\-\\\\ a-z0-9\\n\\r\\t\u{0}-\u{1f}\u{7f}\u{2028}]{0,60}",
        // Anything printable, any script.
        "\\PC{0,40}",
        // Line-start constructs.
        "(= |- |\\+ |/ |1\\. |// |/\\* |#let |#read\\(\"/etc/passwd\"\\)|https://a\\.b/c|\\$x\\$)[a-z ]{0,10}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn free_text_is_data_in_the_generated_source(t in hostile_text()) {
        let (cf, fw) = case_with(&t);
        let source = renderer(OutputFormat::Typ).source(&cf, &fw).unwrap();
        let literals = spj_literals(&source);
        for want in expected_literals(&cf) {
            prop_assert!(literals.iter().any(|l| l == &want), "{want:?} is not a literal in the source");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn hostile_text_always_compiles(t in hostile_text()) {
        let (cf, fw) = case_with(&t);
        let out = renderer(OutputFormat::Pdf).render(&cf, &fw);
        prop_assert!(out.is_ok(), "{:?}", out.err());
    }
}
