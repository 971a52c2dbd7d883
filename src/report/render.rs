//! From a case to a document: view model, template, Typst compile, and
//! export to PDF, PNG or the generated Typst source.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use clap::ValueEnum;
use typst::World;
use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::case::CaseFile;
use crate::error::{Error, Result};
use crate::framework::LoadedFramework;
use crate::report::template::Template;
use crate::report::view;
use crate::report::world::{Engine, ReportWorld};

/// What `spj render` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    /// A PDF report (tagged for accessibility).
    #[default]
    Pdf,
    /// One PNG image per page.
    Png,
    /// The generated Typst source, for inspection.
    Typ,
}

impl OutputFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Pdf => "pdf",
            OutputFormat::Png => "png",
            OutputFormat::Typ => "typ",
        }
    }
}

/// PDF standards a report can be made to conform to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Standard {
    /// PDF/A-2b, for archiving.
    #[value(name = "a-2b")]
    A2b,
    /// PDF/A-2a, archiving with accessibility.
    #[value(name = "a-2a")]
    A2a,
    /// PDF/A-3b.
    #[value(name = "a-3b")]
    A3b,
    /// PDF/A-3a.
    #[value(name = "a-3a")]
    A3a,
    /// PDF/UA-1, universal accessibility.
    #[value(name = "ua-1")]
    Ua1,
}

impl Standard {
    fn typst(self) -> PdfStandard {
        match self {
            Standard::A2b => PdfStandard::A_2b,
            Standard::A2a => PdfStandard::A_2a,
            Standard::A3b => PdfStandard::A_3b,
            Standard::A3a => PdfStandard::A_3a,
            Standard::Ua1 => PdfStandard::Ua_1,
        }
    }
}

/// How to render.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Output format.
    pub format: OutputFormat,
    /// PDF standards to enforce.
    pub standards: Vec<Standard>,
}

/// A rendered document.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The output files' bytes: one for PDF and Typst, one per page for PNG.
    pub files: Vec<Vec<u8>>,
    /// Number of pages (0 for Typst source).
    pub pages: usize,
    /// Warnings from Typst, formatted.
    pub warnings: Vec<String>,
}

/// Documents being compiled right now, in any thread.
static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

/// How many evictions an unused memoised result survives while other
/// documents are still compiling.
const BUSY_MAX_AGE: usize = 2;

/// Marks one document as compiling; dropping it (also on a panic) evicts
/// Typst's memoised results. Typst keeps them in a process-wide cache, so
/// without eviction memory grows with every document. When this was the
/// only document in flight everything goes; otherwise only results unused
/// for the last few evictions do, because clearing the cache under a
/// document still compiling makes it lay everything out again (measured: a
/// third more CPU time for a two-job batch; results shared between
/// documents, such as the framework's guidance, are kept while in use).
struct InFlight;

impl InFlight {
    fn enter() -> InFlight {
        IN_FLIGHT.fetch_add(1, Ordering::SeqCst);
        InFlight
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let others = IN_FLIGHT.fetch_sub(1, Ordering::SeqCst) - 1;
        typst::comemo::evict(if others == 0 { 0 } else { BUSY_MAX_AGE });
    }
}

/// Everything needed to render cases, built once and shared across threads.
#[derive(Debug, Clone)]
pub struct Renderer {
    /// Fonts and library.
    pub engine: Arc<Engine>,
    /// The report template.
    pub template: Template,
    /// Output options.
    pub options: Arc<RenderOptions>,
}

impl Renderer {
    /// A renderer with the shared engine.
    pub fn new(template: Template, options: RenderOptions) -> Renderer {
        Renderer {
            engine: Engine::shared(),
            template,
            options: Arc::new(options),
        }
    }

    /// The generated Typst source for a case.
    pub fn source(&self, cf: &CaseFile, fw: &LoadedFramework) -> Result<String> {
        let view = view::build(cf, fw, &self.template.info);
        self.template.render(&view)
    }

    /// Renders one case in the configured format.
    pub fn render(&self, cf: &CaseFile, fw: &LoadedFramework) -> Result<Rendered> {
        let source = self.source(cf, fw)?;
        if self.options.format == OutputFormat::Typ {
            return Ok(Rendered {
                files: vec![source.into_bytes()],
                pages: 0,
                warnings: vec![],
            });
        }
        let date = cf.case.details.dates.report;
        let today = Datetime::from_ymd(i32::from(date.year), date.month, date.day)
            .ok_or_else(|| Error::msg("report date out of range"))?;
        let world = ReportWorld::new(
            self.engine.clone(),
            source,
            self.template.root.clone(),
            today,
        );
        let in_flight = InFlight::enter();
        let result = typst::compile::<PagedDocument>(&world);
        let warnings: Vec<String> = result
            .warnings
            .iter()
            .map(|d| format_diagnostic(&world, d, &self.template))
            .collect();
        let doc = result.output.map_err(|errors| {
            let text: Vec<String> = errors
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| format_diagnostic(&world, d, &self.template))
                .collect();
            Error::invalid(
                format!(
                    "the report for `{}` failed to compile:\n{}",
                    cf.path.display(),
                    text.join("\n")
                ),
                "a template error; `--format typ` writes the generated source for inspection",
            )
        });
        let out = doc.and_then(|doc| self.export(&doc, cf, today, warnings));
        drop(in_flight);
        out
    }

    fn export(
        &self,
        doc: &PagedDocument,
        cf: &CaseFile,
        today: Datetime,
        warnings: Vec<String>,
    ) -> Result<Rendered> {
        let pages = doc.pages().len();
        let files = match self.options.format {
            OutputFormat::Pdf => {
                let standards = PdfStandards::new(
                    &self
                        .options
                        .standards
                        .iter()
                        .map(|s| s.typst())
                        .collect::<Vec<_>>(),
                )
                .map_err(|e| {
                    Error::invalid(
                        format!("these PDF standards cannot be combined ({})", e.message()),
                        "choose one archival standard, optionally with ua-1",
                    )
                })?;
                let options = PdfOptions {
                    ident: Smart::Custom(format!("spj:{}", cf.case.details.reference)),
                    creator: Smart::Custom(Some(format!("spj {}", env!("CARGO_PKG_VERSION")))),
                    timestamp: Some(Timestamp::new_utc(today)),
                    standards,
                    ..PdfOptions::default()
                };
                let pdf = typst_pdf::pdf(doc, &options).map_err(|errors| {
                    let text: Vec<String> = errors.iter().map(|d| d.message.to_string()).collect();
                    Error::invalid(
                        format!("the PDF for `{}` could not be written: {}", cf.path.display(), text.join("; ")),
                        "a PDF standard may need features the template lacks (for example alt text for PDF/UA-1)",
                    )
                })?;
                vec![pdf]
            }
            OutputFormat::Png => doc
                .pages()
                .iter()
                .map(|page| {
                    let pixmap = typst_render::render(
                        page,
                        &typst_render::RenderOptions {
                            pixel_per_pt: 2.0.into(),
                            render_bleed: false,
                        },
                    );
                    pixmap
                        .encode_png()
                        .map_err(|e| Error::msg(format!("failed to encode PNG ({e})")))
                })
                .collect::<Result<Vec<_>>>()?,
            OutputFormat::Typ => unreachable!("handled before compiling"),
        };
        Ok(Rendered {
            files,
            pages,
            warnings,
        })
    }
}

/// A diagnostic as `file:line:col: message`, naming the template file or
/// the generated source, with Typst's hints.
fn format_diagnostic(world: &ReportWorld, d: &SourceDiagnostic, template: &Template) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut place = String::from("<generated report source>");
    if let Some(id) = d.span.id() {
        let name = id.get().vpath().get_without_slash().to_owned();
        let file: PathBuf = if id == world.main() {
            PathBuf::from("<generated report source>")
        } else {
            template.root.display(&name)
        };
        place = file.display().to_string();
        if let (Some(range), Ok(source)) = (world.range(d.span), world.source(id))
            && let Some((line, col)) = source.lines().byte_to_line_column(range.start)
        {
            place = format!("{place}:{}:{}", line + 1, col + 1);
        }
    }
    let mut s = format!("  {level}: {place}: {}", d.message);
    // Typst's hints about its own command line (`--root`) mean nothing here.
    for h in d.hints.iter().filter(|h| !h.v.contains("--root")) {
        s.push_str(&format!("\n    hint: {}", h.v));
    }
    s
}

/// The default output path for a case: beside it, with the format's extension.
pub fn default_output(case: &Path, format: OutputFormat) -> PathBuf {
    case.with_extension(format.extension())
}
