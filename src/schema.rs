//! JSON Schemas of the file formats, generated from the same serde models
//! the parser uses, so editors (yaml-language-server) validate files as spj
//! does.

use schemars::schema_for;

use crate::case::Case;
use crate::framework::Framework;
use crate::report::template::Manifest;

/// The JSON Schema of framework files.
pub fn framework() -> serde_json::Value {
    let mut v = serde_json::to_value(schema_for!(Framework)).unwrap_or_default();
    annotate(
        &mut v,
        "spj framework",
        "A structured professional judgement framework for spj. Ratings are categorical; nothing is scored.",
    );
    v
}

/// The JSON Schema of case files.
pub fn case() -> serde_json::Value {
    let mut v = serde_json::to_value(schema_for!(Case)).unwrap_or_default();
    annotate(
        &mut v,
        "spj case",
        "One assessment recorded with spj against a pinned framework version.",
    );
    v
}

/// The JSON Schema of template manifests.
pub fn template() -> serde_json::Value {
    let mut v = serde_json::to_value(schema_for!(Manifest)).unwrap_or_default();
    annotate(
        &mut v,
        "spj report template",
        "The manifest (template.yaml) of an spj report template.",
    );
    v
}

fn annotate(v: &mut serde_json::Value, title: &str, description: &str) {
    if let Some(o) = v.as_object_mut() {
        o.insert("title".into(), title.into());
        o.insert("description".into(), description.into());
    }
}
