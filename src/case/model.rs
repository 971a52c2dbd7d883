//! The case file format: one assessment recorded against one pinned
//! framework version.
//!
//! The model holds only what the assessor recorded. Nothing here is derived:
//! there is no total, score or level, and the completeness figures shown by
//! `spj check` are counts of missing work computed on demand.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Date;

/// The case file format this build reads and writes.
pub const CASE_FORMAT: u32 = 1;

/// One assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Case {
    /// Version of the case file format (currently 1).
    pub format: u32,
    /// The exact framework version the case is recorded against.
    pub framework: FrameworkPin,
    /// Who, when and why.
    pub details: CaseDetails,
    /// Draft, final or amended.
    pub status: CaseStatus,
    /// The register of sources of information.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Ratings keyed by factor id, in framework order.
    #[serde(default)]
    pub ratings: IndexMap<String, Rating>,
    /// Narrative text keyed by the framework's narrative ids.
    #[serde(default)]
    pub narratives: IndexMap<String, String>,
    /// Results of other instruments, exactly as the assessor recorded them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instruments: Vec<InstrumentResult>,
    /// Answers that could not be carried over by `spj migrate`, kept verbatim
    /// so that nothing is lost.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired: Vec<RetiredAnswer>,
    /// Who changed what, and when, newest last.
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
}

/// The framework a case is pinned to: id, version and content hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FrameworkPin {
    /// Framework id.
    pub id: String,
    /// Framework version.
    pub version: String,
    /// SHA-256 of the framework's content, in lowercase hexadecimal.
    pub sha256: String,
}

/// Identifying details of the case, pseudonymised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CaseDetails {
    /// The assessor's case reference; also names the rendered report.
    pub reference: String,
    /// The person assessed, pseudonymised (for example `Mr A`).
    pub subject: String,
    /// The assessor.
    pub assessor: Assessor,
    /// Who instructed the assessment (organisation or role, not a private individual).
    #[serde(default)]
    pub instructed_by: String,
    /// The referral question(s), verbatim.
    #[serde(default)]
    pub referral_question: String,
    /// Key dates of the assessment.
    pub dates: CaseDates,
    /// True when the case has been anonymised and may be shared as an example.
    #[serde(default)]
    pub anonymised: bool,
}

/// The assessor's name and qualifications as they appear on the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Assessor {
    /// Name as signed.
    pub name: String,
    /// Qualifications, registrations and relevant experience.
    #[serde(default)]
    pub qualifications: String,
}

/// Dates of the assessment. The report date also fixes the date printed in,
/// and embedded into, the rendered PDF.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CaseDates {
    /// When the referral was received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<Date>,
    /// The date of the report.
    pub report: Date,
    /// When the assessment should be reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Date>,
}

/// Where the case is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CaseStatus {
    /// Work in progress; every page of the report is marked DRAFT.
    Draft,
    /// Signed off by the assessor.
    Final,
    /// Changed after being final; the report says so.
    Amended,
}

impl CaseStatus {
    /// The lowercase word used in files and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Draft => "draft",
            CaseStatus::Final => "final",
            CaseStatus::Amended => "amended",
        }
    }
}

/// The kind of a source of information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// An interview with the person assessed.
    Interview,
    /// A document read (for example police disclosure, CPS summary).
    Document,
    /// A contact with someone else (partner, probation officer, GP).
    Collateral,
    /// An official record (PNC print, social care record).
    Record,
}

impl SourceKind {
    /// Every kind, in display order.
    pub const ALL: [SourceKind; 4] = [
        SourceKind::Interview,
        SourceKind::Document,
        SourceKind::Collateral,
        SourceKind::Record,
    ];

    /// The lowercase word used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Interview => "interview",
            SourceKind::Document => "document",
            SourceKind::Collateral => "collateral",
            SourceKind::Record => "record",
        }
    }
}

/// One entry of the sources register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Source {
    /// Short id cited by ratings (for example `S1`).
    pub id: String,
    /// What kind of source it is.
    pub kind: SourceKind,
    /// What it is, without identifying anyone.
    pub description: String,
    /// When it was seen or held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Duration in hours, for interviews and contacts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<f64>,
}

/// The assessor's rating of one factor.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Rating {
    /// Code per dimension id (for example `presence: Y`); empty until rated.
    #[serde(default)]
    pub rating: IndexMap<String, Option<String>>,
    /// The evidence for the rating, in the assessor's words.
    #[serde(default)]
    pub evidence: String,
    /// Ids of the sources the rating rests on.
    #[serde(default)]
    pub sources: Vec<String>,
}

impl Rating {
    /// The code recorded for a dimension, if any.
    pub fn code(&self, dimension: &str) -> Option<&str> {
        self.rating
            .get(dimension)
            .and_then(|c| c.as_deref())
            .filter(|c| !c.trim().is_empty())
    }

    /// True when nothing at all has been recorded.
    pub fn is_blank(&self) -> bool {
        self.rating
            .values()
            .all(|c| c.as_deref().is_none_or(|c| c.trim().is_empty()))
            && self.evidence.trim().is_empty()
            && self.sources.is_empty()
    }
}

/// Another instrument's result, as the assessor recorded it; spj never
/// computes these.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct InstrumentResult {
    /// Instrument name (for example `Risk Matrix 2000/S`).
    pub instrument: String,
    /// The result as written by whoever completed it.
    pub result: String,
    /// Who completed it.
    #[serde(default)]
    pub completed_by: String,
    /// When.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// The assessor's comment on its relevance and limits.
    #[serde(default)]
    pub notes: String,
}

/// An answer kept aside by a migration because it could not move.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RetiredAnswer {
    /// The framework version the answer was recorded against.
    pub from_version: String,
    /// What it answered: `factor:<id>`, `factor:<id>/<dimension>` or `narrative:<id>`.
    pub item: String,
    /// Why it could not move.
    pub reason: String,
    /// The answer, verbatim.
    pub answer: serde_json::Value,
}

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HistoryEntry {
    /// When, in UTC (RFC 3339).
    pub at: String,
    /// Who, as the assessor named in the case or the system user.
    pub by: String,
    /// What was done (for example `record emotional-congruence presence=N`).
    pub action: String,
}
