//! `spj framework show` and `spj framework list`: one framework as a table,
//! JSON or Markdown, and the list of known frameworks.

use serde::Serialize;

use crate::framework::registry::{Registry, short};
use crate::framework::{Framework, LoadedFramework, ModelColour};
use crate::output::{Style, model_cell};

/// The JSON shape of `spj framework show --format json`.
#[derive(Serialize)]
pub struct ShowJson<'a> {
    /// `id@version`.
    pub framework: String,
    /// Content hash.
    pub sha256: &'a str,
    /// `bundled` or the file path.
    pub origin: String,
    /// The framework itself, as in the file.
    pub content: &'a Framework,
}

/// JSON for one framework.
pub fn show_json(fw: &LoadedFramework) -> String {
    crate::output::json(&ShowJson {
        framework: fw.label(),
        sha256: &fw.sha256,
        origin: fw.origin.describe(),
        content: &fw.framework,
    })
}

fn colour_of(fw: &Framework, model: &str) -> ModelColour {
    fw.model(model).map_or(ModelColour::Grey, |m| m.colour)
}

/// The framework as text tables, readable at 80 columns.
pub fn show_table(fw: &LoadedFramework, style: &Style) -> String {
    let f = &fw.framework;
    let width = usize::from(style.width);
    let mut out = String::new();
    out.push_str(&style.bold(&crate::output::wrap(&f.title, width, "")));
    out.push('\n');
    let ident = format!(
        "{}  status: {}  sha256: {}  ({})",
        fw.label(),
        match f.status {
            crate::framework::FrameworkStatus::Draft => "draft",
            crate::framework::FrameworkStatus::Published => "published",
        },
        short(&fw.sha256),
        fw.origin.describe()
    );
    out.push_str(&crate::output::wrap(&ident, width, "    "));
    out.push_str("\n\n");
    out.push_str("Models: ");
    let models: Vec<String> = f
        .models
        .iter()
        .map(|m| {
            style.paint(
                &format!("{} ({:?})", m.id, m.colour).to_lowercase(),
                m.colour,
            )
        })
        .collect();
    out.push_str(&models.join(", "));
    out.push_str("\n\n");
    for d in &f.dimensions {
        let codes: Vec<String> = d
            .codes
            .iter()
            .map(|c| format!("{} {}", c.code, c.label))
            .collect();
        let mut line = format!("{}: {}", d.label, codes.join(" · "));
        if let Some(r) = &d.required_when {
            line.push_str(&format!(
                " (only when {} is {})",
                r.dimension,
                r.codes.join(" or ")
            ));
        }
        out.push_str(&crate::output::wrap(&line, width, "    "));
        out.push('\n');
    }
    for s in &f.sections {
        out.push('\n');
        out.push_str(&style.bold(&s.title));
        out.push_str(&format!(" ({})\n", s.id));
        let mut t = style.table();
        t.set_header(vec!["Model", "Factor", "Id"]);
        // Ids are typed on the command line: never break one across lines.
        crate::output::keep_whole(&mut t, &[0, 2]);
        for factor in &s.factors {
            let colour = colour_of(f, &factor.model);
            t.add_row(vec![
                model_cell(&factor.model, colour),
                comfy_table::Cell::new(&factor.label),
                comfy_table::Cell::new(&factor.id),
            ]);
        }
        out.push_str(&t.to_string());
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&style.bold("Narratives"));
    out.push('\n');
    let mut t = style.table();
    t.set_header(vec!["Id", "Title", "Prompts"]);
    for n in &f.narratives {
        t.add_row(vec![
            n.id.clone(),
            n.title.clone(),
            n.prompts.len().to_string(),
        ]);
    }
    out.push_str(&t.to_string());
    out.push('\n');
    out
}

/// The framework as Markdown: a printable interview guide.
pub fn show_markdown(fw: &LoadedFramework) -> String {
    let f = &fw.framework;
    let mut o = format!(
        "# {}\n\n`{}` · sha256 `{}`\n\n{}\n",
        f.title,
        fw.label(),
        short(&fw.sha256),
        f.description.trim()
    );
    if !f.caveats.is_empty() {
        o.push_str("\n## Caveats\n\n");
        for c in &f.caveats {
            o.push_str(&format!("- {}\n", c.trim()));
        }
    }
    o.push_str("\n## Rating dimensions\n\n");
    for d in &f.dimensions {
        o.push_str(&format!(
            "**{}** ({}): {}\n\n",
            d.label,
            d.id,
            d.description.trim()
        ));
        for c in &d.codes {
            o.push_str(&format!("- `{}` {}\n", c.code, c.label));
        }
        o.push('\n');
    }
    for s in &f.sections {
        o.push_str(&format!("## {}\n\n{}\n", s.title, s.description.trim()));
        for factor in &s.factors {
            let model = f
                .model(&factor.model)
                .map_or(factor.model.as_str(), |m| m.label.as_str());
            o.push_str(&format!(
                "\n### {} (`{}`, {})\n\n{}\n",
                factor.label,
                factor.id,
                model,
                factor.description.trim()
            ));
            if !factor.prompts.is_empty() {
                o.push_str("\nPrompts:\n\n");
                for p in &factor.prompts {
                    o.push_str(&format!("- {}\n", p.trim()));
                }
            }
            if !factor.guidance.trim().is_empty() {
                o.push_str(&format!("\nGuidance: {}\n", factor.guidance.trim()));
            }
        }
        o.push('\n');
    }
    o.push_str("## Narratives\n\n");
    for n in &f.narratives {
        o.push_str(&format!("### {} (`{}`)\n\n", n.title, n.id));
        for p in &n.prompts {
            o.push_str(&format!("- {}\n", p.trim()));
        }
        o.push('\n');
    }
    if !f.references.is_empty() {
        o.push_str("## References\n\n");
        for r in &f.references {
            o.push_str(&format!("- [{}] {}\n", r.key, r.citation.trim()));
        }
    }
    o
}

/// One row of `spj framework list --format json`.
#[derive(Serialize)]
pub struct ListEntry {
    /// Framework id.
    pub id: String,
    /// Version.
    pub version: String,
    /// `draft` or `published`.
    pub status: String,
    /// Content hash.
    pub sha256: String,
    /// `bundled` or the file path.
    pub origin: String,
    /// Title.
    pub title: String,
    /// True when a file earlier in the search order has the same id and version.
    pub shadowed: bool,
}

/// The entries of `spj framework list`, in precedence order.
pub fn list_entries(reg: &Registry) -> Vec<ListEntry> {
    let mut seen = std::collections::BTreeSet::new();
    reg.entries
        .iter()
        .map(|e| {
            let shadowed = !seen.insert(e.label());
            ListEntry {
                id: e.framework.id.clone(),
                version: e.framework.version.clone(),
                status: format!("{:?}", e.framework.status).to_lowercase(),
                sha256: e.sha256.clone(),
                origin: e.origin.describe(),
                title: e.framework.title.clone(),
                shadowed,
            }
        })
        .collect()
}

/// `spj framework list` as a table.
pub fn list_table(reg: &Registry, style: &Style) -> String {
    let mut t = style.table();
    t.set_header(vec!["Framework", "Status", "SHA-256", "Source"]);
    for e in list_entries(reg) {
        let source = if e.shadowed {
            format!("{} (shadowed)", e.origin)
        } else {
            e.origin
        };
        t.add_row(vec![
            format!("{}@{}", e.id, e.version),
            e.status,
            short(&e.sha256).to_owned(),
            source,
        ]);
    }
    let mut out = t.to_string();
    out.push('\n');
    for b in &reg.broken {
        out.push_str(&format!(
            "warning: `{}` could not be loaded ({})\n",
            b.path.display(),
            b.error
        ));
    }
    out
}
