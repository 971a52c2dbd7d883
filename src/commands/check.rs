//! `spj check`: completeness (and, on request, anonymisation) of cases.

use std::path::PathBuf;

use serde::Serialize;

use crate::anon::{DenyList, Scanner};
use crate::case::CaseFile;
use crate::case::check::{CaseCheck, check};
use crate::cli::CheckCommand;
use crate::commands::{Ctx, expand_paths};
use crate::error::{Error, Result};
use crate::exit;
use crate::findings::{Finding, Severity};
use crate::framework::registry::Registry;
use crate::output::Format;

/// The outcome for one path: checked, or unreadable.
#[derive(Debug, Serialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum CaseOutcome {
    /// The case was read and checked.
    Checked(CaseCheck),
    /// The case could not be read.
    Unreadable {
        /// The file.
        file: PathBuf,
        /// Why.
        error: String,
        /// What to do.
        hint: Option<String>,
    },
}

/// Loads the deny-list file, if given.
pub fn deny_list(path: Option<&PathBuf>) -> Result<DenyList> {
    match path {
        None => Ok(DenyList::empty()),
        Some(p) => Ok(DenyList::parse(&crate::yaml::read_text(p)?)),
    }
}

/// Every free-text field of a case, with its path, for the scanner.
pub fn free_text_fields(cf: &CaseFile) -> Vec<(String, String)> {
    let c = &cf.case;
    let d = &c.details;
    let mut f = vec![
        ("details.reference".to_owned(), d.reference.clone()),
        ("details.subject".to_owned(), d.subject.clone()),
        ("details.assessor.name".to_owned(), d.assessor.name.clone()),
        (
            "details.assessor.qualifications".to_owned(),
            d.assessor.qualifications.clone(),
        ),
        ("details.instructed-by".to_owned(), d.instructed_by.clone()),
        (
            "details.referral-question".to_owned(),
            d.referral_question.clone(),
        ),
    ];
    for (i, s) in c.sources.iter().enumerate() {
        f.push((format!("sources[{i}].description"), s.description.clone()));
    }
    for (id, r) in &c.ratings {
        f.push((format!("ratings.{id}.evidence"), r.evidence.clone()));
    }
    for (id, t) in &c.narratives {
        f.push((format!("narratives.{id}"), t.clone()));
    }
    for (i, x) in c.instruments.iter().enumerate() {
        f.push((format!("instruments[{i}].result"), x.result.clone()));
        f.push((
            format!("instruments[{i}].completed-by"),
            x.completed_by.clone(),
        ));
        f.push((format!("instruments[{i}].notes"), x.notes.clone()));
    }
    for (i, r) in c.retired.iter().enumerate() {
        f.push((format!("retired[{i}].answer"), r.answer.to_string()));
    }
    for (i, h) in c.history.iter().enumerate() {
        f.push((format!("history[{i}].by"), h.by.clone()));
        f.push((format!("history[{i}].action"), h.action.clone()));
    }
    f
}

/// Findings of the anonymisation gate for one case.
pub fn anonymisation_findings(cf: &CaseFile, scanner: &Scanner) -> Vec<Finding> {
    let mut out = Vec::new();
    if !cf.case.details.anonymised {
        out.push(
            Finding::error(
                &cf.path,
                "details.anonymised",
                "the case is not marked anonymised",
            )
            .at(crate::findings::locate_key(&cf.text, "anonymised", 0))
            .hint("set `anonymised: true` once the case has been anonymised and checked")
            .kind("not-anonymised"),
        );
    }
    for hit in scanner.scan(&free_text_fields(cf), &cf.text) {
        let mut f = Finding::error(
            &cf.path,
            hit.field.clone(),
            format!("looks like {}: `{}`", hit.kind.describe(), hit.matched),
        )
        .hint("remove or replace identifying data before sharing the case")
        .kind("identifying-data");
        f.line = hit.line;
        out.push(f);
    }
    out
}

/// Checks one case file against its pinned framework.
pub fn check_one(
    path: &std::path::Path,
    registry: &Registry,
    scanner: Option<&Scanner>,
) -> CaseOutcome {
    let loaded = CaseFile::load_pinned(path, registry);
    match loaded {
        Ok((cf, fw)) => {
            let mut c = check(&cf, &fw.framework);
            if let Some(s) = scanner {
                c.findings.extend(anonymisation_findings(&cf, s));
                c.findings.sort_by_key(|f| f.line.unwrap_or(usize::MAX));
            }
            CaseOutcome::Checked(c)
        }
        Err(e) => CaseOutcome::Unreadable {
            file: path.to_path_buf(),
            error: e.to_string(),
            hint: e.hint(),
        },
    }
}

/// `spj check`
pub fn run(c: CheckCommand, ctx: &mut Ctx) -> Result<i32> {
    let files = expand_paths(&c.paths)?;
    if files.is_empty() {
        return Err(Error::invalid(
            "no case files found",
            "name case files or folders holding them",
        ));
    }
    let scanner = if c.anonymised {
        Some(Scanner::new(deny_list(c.deny_list.as_ref())?))
    } else {
        None
    };
    let registry = ctx.registry()?;
    // Cases are independent and parsing dominates: check them in parallel
    // (results keep the order of the files).
    let outcomes: Vec<CaseOutcome> = {
        use rayon::prelude::*;
        files
            .par_iter()
            .map(|p| check_one(p, registry, scanner.as_ref()))
            .collect()
    };
    let unreadable = outcomes
        .iter()
        .any(|o| matches!(o, CaseOutcome::Unreadable { .. }));
    let problems = outcomes
        .iter()
        .any(|o| matches!(o, CaseOutcome::Checked(c) if c.problems() > 0));
    let text = match c.format {
        Format::Json => crate::output::json(&serde_json::json!({ "cases": outcomes })),
        _ => table(&outcomes, ctx),
    };
    ctx.print(&text)?;
    Ok(if unreadable {
        exit::BAD_INPUT
    } else if problems {
        exit::PROBLEMS
    } else {
        exit::OK
    })
}

fn missing_work(c: &CaseCheck) -> String {
    let k = &c.completeness;
    let mut parts = Vec::new();
    let unrated = k.factors - k.factors_rated;
    if unrated > 0 {
        parts.push(format!("{unrated} factor(s) not fully rated"));
    }
    if k.missing_evidence > 0 {
        parts.push(format!("{} without evidence", k.missing_evidence));
    }
    if k.missing_sources > 0 {
        parts.push(format!("{} without sources", k.missing_sources));
    }
    let empty = k.narratives - k.narratives_written;
    if empty > 0 {
        parts.push(format!("{empty} narrative(s) empty"));
    }
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    }
}

fn table(outcomes: &[CaseOutcome], ctx: &Ctx) -> String {
    let mut details = String::new();
    let mut t = ctx.style.table();
    t.set_header(vec![
        "Case",
        "Status",
        "Factors rated",
        "Narratives",
        "Missing work",
        "Problems",
    ]);
    crate::output::keep_whole(&mut t, &[1, 2, 3, 5]);
    for o in outcomes {
        match o {
            CaseOutcome::Checked(c) => {
                let k = &c.completeness;
                t.add_row(vec![
                    c.reference.clone(),
                    c.status.clone(),
                    format!("{}/{}", k.factors_rated, k.factors),
                    format!("{}/{}", k.narratives_written, k.narratives),
                    missing_work(c),
                    c.problems().to_string(),
                ]);
                for f in &c.findings {
                    details.push_str(&format!("{f}\n"));
                }
            }
            CaseOutcome::Unreadable { file, error, hint } => {
                t.add_row(vec![
                    file.display().to_string(),
                    "unreadable".into(),
                    String::new(),
                    String::new(),
                    "could not be read".into(),
                    String::new(),
                ]);
                details.push_str(&format!("error: {error}\n"));
                if let Some(h) = hint {
                    details.push_str(&format!("  hint: {h}\n"));
                }
            }
        }
    }
    let errors: usize = outcomes
        .iter()
        .map(|o| match o {
            CaseOutcome::Checked(c) => c
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count(),
            CaseOutcome::Unreadable { .. } => 1,
        })
        .sum();
    let mut out = format!("{t}\n");
    if !details.is_empty() {
        out.push('\n');
        out.push_str(&details);
    }
    out.push_str(&if errors == 0 {
        "no missing work found\n".to_owned()
    } else {
        format!(
            "{errors} problem{} found (counts are of missing work, not of risk)\n",
            if errors == 1 { "" } else { "s" }
        )
    });
    out
}
