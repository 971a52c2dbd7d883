//! Rendering many cases in parallel: one world per document sharing fonts
//! and library, one failure never stopping the others, output names made
//! from case references that cannot escape the output folder.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
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
    if s.is_empty() { "case".to_owned() } else { s }
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

/// Writes a rendered document's files atomically.
pub fn write_outputs(rendered: &Rendered, paths: &[PathBuf]) -> Result<()> {
    for (bytes, path) in rendered.files.iter().zip(paths) {
        write_atomic(path, bytes, Overwrite::Replace)?;
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

/// Picks output base names for every case before any work starts, so two
/// cases with the same reference cannot overwrite each other.
fn plan_names(files: &[PathBuf], out_dir: &Path) -> Vec<PathBuf> {
    let mut used = BTreeSet::new();
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
            while !used.insert(candidate.to_lowercase()) {
                candidate = format!("{stem}-{n}");
                n += 1;
            }
            out_dir.join(candidate)
        })
        .collect()
}

/// Renders every case with `jobs` threads; `tick` is called after each case.
pub fn render_all(
    files: &[PathBuf],
    out_dir: &Path,
    renderer: &Renderer,
    registry: &Registry,
    gate: Option<&Scanner>,
    jobs: usize,
    tick: &(dyn Fn(&BatchResult) + Sync),
) -> Result<Vec<BatchResult>> {
    let names = plan_names(files, out_dir);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .map_err(|e| Error::msg(format!("failed to start worker threads ({e})")))?;
    let results = pool.install(|| {
        files
            .par_iter()
            .zip(names.par_iter())
            .map(|(path, base)| {
                let start = Instant::now();
                let r = match render_one(path, base, renderer, registry, gate) {
                    Ok((reference, rendered, outputs)) => BatchResult {
                        case: path.clone(),
                        reference,
                        status: "ok",
                        pages: rendered.pages,
                        millis: start.elapsed().as_millis(),
                        outputs,
                        error: None,
                        warnings: rendered.warnings,
                    },
                    Err(e) => BatchResult {
                        case: path.clone(),
                        reference: String::new(),
                        status: "failed",
                        pages: 0,
                        millis: start.elapsed().as_millis(),
                        outputs: vec![],
                        error: Some(e.to_string()),
                        warnings: vec![],
                    },
                };
                tick(&r);
                r
            })
            .collect::<Vec<_>>()
    });
    Ok(results)
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
    }
}
