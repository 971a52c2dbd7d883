//! Rendering many cases in parallel: one world per document sharing fonts
//! and library, one failure never stopping the others, output names made
//! from case references that cannot escape the output folder.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use serde::Serialize;

use crate::anon::Scanner;
use crate::case::CaseFile;
use crate::error::{Error, Result};
use crate::framework::registry::Registry;
use crate::fsio::{Overwrite, write_atomic};
use crate::report::render::{OutputFormat, Rendered, Renderer};

/// The result of one case in a batch.
#[derive(Debug, Clone, Serialize)]
pub struct BatchResult {
    /// The case file.
    pub case: PathBuf,
    /// Its reference, when it could be read.
    pub reference: String,
    /// `ok` or `failed`.
    pub status: &'static str,
    /// Pages rendered.
    pub pages: usize,
    /// Wall time in milliseconds.
    pub millis: u128,
    /// Files written.
    pub outputs: Vec<PathBuf>,
    /// The error, for failures.
    pub error: Option<String>,
    /// Typst warnings.
    pub warnings: Vec<String>,
}

/// Makes a file name from a case reference: letters and digits (any script),
/// `.`, `_` and `-` only, no leading dot, at most 100 bytes. The result never holds
/// a path separator, so joined to the output folder it stays inside it.
pub fn sanitise(reference: &str) -> String {
    let mapped: String = reference
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    // Segments made only of dots (`..` from a path) carry no name.
    let joined = mapped
        .split('-')
        .filter(|seg| !seg.is_empty() && !seg.chars().all(|c| c == '.'))
        .collect::<Vec<_>>()
        .join("-");
    let s = joined.trim_matches(|c| c == '.' || c == '-');
    // At most 100 bytes, cut at a character boundary: file systems limit
    // names by bytes, and non-Latin scripts take several per character.
    let mut cut = s.len().min(100);
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    let s = s[..cut].trim_end_matches(['.', '-']).to_owned();
    if s.is_empty() {
        "case".to_owned()
    } else if is_reserved_on_windows(&s) {
        // `CON.pdf` cannot be created on Windows, or on a share it serves.
        format!("case-{s}")
    } else {
        s
    }
}

/// Device names Windows refuses as file names, whatever the extension.
fn is_reserved_on_windows(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ["COM", "LPT"].iter().any(|p| {
            stem.strip_prefix(p)
                .is_some_and(|n| n.len() == 1 && n.as_bytes()[0].is_ascii_digit() && n != "0")
        })
}

/// The files to write for a rendered document at `base` (no extension).
pub fn output_paths(base: &Path, format: OutputFormat, pages: usize) -> Vec<PathBuf> {
    if format == OutputFormat::Png && pages > 1 {
        let width = pages.to_string().len();
        (1..=pages)
            .map(|n| {
                let name = format!(
                    "{}-{:0width$}.png",
                    base.file_name()
                        .map(|f| f.to_string_lossy())
                        .unwrap_or_default(),
                    n
                );
                base.with_file_name(name)
            })
            .collect()
    } else {
        // Appended, not `with_extension`, so a name with dots keeps them all.
        let mut name = base.file_name().unwrap_or_default().to_os_string();
        name.push(".");
        name.push(format.extension());
        vec![base.with_file_name(name)]
    }
}

/// Writes a rendered document's files, each atomically. If one fails (a
/// full disk, say), the pages already written for this document are removed
/// again, so a failed render never leaves part of a report behind.
pub fn write_outputs(rendered: &Rendered, paths: &[PathBuf]) -> Result<()> {
    for (n, (bytes, path)) in rendered.files.iter().zip(paths).enumerate() {
        if let Err(e) = write_atomic(path, bytes, Overwrite::Replace) {
            for written in &paths[..n] {
                let _ = std::fs::remove_file(written);
            }
            return Err(e);
        }
    }
    Ok(())
}

/// Renders one case fully: load, gate, render, write.
pub fn render_one(
    path: &Path,
    base: &Path,
    renderer: &Renderer,
    registry: &Registry,
    gate: Option<&Scanner>,
) -> Result<(String, Rendered, Vec<PathBuf>)> {
    let (cf, fw) = CaseFile::load_pinned(path, registry)?;
    if let Some(scanner) = gate {
        let findings = crate::commands::check::anonymisation_findings(&cf, scanner);
        if !findings.is_empty() {
            let list: Vec<String> = findings.iter().map(|f| format!("  {f}")).collect();
            return Err(Error::invalid(
                format!(
                    "`{}` failed the anonymisation gate:\n{}",
                    path.display(),
                    list.join("\n")
                ),
                "anonymise the case (see `spj check --anonymised`) or render without --require-anonymised",
            ));
        }
    }
    let rendered = renderer.render(&cf, &fw)?;
    let outputs = output_paths(base, renderer.options.format, rendered.pages);
    write_outputs(&rendered, &outputs)?;
    Ok((cf.case.details.reference.clone(), rendered, outputs))
}

/// Whether `name` is `base-DIGITS`, the name of one of `base`'s PNG pages.
fn is_page_of(name: &str, base: &str) -> bool {
    name.strip_prefix(base)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Picks output base names for every case before any work starts, so two
/// cases with the same reference cannot overwrite each other. For PNG,
/// where a document of several pages writes `BASE-1.png`, `BASE-2.png`, …,
/// a name is also refused if it is another's name plus `-DIGITS` (or the
/// other way round), so case `A-2` cannot collide with page 2 of case `A`.
fn plan_names(files: &[PathBuf], out_dir: &Path, format: OutputFormat) -> Vec<PathBuf> {
    let mut used: BTreeSet<String> = BTreeSet::new();
    let clashes = |used: &BTreeSet<String>, name: &str| {
        used.contains(name)
            || (format == OutputFormat::Png
                && used
                    .iter()
                    .any(|u| is_page_of(name, u) || is_page_of(u, name)))
    };
    files
        .iter()
        .map(|f| {
            // A cheap read of the reference; a case that fails to load here
            // fails again, with its real error, when it is rendered.
            let name = CaseFile::load(f)
                .map(|c| c.case.details.reference)
                .unwrap_or_else(|_| {
                    f.file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default()
                });
            let stem = sanitise(&name);
            let mut candidate = stem.clone();
            let mut n = 2;
            while clashes(&used, &candidate.to_lowercase()) {
                candidate = format!("{stem}-{n}");
                n += 1;
            }
            used.insert(candidate.to_lowercase());
            out_dir.join(candidate)
        })
        .collect()
}

/// How a batch uses the machine: documents rendered at once, and threads
/// each document's layout may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Workers {
    /// Documents in progress at once (`--jobs`).
    pub documents: usize,
    /// Threads for each document's own parallel work.
    pub threads_each: usize,
}

impl Workers {
    /// `jobs` documents at once, sharing the cores between them.
    pub fn for_jobs(jobs: usize) -> Workers {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let documents = jobs.max(1);
        Workers {
            documents,
            threads_each: (cores / documents).max(1),
        }
    }
}

/// Renders every case with `workers`; `tick` is called after each case.
///
/// Each worker is a plain thread with a rayon pool of its own, and the
/// cores are shared out between the pools. Typst lays pages out and the PDF
/// writer encodes fonts on the current rayon pool, and while the writer
/// waits it runs other queued tasks of that pool on the waiting thread. Were
/// the cases themselves tasks in one shared pool, a whole next document
/// would start inside the previous one's export, nesting documents (memory
/// grew by one document's worth per level) and evicting Typst's caches from
/// inside a compilation. A private pool only ever holds its own document's
/// tasks.
pub fn render_all(
    files: &[PathBuf],
    out_dir: &Path,
    renderer: &Renderer,
    registry: &Registry,
    gate: Option<&Scanner>,
    workers: Workers,
    tick: &(dyn Fn(&BatchResult) + Sync),
) -> Result<Vec<BatchResult>> {
    let names = plan_names(files, out_dir, renderer.options.format);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<BatchResult>>> = Mutex::new(vec![None; files.len()]);
    let threads_each = workers.threads_each.max(1);
    let workers = workers.documents.clamp(1, files.len().max(1));
    let work = |pool: rayon::ThreadPool| {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let (Some(path), Some(base)) = (files.get(i), names.get(i)) else {
                break;
            };
            let r = pool.install(|| render_isolated(path, base, renderer, registry, gate));
            tick(&r);
            // A poisoned lock only means another worker panicked while
            // holding it, after its slot was written; the data is intact.
            results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
        }
    };
    std::thread::scope(|scope| -> Result<()> {
        let mut handles = Vec::new();
        for n in 0..workers {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads_each)
                .thread_name(move |t| format!("spj-render-{n}-{t}"))
                .build()
                .map_err(|e| Error::msg(format!("failed to start worker threads ({e})")))?;
            let handle = std::thread::Builder::new()
                .name(format!("spj-render-{n}"))
                .spawn_scoped(scope, move || work(pool))
                .map_err(|e| Error::msg(format!("failed to start a worker thread ({e})")))?;
            handles.push(handle);
        }
        for w in handles {
            // Each case runs under `catch_unwind`, so a worker cannot die of
            // a panic in one document; joining only waits.
            let _ = w.join();
        }
        Ok(())
    })?;
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    Ok(results
        .into_iter()
        .zip(files)
        .map(|(r, path)| r.unwrap_or_else(|| failed(path, 0, "the case was not rendered".into())))
        .collect())
}

/// Renders one case, turning any error, and any panic in Typst or in spj,
/// into a failed result, so one document never stops the rest of a batch.
fn render_isolated(
    path: &Path,
    base: &Path,
    renderer: &Renderer,
    registry: &Registry,
    gate: Option<&Scanner>,
) -> BatchResult {
    let start = Instant::now();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        render_one(path, base, renderer, registry, gate)
    }));
    let millis = start.elapsed().as_millis();
    match outcome {
        Ok(Ok((reference, rendered, outputs))) => BatchResult {
            case: path.to_path_buf(),
            reference,
            status: "ok",
            pages: rendered.pages,
            millis,
            outputs,
            error: None,
            warnings: rendered.warnings,
        },
        Ok(Err(e)) => failed(path, millis, e.to_string()),
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".into());
            failed(
                path,
                millis,
                format!(
                    "internal error while rendering `{}` ({what}); this is a bug in spj or \
                     Typst, please report it with the case's structure (not its content)",
                    path.display()
                ),
            )
        }
    }
}

fn failed(path: &Path, millis: u128, error: String) -> BatchResult {
    BatchResult {
        case: path.to_path_buf(),
        reference: String::new(),
        status: "failed",
        pages: 0,
        millis,
        outputs: vec![],
        error: Some(error),
        warnings: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitised_names_cannot_escape() {
        assert_eq!(sanitise("../../etc/passwd"), "etc-passwd");
        assert_eq!(sanitise("../../escape/../me"), "escape-me");
        assert_eq!(sanitise("v1.2"), "v1.2");
        assert_eq!(sanitise("Ünïcødé 案件 ✓"), "Ünïcødé-案件");
        assert!(sanitise(&"案".repeat(200)).len() <= 100);
        assert_eq!(sanitise("EX-01"), "EX-01");
        assert_eq!(sanitise("/"), "case");
        assert_eq!(sanitise("..."), "case");
        assert_eq!(sanitise("A B\\C"), "A-B-C");
        assert!(!sanitise(&"x/".repeat(300)).contains('/'));
        assert_eq!(sanitise("con"), "case-con");
        assert_eq!(sanitise("COM1.draft"), "case-COM1.draft");
        assert_eq!(sanitise("COM0"), "COM0");
        assert_eq!(sanitise("CONSULT-1"), "CONSULT-1");
    }
}
