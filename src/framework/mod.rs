//! Frameworks: the versioned worksheets that cases are recorded against.
//!
//! This module owns parsing and semantic validation of framework files and
//! the content hash that case files pin. `registry` finds frameworks (bundled
//! and on disk), `diff` compares two versions and `show` prints one.

pub mod diff;
pub mod model;
pub mod registry;
pub mod show;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::findings::{Finding, locate_key};
pub use model::*;

/// Keys that would turn a worksheet into a calculator. Structured
/// professional judgement rates factors categorically; a framework that tries
/// to attach numbers is refused with this explanation rather than the
/// generic "unknown field".
const SCORING_KEYS: &[&str] = &[
    "score",
    "scores",
    "scoring",
    "weight",
    "weights",
    "weighting",
    "points",
    "point",
    "total",
    "totals",
    "threshold",
    "thresholds",
    "cut-off",
    "cutoff",
    "probability",
    "risk-level",
    "risk-score",
    "value",
    "numeric",
];

/// A framework with its content hash and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedFramework {
    /// The parsed framework.
    pub framework: Framework,
    /// SHA-256 of its canonical content, lowercase hex.
    pub sha256: String,
    /// Bundled in the binary, or a file on disk.
    pub origin: Origin,
}

/// Where a framework was loaded from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Compiled into the binary; the name is the bundled file name.
    Bundled(&'static str),
    /// A file on disk.
    File(PathBuf),
}

impl Origin {
    /// A short description for tables: `bundled` or the path.
    pub fn describe(&self) -> String {
        match self {
            Origin::Bundled(_) => "bundled".into(),
            Origin::File(p) => p.display().to_string(),
        }
    }

    /// The path to show in messages.
    pub fn path(&self) -> PathBuf {
        match self {
            Origin::Bundled(name) => PathBuf::from(format!("<bundled>/{name}")),
            Origin::File(p) => p.clone(),
        }
    }
}

impl LoadedFramework {
    /// `id@version`.
    pub fn label(&self) -> String {
        format!("{}@{}", self.framework.id, self.framework.version)
    }
}

/// The content hash of a framework: SHA-256 of its canonical JSON form, so
/// that comments and layout do not count but every word of content does.
pub fn content_hash(framework: &Framework) -> String {
    let json = serde_json::to_vec(framework).unwrap_or_default();
    hex(&Sha256::digest(&json))
}

/// Lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses and validates framework text. Returns the framework (if it parsed)
/// and every finding; the framework is usable only if no finding is an error.
pub fn check_text(path: &Path, text: &str) -> (Option<Framework>, Vec<Finding>) {
    match crate::yaml::parse::<Framework>(path, text) {
        // Every framework struct denies unknown fields and none holds a free
        // map, so a file that parses has no scoring key: the generic second
        // parse that looks for them is needed only when parsing fails.
        Ok(fw) => {
            let findings = semantic_findings(path, text, &fw);
            (Some(fw), findings)
        }
        Err(Error::Parse {
            line,
            column,
            message,
            hint,
            ..
        }) => {
            let mut findings = scoring_findings(path, text);
            // A scoring key is also an unknown field: report it once, with
            // the better explanation, then check the rest of the file as if
            // the scoring keys were not there, so every problem shows at once.
            if !findings.is_empty() {
                if let Some(fw) = without_scoring_keys(text) {
                    findings.extend(semantic_findings(path, text, &fw));
                }
                findings.sort_by_key(|f| f.line.unwrap_or(usize::MAX));
                return (None, findings);
            }
            let mut f = Finding::error(path, "", message);
            f.line = line;
            f.column = column;
            f.hint = hint;
            findings.push(f);
            (None, findings)
        }
        Err(e) => (None, vec![Finding::error(path, "", e.to_string())]),
    }
}

/// Loads a framework from text, failing on the first error finding.
pub fn load_text(path: &Path, text: &str, origin: Origin) -> Result<LoadedFramework> {
    let (fw, findings) = check_text(path, text);
    if let Some(f) = findings
        .iter()
        .find(|f| f.severity == crate::findings::Severity::Error)
    {
        return Err(Error::Parse {
            path: path.to_path_buf(),
            line: f.line,
            column: f.column,
            message: if f.field.is_empty() {
                f.message.clone()
            } else {
                format!("`{}`: {}", f.field, f.message)
            },
            snippet: f
                .line
                .map(|l| crate::yaml::snippet(text, l, f.column.unwrap_or(1))),
            hint: Some(
                f.hint
                    .clone()
                    .unwrap_or_else(|| format!("run `spj framework validate {}`", path.display())),
            ),
        });
    }
    let framework = fw.ok_or_else(|| Error::msg("framework did not parse"))?;
    let sha256 = content_hash(&framework);
    Ok(LoadedFramework {
        framework,
        sha256,
        origin,
    })
}

/// Loads and validates a framework file from disk.
pub fn load_file(path: &Path) -> Result<LoadedFramework> {
    let text = crate::yaml::read_text(path)?;
    load_text(path, &text, Origin::File(path.to_path_buf()))
}

fn scoring_findings(path: &Path, text: &str) -> Vec<Finding> {
    let Ok(value) = crate::yaml::parse_value(text) else {
        return Vec::new();
    };
    let mut keys = Vec::new();
    collect_keys(&value, "", &mut keys);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (key, field) in keys {
        if !SCORING_KEYS.contains(&key.to_lowercase().as_str()) {
            continue;
        }
        let n = seen.entry(key.clone()).or_default();
        let at = locate_key(text, &key, *n);
        *n += 1;
        out.push(
            Finding::error(
                path,
                field,
                format!("`{key}` is not allowed: ratings in spj are categorical and nothing is scored, weighted or totalled"),
            )
            .at(at)
            .hint("structured professional judgement leaves conclusions to the assessor; describe the factor in words and use the dimension codes"),
        );
    }
    out
}

fn without_scoring_keys(text: &str) -> Option<Framework> {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.retain(|k, _| !SCORING_KEYS.contains(&k.to_lowercase().as_str()));
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut value = crate::yaml::parse_value(text).ok()?;
    strip(&mut value);
    serde_json::from_value(value).ok()
}

fn collect_keys(v: &serde_json::Value, prefix: &str, out: &mut Vec<(String, String)>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, child) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.push((k.clone(), path.clone()));
                collect_keys(child, &path, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_keys(child, &format!("{prefix}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// True for ids made of lowercase letters and digits joined by single hyphens.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn semantic_findings(path: &Path, text: &str, fw: &Framework) -> Vec<Finding> {
    // Every id, code and key below is located: index the text once rather
    // than scanning it for each (frameworks run to thousands of lines).
    let index = crate::findings::KeyIndex::new(text);
    let locate = |key: &str, value: &str, n: usize| index.locate(key, value, n);
    let locate_key = |key: &str, n: usize| index.locate_key(key, n);
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let mut push = |field: String, message: String, at: Option<(usize, usize)>, hint: &str| {
        let mut f = Finding::error(path, field, message).at(at);
        if !hint.is_empty() {
            f = f.hint(hint);
        }
        errors.push(f);
    };
    if fw.format != model::FRAMEWORK_FORMAT {
        push(
            "format".into(),
            format!(
                "framework format {} is not supported (this spj reads format {})",
                fw.format,
                model::FRAMEWORK_FORMAT
            ),
            locate_key("format", 0),
            "upgrade spj, or convert the file to the supported format",
        );
    }
    if !is_valid_id(&fw.id) {
        push(
            "id".into(),
            format!("`{}` is not a valid id", fw.id),
            locate("id", &fw.id, 0),
            "use lowercase letters, digits and single hyphens, for example `nc-iioc`",
        );
    }
    if semver::Version::parse(&fw.version).is_err() {
        push(
            "version".into(),
            format!("`{}` is not a semantic version", fw.version),
            locate_key("version", 0),
            "use MAJOR.MINOR.PATCH, for example `1.2.0`",
        );
    }

    // Every id-like value, in file order, so duplicates can be located.
    let mut occurrences: HashMap<(&str, String), usize> = HashMap::new();
    let mut next = |key: &'static str, value: &str| -> usize {
        let n = occurrences.entry((key, value.to_owned())).or_default();
        let this = *n;
        *n += 1;
        this
    };

    let mut model_ids = BTreeSet::new();
    for (i, m) in fw.models.iter().enumerate() {
        let occ = next("id", &m.id);
        if !model_ids.insert(m.id.as_str()) {
            push(
                format!("models[{i}].id"),
                format!("model id `{}` is used twice", m.id),
                locate("id", &m.id, occ),
                "give each model its own id",
            );
        }
    }
    if fw.models.is_empty() {
        push(
            "models".into(),
            "at least one model is needed".into(),
            locate_key("models", 0),
            "",
        );
    }

    let mut dim_ids = BTreeSet::new();
    for (i, d) in fw.dimensions.iter().enumerate() {
        let occ = next("id", &d.id);
        let at = locate("id", &d.id, occ);
        if !dim_ids.insert(d.id.as_str()) {
            push(
                format!("dimensions[{i}].id"),
                format!("dimension id `{}` is used twice", d.id),
                at,
                "give each dimension its own id",
            );
        }
        if d.codes.is_empty() {
            push(
                format!("dimensions[{i}].codes"),
                format!("dimension `{}` has no codes", d.id),
                at,
                "list the categorical codes an assessor may choose",
            );
        }
        let mut codes = BTreeSet::new();
        for (j, c) in d.codes.iter().enumerate() {
            let occ = next("code", &c.code);
            let cat = locate("code", &c.code, occ);
            if !codes.insert(c.code.as_str()) {
                push(
                    format!("dimensions[{i}].codes[{j}]"),
                    format!("code `{}` appears twice in dimension `{}`", c.code, d.id),
                    cat,
                    "each code must be unique within its dimension",
                );
            }
            if c.code.trim().is_empty() || c.code.chars().any(char::is_whitespace) {
                push(
                    format!("dimensions[{i}].codes[{j}].code"),
                    "codes must be short words without spaces".into(),
                    cat,
                    "use letters, for example `Y`, `P`, `N`",
                );
            } else if c.code.parse::<f64>().is_ok() {
                push(
                    format!("dimensions[{i}].codes[{j}].code"),
                    format!(
                        "code `{}` is a number; ratings are categorical, not numeric",
                        c.code
                    ),
                    cat,
                    "use letters with labels (for example `L` Low), so no one can add them up",
                );
            }
        }
        if d.codes.iter().filter(|c| c.omitted).count() > 1 {
            push(
                format!("dimensions[{i}]"),
                format!("dimension `{}` marks more than one code as `omitted`", d.id),
                at,
                "mark only the code meaning 'insufficient information'",
            );
        }
    }
    for (i, d) in fw.dimensions.iter().enumerate() {
        if let Some(cond) = &d.required_when {
            let at = locate("dimension", &cond.dimension, 0);
            match fw.dimensions.iter().find(|o| o.id == cond.dimension) {
                None => push(
                    format!("dimensions[{i}].required-when.dimension"),
                    format!("unknown dimension `{}`", cond.dimension),
                    at,
                    &format!(
                        "known dimensions: {}",
                        join(fw.dimensions.iter().map(|d| d.id.as_str()))
                    ),
                ),
                Some(o) if o.id == d.id => push(
                    format!("dimensions[{i}].required-when"),
                    "a dimension cannot depend on itself".into(),
                    at,
                    "",
                ),
                Some(o) => {
                    for c in &cond.codes {
                        if !o.codes.iter().any(|x| &x.code == c) {
                            push(
                                format!("dimensions[{i}].required-when.codes"),
                                format!("`{c}` is not a code of dimension `{}`", o.id),
                                at,
                                &format!(
                                    "valid codes: {}",
                                    join(o.codes.iter().map(|c| c.code.as_str()))
                                ),
                            );
                        }
                    }
                }
            }
        }
    }

    let ref_keys: BTreeSet<&str> = fw.references.iter().map(|r| r.key.as_str()).collect();
    let mut seen_refs = BTreeSet::new();
    for (i, r) in fw.references.iter().enumerate() {
        let occ = next("key", &r.key);
        if !seen_refs.insert(r.key.as_str()) {
            push(
                format!("references[{i}].key"),
                format!("reference key `{}` is used twice", r.key),
                locate("key", &r.key, occ),
                "give each reference its own key",
            );
        }
    }

    let mut section_ids = BTreeSet::new();
    let mut factor_ids = BTreeSet::new();
    let mut cited = BTreeSet::new();
    for (i, s) in fw.sections.iter().enumerate() {
        let occ = next("id", &s.id);
        let sat = locate("id", &s.id, occ);
        if !section_ids.insert(s.id.as_str()) {
            push(
                format!("sections[{i}].id"),
                format!("section id `{}` is used twice", s.id),
                sat,
                "give each section its own id",
            );
        }
        if !is_valid_id(&s.id) {
            push(
                format!("sections[{i}].id"),
                format!("`{}` is not a valid id", s.id),
                sat,
                "use lowercase letters, digits and single hyphens",
            );
        }
        if s.factors.is_empty() {
            push(
                format!("sections[{i}].factors"),
                format!("section `{}` has no factors", s.id),
                sat,
                "",
            );
        }
        for (j, f) in s.factors.iter().enumerate() {
            let field = format!("sections[{i}].factors[{j}]");
            let occ = next("id", &f.id);
            let at = locate("id", &f.id, occ);
            if !factor_ids.insert(f.id.as_str()) {
                push(
                    format!("{field}.id"),
                    format!("factor id `{}` is used twice", f.id),
                    at,
                    "factor ids must be unique across the whole framework",
                );
            }
            if !is_valid_id(&f.id) {
                push(
                    format!("{field}.id"),
                    format!("`{}` is not a valid id", f.id),
                    at,
                    "use lowercase letters, digits and single hyphens",
                );
            }
            if !model_ids.contains(f.model.as_str()) {
                push(
                    format!("{field}.model"),
                    format!("unknown model `{}` in factor `{}`", f.model, f.id),
                    locate("model", &f.model, 0).or(at),
                    &format!("known models: {}", join(model_ids.iter().copied())),
                );
            }
            if let Some(dims) = &f.dimensions {
                if dims.is_empty() {
                    push(
                        format!("{field}.dimensions"),
                        format!("factor `{}` rates no dimension", f.id),
                        at,
                        "leave `dimensions` out to use them all",
                    );
                }
                for d in dims {
                    match fw.dimensions.iter().find(|x| &x.id == d) {
                        None => push(
                            format!("{field}.dimensions"),
                            format!("unknown dimension `{d}` in factor `{}`", f.id),
                            at,
                            &format!("known dimensions: {}", join(dim_ids.iter().copied())),
                        ),
                        Some(x) => {
                            if let Some(c) = &x.required_when
                                && !dims.contains(&c.dimension)
                            {
                                push(
                                    format!("{field}.dimensions"),
                                    format!(
                                        "factor `{}` rates `{d}`, which depends on `{}`, but not `{}`",
                                        f.id, c.dimension, c.dimension
                                    ),
                                    at,
                                    &format!("add `{}` to the factor's dimensions", c.dimension),
                                );
                            }
                        }
                    }
                }
            }
            for r in &f.references {
                cited.insert(r.as_str());
                if !ref_keys.contains(r.as_str()) {
                    push(
                        format!("{field}.references"),
                        format!(
                            "factor `{}` cites `{r}`, which is not in `references`",
                            f.id
                        ),
                        at,
                        "add the reference, or correct the key",
                    );
                }
            }
            if f.prompts.is_empty() {
                out.push(
                    Finding::error(
                        path,
                        format!("{field}.prompts"),
                        format!("factor `{}` has no interview prompts", f.id),
                    )
                    .at(at)
                    .warning(),
                );
            }
        }
    }
    if fw.sections.is_empty() {
        out.push(Finding::error(
            path,
            "sections",
            "at least one section is needed",
        ));
    }
    let mut narrative_ids = BTreeSet::new();
    for (i, n) in fw.narratives.iter().enumerate() {
        let occ = next("id", &n.id);
        let at = locate("id", &n.id, occ);
        if !narrative_ids.insert(n.id.as_str()) {
            out.push(
                Finding::error(
                    path,
                    format!("narratives[{i}].id"),
                    format!("narrative id `{}` is used twice", n.id),
                )
                .at(at)
                .hint("give each narrative its own id"),
            );
        }
        if !is_valid_id(&n.id) {
            out.push(
                Finding::error(
                    path,
                    format!("narratives[{i}].id"),
                    format!("`{}` is not a valid id", n.id),
                )
                .at(at),
            );
        }
    }
    for r in &fw.references {
        if !cited.contains(r.key.as_str()) {
            out.push(
                Finding::error(
                    path,
                    "references",
                    format!("reference `{}` is not cited by any factor", r.key),
                )
                .at(locate("key", &r.key, 0))
                .warning(),
            );
        }
    }
    errors.extend(out);
    errors.sort_by_key(|f| f.line.unwrap_or(usize::MAX));
    errors
}

fn join<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Framework {
    /// Every factor with its section, in interview order.
    pub fn factors(&self) -> impl Iterator<Item = (&Section, &Factor)> {
        self.sections
            .iter()
            .flat_map(|s| s.factors.iter().map(move |f| (s, f)))
    }

    /// The factor with this id.
    pub fn factor(&self, id: &str) -> Option<&Factor> {
        self.factors().map(|(_, f)| f).find(|f| f.id == id)
    }

    /// The model with this id.
    pub fn model(&self, id: &str) -> Option<&Model> {
        self.models.iter().find(|m| m.id == id)
    }

    /// The dimension with this id.
    pub fn dimension(&self, id: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.id == id)
    }

    /// The dimensions a factor is rated on, in framework order.
    pub fn factor_dimensions<'a>(
        &'a self,
        factor: &'a Factor,
    ) -> impl Iterator<Item = &'a Dimension> + 'a {
        self.dimensions.iter().filter(move |d| {
            factor
                .dimensions
                .as_ref()
                .is_none_or(|list| list.iter().any(|x| x == &d.id))
        })
    }

    /// Whether a rating on `dim` is required, given the other codes recorded.
    pub fn is_required(&self, dim: &Dimension, code_of: impl Fn(&str) -> Option<String>) -> bool {
        match &dim.required_when {
            None => true,
            Some(cond) => code_of(&cond.dimension).is_some_and(|c| cond.codes.contains(&c)),
        }
    }

    /// Ids of every factor, in order.
    pub fn factor_ids(&self) -> Vec<&str> {
        self.factors().map(|(_, f)| f.id.as_str()).collect()
    }
}
