//! `spj framework validate|show|list|diff`.

use serde::Serialize;

use crate::cli::FrameworkCommand;
use crate::commands::{Ctx, expand_paths};
use crate::error::{Error, Result};
use crate::exit;
use crate::findings::{Finding, Severity};
use crate::framework::{diff, show};
use crate::output::Format;

/// Runs a framework subcommand.
pub fn run(cmd: FrameworkCommand, ctx: &mut Ctx) -> Result<i32> {
    match cmd {
        FrameworkCommand::Validate(c) => {
            let files = expand_paths(&c.paths)?;
            if files.is_empty() {
                return Err(Error::invalid(
                    "no framework files found",
                    "name YAML files or folders holding them",
                ));
            }
            validate(&files, c.format, ctx)
        }
        FrameworkCommand::Show(c) => {
            let fw = ctx.registry()?.resolve(&c.framework)?;
            let text = match c.format {
                Format::Table => show::show_table(&fw, &ctx.style),
                Format::Json => show::show_json(&fw),
                Format::Markdown => show::show_markdown(&fw),
            };
            ctx.print(&text)?;
            Ok(exit::OK)
        }
        FrameworkCommand::List(c) => {
            let style = ctx.style;
            let reg = ctx.registry()?;
            let text = match c.format {
                Format::Json => crate::output::json(&show::list_entries(reg)),
                Format::Table | Format::Markdown => show::list_table(reg, &style),
            };
            ctx.print(&text)?;
            Ok(exit::OK)
        }
        FrameworkCommand::Diff(c) => {
            let reg = ctx.registry()?;
            let old = reg.resolve(&c.old)?;
            let new = reg.resolve(&c.new)?;
            let d = diff::diff(&old, &new);
            let text = match c.format {
                Format::Json => crate::output::json(&d),
                _ => diff::diff_table(&d, &ctx.style),
            };
            ctx.print(&text)?;
            Ok(exit::OK)
        }
    }
}

/// The JSON shape of `spj framework validate --format json`.
#[derive(Serialize)]
struct ValidateJson<'a> {
    /// One entry per file.
    files: Vec<FileResult<'a>>,
}

#[derive(Serialize)]
struct FileResult<'a> {
    file: String,
    framework: Option<String>,
    sha256: Option<String>,
    valid: bool,
    findings: &'a [Finding],
}

/// One validated file: its path, `id@version` and hash if it parsed, and
/// its findings.
type Validated = (std::path::PathBuf, Option<(String, String)>, Vec<Finding>);

fn validate(files: &[std::path::PathBuf], format: Format, ctx: &mut Ctx) -> Result<i32> {
    let mut all: Vec<Validated> = Vec::new();
    let mut unreadable = false;
    for path in files {
        let text = match crate::yaml::read_text(path) {
            Ok(t) => t,
            Err(e) => {
                unreadable = true;
                let mut f = Finding::error(path, "", e.to_string()).kind("unreadable");
                if let Error::Parse { line, column, .. } = &e {
                    f.line = *line;
                    f.column = *column;
                }
                f.hint = e.hint();
                all.push((path.clone(), None, vec![f]));
                continue;
            }
        };
        let (fw, findings) = crate::framework::check_text(path, &text);
        let ident = fw.map(|f| {
            (
                format!("{}@{}", f.id, f.version),
                crate::framework::content_hash(&f),
            )
        });
        all.push((path.clone(), ident, findings));
    }
    let errors = all
        .iter()
        .flat_map(|(_, _, f)| f)
        .filter(|f| f.severity == Severity::Error)
        .count();
    match format {
        Format::Json => {
            let files = all
                .iter()
                .map(|(p, id, f)| FileResult {
                    file: p.display().to_string(),
                    framework: id.as_ref().map(|i| i.0.clone()),
                    sha256: id.as_ref().map(|i| i.1.clone()),
                    valid: !f.iter().any(|x| x.severity == Severity::Error),
                    findings: f,
                })
                .collect();
            ctx.print(&crate::output::json(&ValidateJson { files }))?;
        }
        _ => {
            let mut text = String::new();
            for (p, id, findings) in &all {
                for f in findings {
                    text.push_str(&format!("{f}\n"));
                }
                let n = findings
                    .iter()
                    .filter(|f| f.severity == Severity::Error)
                    .count();
                if n == 0 {
                    text.push_str(&format!(
                        "ok: {} ({})\n",
                        p.display(),
                        id.as_ref().map_or("?", |i| i.0.as_str())
                    ));
                }
            }
            if errors > 0 {
                text.push_str(&format!(
                    "{errors} problem{} found\n",
                    if errors == 1 { "" } else { "s" }
                ));
            }
            ctx.print(&text)?;
        }
    }
    Ok(if unreadable {
        exit::BAD_INPUT
    } else if errors > 0 {
        exit::PROBLEMS
    } else {
        exit::OK
    })
}
