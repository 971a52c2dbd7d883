//! `spj framework diff`: what changed between two framework versions, by
//! stable id, so that a new version can be reviewed before cases migrate.

use serde::Serialize;

use crate::framework::{Factor, Framework, LoadedFramework};
use crate::output::Style;

/// One change between two frameworks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    /// `factor`, `narrative`, `dimension`, `model`, `section`, `reference`
    /// or `framework` (its title, description, status, caveats, signposting).
    pub kind: &'static str,
    /// The stable id.
    pub id: String,
    /// For changes: which fields differ (for example `label`, `prompts`).
    pub fields: Vec<String>,
}

/// The result of comparing two frameworks.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// `id@version` of the old framework.
    pub old: String,
    /// `id@version` of the new framework.
    pub new: String,
    /// Every change, factors first, in the new framework's order.
    pub changes: Vec<Change>,
    /// True when the two have the same content hash.
    pub same_content: bool,
}

fn factor_fields(a: &Factor, b: &Factor, section_a: &str, section_b: &str) -> Vec<String> {
    let mut f = Vec::new();
    let mut check = |name: &str, same: bool| {
        if !same {
            f.push(name.to_owned());
        }
    };
    check("section", section_a == section_b);
    check("model", a.model == b.model);
    check("label", a.label == b.label);
    check("description", a.description == b.description);
    check("dimensions", a.dimensions == b.dimensions);
    check("prompts", a.prompts == b.prompts);
    check("guidance", a.guidance == b.guidance);
    check("references", a.references == b.references);
    f
}

fn by_id<'a, T>(items: &'a [T], id: impl Fn(&T) -> &str, want: &str) -> Option<&'a T> {
    items.iter().find(|x| id(x) == want)
}

fn compare<T: PartialEq>(
    kind: &'static str,
    old: &[T],
    new: &[T],
    id: impl Fn(&T) -> &str + Copy,
    out: &mut Vec<Change>,
) {
    for n in new {
        match by_id(old, id, id(n)) {
            None => out.push(Change {
                change: "added",
                kind,
                id: id(n).to_owned(),
                fields: vec![],
            }),
            Some(o) if o != n => out.push(Change {
                change: "changed",
                kind,
                id: id(n).to_owned(),
                fields: vec![],
            }),
            Some(_) => {}
        }
    }
    for o in old {
        if by_id(new, id, id(o)).is_none() {
            out.push(Change {
                change: "removed",
                kind,
                id: id(o).to_owned(),
                fields: vec![],
            });
        }
    }
}

/// Compares two frameworks by id.
pub fn diff(old: &LoadedFramework, new: &LoadedFramework) -> Diff {
    let (a, b): (&Framework, &Framework) = (&old.framework, &new.framework);
    let mut changes = Vec::new();
    for (sb, fb) in b.factors() {
        match a.factors().find(|(_, f)| f.id == fb.id) {
            None => changes.push(Change {
                change: "added",
                kind: "factor",
                id: fb.id.clone(),
                fields: vec![],
            }),
            Some((sa, fa)) => {
                let fields = factor_fields(fa, fb, &sa.id, &sb.id);
                if !fields.is_empty() {
                    changes.push(Change {
                        change: "changed",
                        kind: "factor",
                        id: fb.id.clone(),
                        fields,
                    });
                }
            }
        }
    }
    for (_, fa) in a.factors() {
        if b.factor(&fa.id).is_none() {
            changes.push(Change {
                change: "removed",
                kind: "factor",
                id: fa.id.clone(),
                fields: vec![],
            });
        }
    }
    compare(
        "narrative",
        &a.narratives,
        &b.narratives,
        |n| &n.id,
        &mut changes,
    );
    compare(
        "dimension",
        &a.dimensions,
        &b.dimensions,
        |d| &d.id,
        &mut changes,
    );
    compare("model", &a.models, &b.models, |m| &m.id, &mut changes);
    // Sections compare by their heading and description only; factor moves
    // are reported on the factors.
    let strip = |f: &Framework| -> Vec<(String, String, String)> {
        f.sections
            .iter()
            .map(|s| (s.id.clone(), s.title.clone(), s.description.clone()))
            .collect()
    };
    compare("section", &strip(a), &strip(b), |s| &s.0, &mut changes);
    compare(
        "reference",
        &a.references,
        &b.references,
        |r| &r.key,
        &mut changes,
    );
    // What every report repeats (title, caveats, signposting) is reviewed
    // as closely as the factors.
    let mut fields = Vec::new();
    let mut check = |name: &str, same: bool| {
        if !same {
            fields.push(name.to_owned());
        }
    };
    check("title", a.title == b.title);
    check("description", a.description == b.description);
    check("status", a.status == b.status);
    check("caveats", a.caveats == b.caveats);
    check("signposting", a.signposting == b.signposting);
    if !fields.is_empty() {
        changes.push(Change {
            change: "changed",
            kind: "framework",
            id: b.id.clone(),
            fields,
        });
    }
    Diff {
        old: old.label(),
        new: new.label(),
        changes,
        same_content: old.sha256 == new.sha256,
    }
}

/// The diff as a table.
pub fn diff_table(d: &Diff, style: &Style) -> String {
    if d.changes.is_empty() {
        return if d.same_content {
            format!("{} and {} have the same content\n", d.old, d.new)
        } else {
            // Order, or the layout of a section, changed: nothing a case
            // refers to by id, but the content hash does differ.
            format!(
                "{} and {} hold the same items, but their order or arrangement differs \
                 (the content hashes differ)\n",
                d.old, d.new
            )
        };
    }
    let mut t = style.table();
    t.set_header(vec!["Change", "Kind", "Id", "Fields"]);
    for c in &d.changes {
        t.add_row(vec![
            c.change.to_owned(),
            c.kind.to_owned(),
            c.id.clone(),
            c.fields.join(", "),
        ]);
    }
    format!("{} → {}\n{t}\n", d.old, d.new)
}
