//! The framework file format: sections of factors, rating dimensions with
//! categorical codes, narratives, references and signposting.
//!
//! Every struct denies unknown fields, so a typo is an error with a location
//! rather than a silently ignored key. There is deliberately no field that can
//! hold a score, weight or number: structured professional judgement rates
//! factors categorically and leaves conclusions to the assessor.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The framework file format this build reads and writes.
pub const FRAMEWORK_FORMAT: u32 = 1;

/// A complete framework: the worksheet an assessment is recorded against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Framework {
    /// Version of the framework file format (currently 1).
    pub format: u32,
    /// Stable identifier, lowercase letters, digits and hyphens (for example `nc-spj`).
    pub id: String,
    /// Semantic version of this framework's content (for example `1.0.0`).
    pub version: String,
    /// Human title shown on reports.
    pub title: String,
    /// What the framework is for and whom it applies to.
    pub description: String,
    /// Whether the framework is a draft or published for use.
    pub status: FrameworkStatus,
    /// Limits of the framework that every report repeats.
    #[serde(default)]
    pub caveats: Vec<String>,
    /// The lenses factors belong to (traditional, non-contact, protective).
    pub models: Vec<Model>,
    /// The rating dimensions (presence, relevance) and their codes.
    pub dimensions: Vec<Dimension>,
    /// Sections (Finkelhor's preconditions and protective factors) holding factors.
    pub sections: Vec<Section>,
    /// Narrative parts of the report the assessor writes.
    pub narratives: Vec<Narrative>,
    /// Works cited by factors, by key.
    #[serde(default)]
    pub references: Vec<Reference>,
    /// Support services for the family and others affected.
    #[serde(default)]
    pub signposting: Vec<Signpost>,
}

/// Whether a framework is ready for use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FrameworkStatus {
    /// Under development; reports say so.
    Draft,
    /// Released for use in assessments.
    Published,
}

/// The colour a model is drawn in on terminals and on the report's map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ModelColour {
    /// Finkelhor's traditional preconditions in the source diagrams.
    Orange,
    /// Non-contact (CSAM-only) variables in the source diagrams.
    Green,
    /// Protective factors.
    Blue,
    /// Anything else.
    Grey,
}

/// A lens on the factors, such as Finkelhor's traditional preconditions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Model {
    /// Stable identifier (for example `traditional`).
    pub id: String,
    /// Short label shown beside each factor.
    pub label: String,
    /// Colour used on terminals and on the report's visual map.
    pub colour: ModelColour,
    /// What the model stands for.
    pub description: String,
}

/// A rating dimension such as presence or relevance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Dimension {
    /// Stable identifier (for example `presence`).
    pub id: String,
    /// Label shown to the assessor.
    pub label: String,
    /// What the dimension asks.
    pub description: String,
    /// The categorical codes an assessor may choose from, in display order.
    pub codes: Vec<Code>,
    /// When a rating on this dimension is required; always, unless given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_when: Option<Condition>,
}

/// One categorical code of a dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Code {
    /// The code recorded in case files (for example `Y`).
    pub code: String,
    /// Its meaning (for example `Present`).
    pub label: String,
    /// Fuller guidance on when to use it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// True for the code that means "not rated for lack of information";
    /// choosing it requires the evidence note to give the reason.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub omitted: bool,
}

/// A condition on another dimension's code, such as "presence is P or Y".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Condition {
    /// The dimension the condition looks at.
    pub dimension: String,
    /// The codes of that dimension for which the rating is required.
    pub codes: Vec<String>,
}

/// A section of the worksheet, such as one of Finkelhor's preconditions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Section {
    /// Stable identifier (for example `motivation`).
    pub id: String,
    /// Heading (for example `Precondition I: Motivation`).
    pub title: String,
    /// What the section covers and how it applies to non-contact offending.
    pub description: String,
    /// The factors in this section, in interview order.
    pub factors: Vec<Factor>,
}

/// One factor the assessor rates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Factor {
    /// Stable identifier used by case files; never reused for another meaning.
    pub id: String,
    /// The model (lens) the factor belongs to.
    pub model: String,
    /// Short label.
    pub label: String,
    /// What the factor covers.
    pub description: String,
    /// The dimensions rated for this factor; all of the framework's when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<Vec<String>>,
    /// Questions the assessor may ask at interview.
    #[serde(default)]
    pub prompts: Vec<String>,
    /// Guidance on rating the factor and on the research behind it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub guidance: String,
    /// Keys into the framework's references.
    #[serde(default)]
    pub references: Vec<String>,
}

/// A narrative part of the report written by the assessor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Narrative {
    /// Stable identifier (for example `formulation`).
    pub id: String,
    /// Heading in the report.
    pub title: String,
    /// Questions that help the assessor write it.
    #[serde(default)]
    pub prompts: Vec<String>,
    /// Guidance on what belongs here.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub guidance: String,
    /// Text a new case starts with (for example a statement of truth), which
    /// the assessor reviews and edits.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub starter: String,
}

/// A work cited by the framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Reference {
    /// Key used by factors (for example `finkelhor-1984`).
    pub key: String,
    /// Full citation.
    pub citation: String,
}

/// A support service listed for the family and others affected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Signpost {
    /// Name of the service.
    pub name: String,
    /// What it offers and for whom.
    pub description: String,
    /// How to reach it, as published by the service.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub contact: String,
}
