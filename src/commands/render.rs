//! `spj render`: one case to a file, many cases to a folder in parallel, or
//! one case re-rendered whenever its inputs change (`--watch`).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::anon::Scanner;
use crate::case::CaseFile;
use crate::cli::RenderCommand;
use crate::commands::{Ctx, expand_paths};
use crate::error::{Error, Result};
use crate::exit;
use crate::framework::Origin;
use crate::output::Format;
use crate::report::batch::{self, BatchResult};
use crate::report::render::{RenderOptions, Renderer};
use crate::report::template::{Root, Template};

/// The checked plan of a render command.
#[derive(Debug)]
enum Plan {
    /// One case to one output base path (extension added per format).
    Single { case: PathBuf, base: PathBuf },
    /// Many cases to a folder.
    Batch {
        cases: Vec<PathBuf>,
        out_dir: PathBuf,
        jobs: usize,
    },
}

fn plan(c: &RenderCommand) -> Result<Plan> {
    let is_batch = c.out_dir.is_some() || c.paths.len() > 1 || c.paths.iter().any(|p| p.is_dir());
    if !is_batch {
        let case = c.paths[0].clone();
        let base = match &c.output {
            Some(o) => o.with_extension(""),
            None => case.with_extension(""),
        };
        if let Some(o) = &c.output
            && o.extension().is_some_and(|e| e != c.format.extension())
        {
            return Err(Error::invalid(
                format!(
                    "`{}` does not end in .{}",
                    o.display(),
                    c.format.extension()
                ),
                format!(
                    "name the output with .{} or choose --format",
                    c.format.extension()
                ),
            ));
        }
        return Ok(Plan::Single { case, base });
    }
    if c.watch {
        return Err(Error::invalid(
            "--watch renders one case",
            "name a single case file",
        ));
    }
    let out_dir = c.out_dir.clone().ok_or_else(|| {
        Error::invalid(
            "several cases need --out-dir",
            "for example: spj render examples --out-dir reports",
        )
    })?;
    let cases = expand_paths(&c.paths)?;
    if cases.is_empty() {
        return Err(Error::invalid(
            "no case files found",
            "name case files or folders holding them",
        ));
    }
    let jobs = match c.jobs {
        Some(0) => return Err(Error::invalid("--jobs must be at least 1", "")),
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(2, |n| n.get()),
    };
    Ok(Plan::Batch {
        cases,
        out_dir,
        jobs,
    })
}

/// `spj render`
pub fn run(c: RenderCommand, ctx: &mut Ctx) -> Result<i32> {
    let plan = plan(&c)?;
    let template = match &c.template {
        Some(dir) => Template::from_dir(dir)?,
        None => Template::bundled()?,
    };
    let renderer = Renderer::new(
        template,
        RenderOptions {
            format: c.format,
            standards: c.pdf_standard.clone(),
        },
    );
    let gate = if c.require_anonymised {
        Some(Scanner::new(crate::commands::check::deny_list(
            c.deny_list.as_ref(),
        )?))
    } else {
        None
    };
    match plan {
        Plan::Single { case, base } => {
            if c.watch {
                return watch(
                    &case,
                    &base,
                    &renderer,
                    c.template.as_deref(),
                    gate.as_ref(),
                    ctx,
                );
            }
            let registry = ctx.registry()?;
            let (_, rendered, outputs) =
                batch::render_one(&case, &base, &renderer, registry, gate.as_ref())?;
            for w in &rendered.warnings {
                ctx.warn(w.trim());
            }
            for o in &outputs {
                ctx.note(&format!("wrote `{}`", o.display()));
            }
            Ok(exit::OK)
        }
        Plan::Batch {
            cases,
            out_dir,
            jobs,
        } => batch(
            &cases,
            &out_dir,
            jobs,
            &renderer,
            gate.as_ref(),
            c.summary,
            ctx,
        ),
    }
}

fn batch(
    cases: &[PathBuf],
    out_dir: &Path,
    jobs: usize,
    renderer: &Renderer,
    gate: Option<&Scanner>,
    summary: Format,
    ctx: &mut Ctx,
) -> Result<i32> {
    if !out_dir.is_dir() {
        crate::fsio::create_private_dir(out_dir)?;
    }
    let show_progress = !ctx.style.quiet && std::io::stderr().is_terminal();
    let bar = indicatif::ProgressBar::new(cases.len() as u64);
    if show_progress {
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} rendered ({elapsed})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
    } else {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let registry = ctx.registry()?;
    let results = batch::render_all(
        cases,
        out_dir,
        renderer,
        registry,
        gate,
        batch::Workers::for_jobs(jobs),
        &|_r: &BatchResult| bar.inc(1),
    )?;
    bar.finish_and_clear();
    let failed = results.iter().filter(|r| r.status != "ok").count();
    let text = match summary {
        Format::Json => {
            crate::output::json(&serde_json::json!({ "results": results, "failed": failed }))
        }
        _ => {
            let mut t = ctx.style.table();
            t.set_header(vec!["Case", "Status", "Pages", "Time", "Output or error"]);
            for r in &results {
                let name = if r.reference.is_empty() {
                    r.case.display().to_string()
                } else {
                    r.reference.clone()
                };
                t.add_row(vec![
                    name,
                    r.status.to_owned(),
                    r.pages.to_string(),
                    format!("{} ms", r.millis),
                    match &r.error {
                        Some(e) => e.clone(),
                        None => r
                            .outputs
                            .iter()
                            .map(|o| o.display().to_string())
                            .collect::<Vec<_>>()
                            .join(", "),
                    },
                ]);
            }
            format!(
                "{t}\n{} rendered, {failed} failed\n",
                results.len() - failed
            )
        }
    };
    ctx.print(&text)?;
    for r in &results {
        for w in &r.warnings {
            ctx.warn(&format!("{}: {}", r.case.display(), w.trim()));
        }
    }
    Ok(if failed > 0 { exit::PROBLEMS } else { exit::OK })
}

/// The files a render of `case` depends on.
fn inputs(case: &Path, renderer: &Renderer, ctx: &mut Ctx) -> Vec<PathBuf> {
    let mut files = vec![case.to_path_buf()];
    if let Ok(cf) = CaseFile::load(case)
        && let Ok(reg) = ctx.registry()
        && let Ok(fw) = reg.pinned(&cf.case.framework, case)
        && let Origin::File(p) = fw.origin
    {
        files.push(p);
    }
    if let Root::Dir(dir) = &renderer.template.root
        && let Ok(rd) = std::fs::read_dir(dir)
    {
        files.extend(rd.filter_map(|e| e.ok().map(|e| e.path())));
    }
    files
}

fn stamp(files: &[PathBuf]) -> Vec<Option<SystemTime>> {
    files
        .iter()
        .map(|f| std::fs::metadata(f).and_then(|m| m.modified()).ok())
        .collect()
}

fn watch(
    case: &Path,
    base: &Path,
    renderer: &Renderer,
    template_dir: Option<&Path>,
    gate: Option<&Scanner>,
    ctx: &mut Ctx,
) -> Result<i32> {
    let mut last: Option<(Vec<PathBuf>, Vec<Option<SystemTime>>)> = None;
    ctx.note(&format!("watching `{}` (Ctrl-C to stop)", case.display()));
    loop {
        let files = inputs(case, renderer, ctx);
        let now = stamp(&files);
        if last.as_ref().is_none_or(|(f, s)| f != &files || s != &now) {
            // Frameworks on disk may have changed too: reload them.
            ctx.reset_registry();
            let registry = ctx.registry()?;
            // So does the template: compiled Jinja templates are cached, so
            // an edited one is read afresh into a new renderer.
            let fresh = match template_dir.map(Template::from_dir).transpose() {
                Ok(t) => t.map(|template| Renderer {
                    template,
                    ..renderer.clone()
                }),
                Err(e) => {
                    let _ = writeln!(ctx.err, "{}", e.report());
                    last = Some((files, now));
                    continue;
                }
            };
            let renderer = fresh.as_ref().unwrap_or(renderer);
            match batch::render_one(case, base, renderer, registry, gate) {
                Ok((_, r, outputs)) => {
                    for o in &outputs {
                        ctx.note(&format!("rendered `{}` ({} pages)", o.display(), r.pages));
                    }
                }
                Err(e) => {
                    let _ = writeln!(ctx.err, "{}", e.report());
                }
            }
            last = Some((files, now));
        }
        std::thread::sleep(Duration::from_millis(300));
    }
}
