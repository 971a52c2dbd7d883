//! The view model: the only data a report template sees. It is built from a
//! case and its pinned framework, holds every piece of text the report
//! prints, and marks incomplete items explicitly so templates can show them
//! rather than hide them. It holds no score, total or level.

use serde::Serialize;

use crate::case::check::check;
use crate::case::{CaseFile, CaseStatus};
use crate::findings::Severity;
use crate::framework::registry::short;
use crate::framework::{Framework, LoadedFramework, ModelColour};

/// Everything a report template can use.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    /// Case details and provenance.
    pub meta: Meta,
    /// The models (lenses) with their colours.
    pub models: Vec<ModelView>,
    /// The rating dimensions and their codes.
    pub dimensions: Vec<DimensionView>,
    /// The sources register.
    pub sources: Vec<SourceView>,
    /// Sections with their factors and ratings, in framework order.
    pub sections: Vec<SectionView>,
    /// Narratives in framework order, keyed also by id in `narrative`.
    pub narratives: Vec<NarrativeView>,
    /// Narratives by id, for templates that place them individually.
    pub narrative: indexmap::IndexMap<String, NarrativeView>,
    /// Other instruments' results as recorded.
    pub instruments: Vec<InstrumentView>,
    /// Answers retired by a migration, awaiting review.
    pub retired: Vec<RetiredView>,
    /// References cited by the factors, in framework order.
    pub references: Vec<ReferenceView>,
    /// Support services for the family.
    pub signposting: Vec<SignpostView>,
    /// Counts of missing work, for the report's completeness notice.
    pub incomplete: Incomplete,
}

/// Case details and provenance.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    /// Case reference.
    pub reference: String,
    /// Pseudonymised subject.
    pub subject: String,
    /// Assessor's name.
    pub assessor: String,
    /// Assessor's qualifications.
    pub qualifications: String,
    /// Who instructed the assessment.
    pub instructed_by: String,
    /// The referral question(s).
    pub referral_question: String,
    /// Report date, long form (`20 March 2026`).
    pub report_date: String,
    /// Report date parts, for `datetime(..)` in Typst.
    pub report_year: u16,
    /// Month of the report date.
    pub report_month: u8,
    /// Day of the report date.
    pub report_day: u8,
    /// Referral date, long form, or empty.
    pub referral_date: String,
    /// Review date, long form, or empty.
    pub review_date: String,
    /// `draft`, `final` or `amended`.
    pub status: String,
    /// True unless the case is final: every page is then marked DRAFT.
    pub draft: bool,
    /// Whether the case is marked anonymised.
    pub anonymised: bool,
    /// Framework id.
    pub framework_id: String,
    /// Framework version.
    pub framework_version: String,
    /// Framework title.
    pub framework_title: String,
    /// True when the framework is still a draft, not published for use.
    pub framework_draft: bool,
    /// Full content hash of the framework.
    pub framework_sha256: String,
    /// First 12 hex digits of the hash.
    pub framework_sha256_short: String,
    /// The framework's caveats.
    pub caveats: Vec<String>,
    /// Template name.
    pub template_name: String,
    /// Template version.
    pub template_version: String,
    /// The spj version that produced the report.
    pub spj_version: String,
}

/// A model with its colour name (`orange`, `green`, `blue`, `grey`).
#[derive(Debug, Clone, Serialize)]
pub struct ModelView {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Colour name.
    pub colour: String,
    /// Description.
    pub description: String,
}

/// A rating dimension.
#[derive(Debug, Clone, Serialize)]
pub struct DimensionView {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Codes with labels.
    pub codes: Vec<CodeView>,
}

/// A code and its label.
#[derive(Debug, Clone, Serialize)]
pub struct CodeView {
    /// The code.
    pub code: String,
    /// Its label.
    pub label: String,
}

/// A registered source.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    /// Id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// Description.
    pub description: String,
    /// Date, long form, or empty.
    pub date: String,
    /// Hours, formatted (`2.5`), or empty.
    pub hours: String,
}

/// A section of factors.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// True for sections made only of protective factors.
    pub protective: bool,
    /// Factors in order.
    pub factors: Vec<FactorView>,
}

/// One factor with the assessor's rating.
#[derive(Debug, Clone, Serialize)]
pub struct FactorView {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Description.
    pub description: String,
    /// Model id.
    pub model: String,
    /// Model label.
    pub model_label: String,
    /// Colour name of the model.
    pub colour: String,
    /// One entry per dimension the factor is rated on.
    pub ratings: Vec<RatingView>,
    /// The first dimension's code (presence), or empty when unrated.
    pub primary_code: String,
    /// Its label, or empty.
    pub primary_label: String,
    /// True when the primary code means "omitted".
    pub omitted: bool,
    /// The evidence note.
    pub evidence: String,
    /// The sources cited, with descriptions.
    pub sources: Vec<CitedSource>,
    /// True when nothing is missing for this factor.
    pub complete: bool,
    /// What is missing, in words, for the incomplete marker.
    pub missing: Vec<String>,
}

/// One dimension's rating of a factor.
#[derive(Debug, Clone, Serialize)]
pub struct RatingView {
    /// Dimension id.
    pub dimension: String,
    /// Dimension label.
    pub label: String,
    /// The code, or empty.
    pub code: String,
    /// The code's label, or empty.
    pub code_label: String,
    /// Whether a rating is required given the other codes.
    pub required: bool,
}

/// A source cited by a rating.
#[derive(Debug, Clone, Serialize)]
pub struct CitedSource {
    /// Id.
    pub id: String,
    /// Description, or empty when the id is not registered.
    pub description: String,
    /// False when the id is not in the register.
    pub registered: bool,
}

/// A narrative.
#[derive(Debug, Clone, Serialize)]
pub struct NarrativeView {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// The assessor's text.
    pub text: String,
    /// True when no text has been written.
    pub empty: bool,
}

/// Another instrument's result.
#[derive(Debug, Clone, Serialize)]
pub struct InstrumentView {
    /// Instrument.
    pub instrument: String,
    /// Result as recorded.
    pub result: String,
    /// Who completed it.
    pub completed_by: String,
    /// Date, long form, or empty.
    pub date: String,
    /// Assessor's notes.
    pub notes: String,
}

/// A retired answer.
#[derive(Debug, Clone, Serialize)]
pub struct RetiredView {
    /// The item.
    pub item: String,
    /// Why it did not move.
    pub reason: String,
    /// Framework version it came from.
    pub from_version: String,
}

/// A reference.
#[derive(Debug, Clone, Serialize)]
pub struct ReferenceView {
    /// Key.
    pub key: String,
    /// Citation.
    pub citation: String,
}

/// A support service.
#[derive(Debug, Clone, Serialize)]
pub struct SignpostView {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Contact.
    pub contact: String,
}

/// Counts of missing work (never of risk).
#[derive(Debug, Clone, Serialize)]
pub struct Incomplete {
    /// True when anything is missing.
    pub any: bool,
    /// Factors not fully rated.
    pub factors: usize,
    /// Narratives not written.
    pub narratives: usize,
    /// Total problems found by the check.
    pub problems: usize,
    /// Problems not marked at a factor or narrative (missing details,
    /// unregistered or duplicated sources, answers under unknown ids, …),
    /// in words, so the notice accounts for every problem.
    pub other: Vec<String>,
}

/// Whether a finding about `field` is marked where a factor or narrative
/// of the framework is shown in the report.
fn marked_in_place(field: &str, fw: &Framework) -> bool {
    let under = |prefix: &str, id: &str| {
        field
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix(id))
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    };
    fw.factors().any(|(_, f)| under("ratings.", &f.id))
        || fw.narratives.iter().any(|n| under("narratives.", &n.id))
}

fn colour_name(c: ModelColour) -> &'static str {
    match c {
        ModelColour::Orange => "orange",
        ModelColour::Green => "green",
        ModelColour::Blue => "blue",
        ModelColour::Grey => "grey",
    }
}

fn long(d: Option<crate::date::Date>) -> String {
    d.map(|d| d.long()).unwrap_or_default()
}

/// Template identity printed on the report.
#[derive(Debug, Clone)]
pub struct TemplateInfo {
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
}

/// Builds the view model of a case.
pub fn build(cf: &CaseFile, lf: &LoadedFramework, template: &TemplateInfo) -> ReportView {
    let fw = &lf.framework;
    let case = &cf.case;
    let checked = check(cf, fw);
    let d = &case.details;
    let meta = Meta {
        reference: d.reference.clone(),
        subject: d.subject.clone(),
        assessor: d.assessor.name.clone(),
        qualifications: d.assessor.qualifications.clone(),
        instructed_by: d.instructed_by.clone(),
        referral_question: d.referral_question.clone(),
        report_date: d.dates.report.long(),
        report_year: d.dates.report.year,
        report_month: d.dates.report.month,
        report_day: d.dates.report.day,
        referral_date: long(d.dates.referral),
        review_date: long(d.dates.review),
        status: case.status.as_str().to_owned(),
        draft: case.status != CaseStatus::Final,
        anonymised: d.anonymised,
        framework_id: fw.id.clone(),
        framework_version: fw.version.clone(),
        framework_title: fw.title.clone(),
        framework_draft: fw.status == crate::framework::FrameworkStatus::Draft,
        framework_sha256: lf.sha256.clone(),
        framework_sha256_short: short(&lf.sha256).to_owned(),
        caveats: fw.caveats.clone(),
        template_name: template.name.clone(),
        template_version: template.version.clone(),
        spj_version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    let sources: Vec<SourceView> = case
        .sources
        .iter()
        .map(|s| SourceView {
            id: s.id.clone(),
            kind: s.kind.as_str().to_owned(),
            description: s.description.clone(),
            date: long(s.date),
            hours: s.hours.map(format_hours).unwrap_or_default(),
        })
        .collect();
    let mut cited_refs = std::collections::BTreeSet::new();
    let sections = fw
        .sections
        .iter()
        .map(|s| {
            let factors: Vec<FactorView> = s
                .factors
                .iter()
                .map(|f| {
                    cited_refs.extend(f.references.iter().cloned());
                    let r = case.ratings.get(&f.id).cloned().unwrap_or_default();
                    let model = fw.model(&f.model);
                    let ratings: Vec<RatingView> = fw
                        .factor_dimensions(f)
                        .map(|dim| {
                            let code = r.code(&dim.id).unwrap_or("").to_owned();
                            let code_label = dim
                                .codes
                                .iter()
                                .find(|c| c.code == code)
                                .map(|c| c.label.clone())
                                .unwrap_or_default();
                            RatingView {
                                dimension: dim.id.clone(),
                                label: dim.label.clone(),
                                required: fw.is_required(dim, |o| r.code(o).map(str::to_owned)),
                                code,
                                code_label,
                            }
                        })
                        .collect();
                    let first = ratings.first();
                    let primary_dim = fw.factor_dimensions(f).next();
                    let omitted = primary_dim.is_some_and(|d| {
                        d.codes
                            .iter()
                            .any(|c| c.omitted && Some(c.code.as_str()) == r.code(&d.id))
                    });
                    let missing: Vec<String> = checked
                        .findings
                        .iter()
                        .filter(|x| {
                            x.severity == crate::findings::Severity::Error
                                && (x.field == format!("ratings.{}", f.id)
                                    || x.field.starts_with(&format!("ratings.{}.", f.id)))
                        })
                        // Backticks mark ids in terminal messages; a report
                        // does not need them.
                        .map(|x| x.message.replace('`', ""))
                        .collect();
                    FactorView {
                        id: f.id.clone(),
                        label: f.label.clone(),
                        description: f.description.clone(),
                        model: f.model.clone(),
                        model_label: model.map(|m| m.label.clone()).unwrap_or_default(),
                        colour: model.map_or("grey", |m| colour_name(m.colour)).to_owned(),
                        primary_code: first.map(|x| x.code.clone()).unwrap_or_default(),
                        primary_label: first.map(|x| x.code_label.clone()).unwrap_or_default(),
                        ratings,
                        omitted,
                        evidence: r.evidence.clone(),
                        sources: r
                            .sources
                            .iter()
                            .map(|id| {
                                let reg = case.sources.iter().find(|s| &s.id == id);
                                CitedSource {
                                    id: id.clone(),
                                    description: reg
                                        .map(|s| s.description.clone())
                                        .unwrap_or_default(),
                                    registered: reg.is_some(),
                                }
                            })
                            .collect(),
                        complete: missing.is_empty(),
                        missing,
                    }
                })
                .collect();
            SectionView {
                id: s.id.clone(),
                title: s.title.clone(),
                description: s.description.clone(),
                protective: s.factors.iter().all(|f| {
                    fw.model(&f.model)
                        .is_some_and(|m| m.colour == ModelColour::Blue)
                }),
                factors,
            }
        })
        .collect::<Vec<_>>();
    let narratives: Vec<NarrativeView> = fw
        .narratives
        .iter()
        .map(|n| {
            let text = case.narratives.get(&n.id).cloned().unwrap_or_default();
            NarrativeView {
                id: n.id.clone(),
                title: n.title.clone(),
                empty: text.trim().is_empty(),
                text,
            }
        })
        .collect();
    let incomplete_factors = sections
        .iter()
        .flat_map(|s| &s.factors)
        .filter(|f| !f.complete)
        .count();
    let incomplete_narratives = narratives.iter().filter(|n| n.empty).count();
    ReportView {
        meta,
        models: fw
            .models
            .iter()
            .map(|m| ModelView {
                id: m.id.clone(),
                label: m.label.clone(),
                colour: colour_name(m.colour).to_owned(),
                description: m.description.clone(),
            })
            .collect(),
        dimensions: fw
            .dimensions
            .iter()
            .map(|d| DimensionView {
                id: d.id.clone(),
                label: d.label.clone(),
                codes: d
                    .codes
                    .iter()
                    .map(|c| CodeView {
                        code: c.code.clone(),
                        label: c.label.clone(),
                    })
                    .collect(),
            })
            .collect(),
        sources,
        sections,
        narrative: narratives
            .iter()
            .map(|n| (n.id.clone(), n.clone()))
            .collect(),
        narratives,
        instruments: case
            .instruments
            .iter()
            .map(|i| InstrumentView {
                instrument: i.instrument.clone(),
                result: i.result.clone(),
                completed_by: i.completed_by.clone(),
                date: long(i.date),
                notes: i.notes.clone(),
            })
            .collect(),
        retired: case
            .retired
            .iter()
            .map(|r| RetiredView {
                item: r.item.clone(),
                reason: r.reason.clone(),
                from_version: r.from_version.clone(),
            })
            .collect(),
        references: fw
            .references
            .iter()
            .filter(|r| cited_refs.contains(&r.key))
            .map(|r| ReferenceView {
                key: r.key.clone(),
                citation: r.citation.clone(),
            })
            .collect(),
        signposting: fw
            .signposting
            .iter()
            .map(|s| SignpostView {
                name: s.name.clone(),
                description: s.description.clone(),
                contact: s.contact.clone(),
            })
            .collect(),
        incomplete: Incomplete {
            any: checked.problems() > 0,
            factors: incomplete_factors,
            narratives: incomplete_narratives,
            problems: checked.problems(),
            other: checked
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error && !marked_in_place(&f.field, fw))
                .map(|f| f.message.clone())
                .collect(),
        },
    }
}

fn format_hours(h: f64) -> String {
    let s = format!("{h:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}
