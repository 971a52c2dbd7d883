//! `spj check`: what work is missing from a case. Every count here is a
//! count of missing or inconsistent work, never of risk.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde::Serialize;

use crate::case::{CaseFile, CaseStatus};
use crate::findings::{Finding, Severity, locate_key};
use crate::framework::Framework;

/// Completeness of one case, in counts of items.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Completeness {
    /// Factors in the framework.
    pub factors: usize,
    /// Factors with every required dimension rated.
    pub factors_rated: usize,
    /// Rated factors with no evidence note.
    pub missing_evidence: usize,
    /// Rated factors citing no source.
    pub missing_sources: usize,
    /// Narratives in the framework.
    pub narratives: usize,
    /// Narratives with text.
    pub narratives_written: usize,
}

/// The check of one case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseCheck {
    /// The case file.
    pub file: PathBuf,
    /// The case reference.
    pub reference: String,
    /// `draft`, `final` or `amended`.
    pub status: String,
    /// `id@version` of the pinned framework.
    pub framework: String,
    /// Counts of work done and missing.
    pub completeness: Completeness,
    /// Every problem, in file order.
    pub findings: Vec<Finding>,
}

impl CaseCheck {
    /// Number of error findings.
    pub fn problems(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }
}

fn has_text(s: &str) -> bool {
    !s.trim().is_empty()
}

/// Checks a case against its framework.
pub fn check(cf: &CaseFile, fw: &Framework) -> CaseCheck {
    let case = &cf.case;
    let path = &cf.path;
    let text = &cf.text;
    let mut out: Vec<Finding> = Vec::new();
    let mut c = Completeness {
        factors: fw.factors().count(),
        narratives: fw.narratives.len(),
        ..Completeness::default()
    };
    let at_key = |key: &str| locate_key(text, key, 0);
    let at_rating = |key: &str| crate::findings::locate_child(text, "ratings", key);
    let at_narrative = |key: &str| crate::findings::locate_child(text, "narratives", key);

    let d = &case.details;
    for (field, value, what) in [
        ("details.subject", &d.subject, "subject (pseudonymised)"),
        ("details.assessor.name", &d.assessor.name, "assessor's name"),
        (
            "details.assessor.qualifications",
            &d.assessor.qualifications,
            "assessor's qualifications",
        ),
        (
            "details.instructed-by",
            &d.instructed_by,
            "who instructed the assessment",
        ),
        (
            "details.referral-question",
            &d.referral_question,
            "referral question",
        ),
    ] {
        if !has_text(value) {
            let key = field.rsplit('.').next().unwrap_or(field);
            out.push(
                Finding::error(path, field, format!("{what} not recorded"))
                    .at(at_key(key))
                    .kind("detail-missing"),
            );
        }
    }

    let mut source_ids = BTreeSet::new();
    for (i, s) in case.sources.iter().enumerate() {
        if !source_ids.insert(s.id.as_str()) {
            out.push(
                Finding::error(
                    path,
                    format!("sources[{i}].id"),
                    format!("source id `{}` is used twice", s.id),
                )
                .at(crate::findings::locate(text, "id", &s.id, 1))
                .hint("give each source its own id")
                .kind("duplicate-source"),
            );
        }
        if !has_text(&s.description) {
            out.push(
                Finding::error(
                    path,
                    format!("sources[{i}].description"),
                    format!("source `{}` has no description", s.id),
                )
                .at(crate::findings::locate(text, "id", &s.id, 0))
                .kind("source-undescribed"),
            );
        }
        // `spj source add` refuses these; a hand edit can still write them.
        if !has_text(&s.id) || s.id.trim() != s.id {
            out.push(
                Finding::error(
                    path,
                    format!("sources[{i}].id"),
                    format!("source id `{}` is empty or has spaces around it", s.id),
                )
                .at(crate::findings::locate(text, "id", &s.id, 0))
                .hint("give the source a short id such as S4, and cite it by that id")
                .kind("source-id"),
            );
        }
        if let Some(h) = s.hours
            && !(h.is_finite() && h > 0.0 && h <= 1000.0)
        {
            out.push(
                Finding::error(
                    path,
                    format!("sources[{i}].hours"),
                    format!("source `{}` has hours `{h}`, which is not a duration", s.id),
                )
                .at(crate::findings::locate(text, "id", &s.id, 0))
                .hint("give hours as a positive number, for example 2.5, or leave it out")
                .kind("source-hours"),
            );
        }
    }

    for (_, factor) in fw.factors() {
        let field = format!("ratings.{}", factor.id);
        // Located only when a finding needs it: most factors have none.
        let at = || at_rating(&factor.id);
        let Some(r) = case.ratings.get(&factor.id) else {
            out.push(
                Finding::error(
                    path,
                    &field,
                    format!("factor `{}` is missing from the case", factor.id),
                )
                .hint(format!(
                    "rate it with `spj record {} {} …`",
                    path.display(),
                    factor.id
                ))
                .kind("unrated"),
            );
            continue;
        };
        let dims: Vec<_> = fw.factor_dimensions(factor).collect();
        for key in r.rating.keys() {
            if !dims.iter().any(|d| &d.id == key) {
                out.push(
                    Finding::error(
                        path,
                        format!("{field}.rating.{key}"),
                        format!("factor `{}` is not rated on `{key}`", factor.id),
                    )
                    .at(at())
                    .hint(format!(
                        "its dimensions are: {}",
                        dims.iter()
                            .map(|d| d.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                    .kind("unknown-dimension"),
                );
            }
        }
        let mut any_code = false;
        let mut complete = true;
        let mut omitted = false;
        for dim in &dims {
            let code = r.code(&dim.id);
            if let Some(code) = code {
                any_code = true;
                match dim.codes.iter().find(|c| c.code == code) {
                    Some(cd) => omitted |= cd.omitted,
                    None => {
                        complete = false;
                        out.push(
                            Finding::error(
                                path,
                                format!("{field}.rating.{}", dim.id),
                                format!("`{code}` is not a {} code", dim.label.to_lowercase()),
                            )
                            .at(at())
                            .hint(format!(
                                "valid codes: {}",
                                dim.codes
                                    .iter()
                                    .map(|c| format!("{} ({})", c.code, c.label))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ))
                            .kind("unknown-code"),
                        );
                    }
                }
            }
        }
        for dim in &dims {
            let required = fw.is_required(dim, |other| r.code(other).map(str::to_owned));
            let code = r.code(&dim.id);
            if required && code.is_none() {
                complete = false;
                if any_code {
                    out.push(
                        Finding::error(
                            path,
                            format!("{field}.rating.{}", dim.id),
                            format!(
                                "{} is required for `{}` but not recorded",
                                dim.label.to_lowercase(),
                                factor.id
                            ),
                        )
                        .at(at())
                        .kind("rating-missing"),
                    );
                }
            } else if !required && let Some(code) = code {
                out.push(
                    Finding::error(
                        path,
                        format!("{field}.rating.{}", dim.id),
                        format!(
                            "{} `{code}` is recorded but does not apply given the other ratings",
                            dim.label.to_lowercase()
                        ),
                    )
                    .at(at())
                    .hint("remove it, or check the presence rating")
                    .kind("rating-not-applicable")
                    .warning(),
                );
            }
        }
        if !any_code {
            complete = false;
            out.push(
                Finding::error(path, &field, format!("factor `{}` is not rated", factor.id))
                    .at(at())
                    .kind("unrated"),
            );
        }
        if complete {
            c.factors_rated += 1;
        }
        if any_code {
            if omitted && !has_text(&r.evidence) {
                out.push(
                    Finding::error(
                        path,
                        format!("{field}.evidence"),
                        format!("factor `{}` is omitted without a reason", factor.id),
                    )
                    .at(at())
                    .hint("say in the evidence note what information is missing and why")
                    .kind("omitted-without-reason"),
                );
            } else if !has_text(&r.evidence) {
                c.missing_evidence += 1;
                out.push(
                    Finding::error(
                        path,
                        format!("{field}.evidence"),
                        format!("factor `{}` is rated without an evidence note", factor.id),
                    )
                    .at(at())
                    .kind("no-evidence"),
                );
            }
            if r.sources.is_empty() && !omitted {
                c.missing_sources += 1;
                out.push(
                    Finding::error(
                        path,
                        format!("{field}.sources"),
                        format!("factor `{}` is rated without sources", factor.id),
                    )
                    .at(at())
                    .kind("no-sources"),
                );
            }
        }
        for s in &r.sources {
            if !source_ids.contains(s.as_str()) {
                out.push(
                    Finding::error(
                        path,
                        format!("{field}.sources"),
                        format!(
                            "factor `{}` cites source `{s}`, which is not registered",
                            factor.id
                        ),
                    )
                    .at(at())
                    .hint("add it with `spj source add`, or correct the id")
                    .kind("unregistered-source"),
                );
            }
        }
    }
    for id in case.ratings.keys() {
        if fw.factor(id).is_none() {
            out.push(
                Finding::error(
                    path,
                    format!("ratings.{id}"),
                    format!("`{id}` is not a factor of `{}@{}`", fw.id, fw.version),
                )
                .at(at_rating(id))
                .hint(
                    match crate::case::closest(id, fw.factor_ids().into_iter()) {
                        Some(c) => format!("did you mean `{c}`?"),
                        None => {
                            "remove it, or migrate the case to the framework version that has it"
                                .into()
                        }
                    },
                )
                .kind("unknown-factor"),
            );
        }
    }
    for n in &fw.narratives {
        let written = case.narratives.get(&n.id).is_some_and(|t| has_text(t));
        if written {
            c.narratives_written += 1;
        } else {
            out.push(
                Finding::error(
                    path,
                    format!("narratives.{}", n.id),
                    format!("narrative `{}` ({}) is empty", n.id, n.title),
                )
                .at(at_narrative(&n.id))
                .hint(format!(
                    "write it with `spj narrative set {} {}`",
                    path.display(),
                    n.id
                ))
                .kind("narrative-empty"),
            );
        }
    }
    for id in case.narratives.keys() {
        if !fw.narratives.iter().any(|n| &n.id == id) {
            out.push(
                Finding::error(
                    path,
                    format!("narratives.{id}"),
                    format!("`{id}` is not a narrative of `{}@{}`", fw.id, fw.version),
                )
                .at(at_narrative(id))
                .kind("unknown-narrative"),
            );
        }
    }
    if !case.retired.is_empty() {
        out.push(
            Finding::error(
                path,
                "retired",
                format!(
                    "{} answer(s) from an earlier framework version await review",
                    case.retired.len()
                ),
            )
            .at(at_key("retired"))
            .hint("re-record what still applies, then remove the entries from `retired`")
            .kind("retired-answers"),
        );
    }
    if case.status != CaseStatus::Draft && out.iter().any(|f| f.severity == Severity::Error) {
        out.push(
            Finding::error(
                path,
                "status",
                format!(
                    "the case is marked {} but has missing work",
                    case.status.as_str()
                ),
            )
            .at(at_key("status"))
            .kind("status-inconsistent")
            .warning(),
        );
    }
    out.sort_by_key(|f| f.line.unwrap_or(usize::MAX));
    CaseCheck {
        file: path.clone(),
        reference: case.details.reference.clone(),
        status: case.status.as_str().to_owned(),
        framework: format!("{}@{}", case.framework.id, case.framework.version),
        completeness: c,
        findings: out,
    }
}
