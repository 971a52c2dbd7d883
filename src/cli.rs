//! Command-line definitions (clap). This module holds no logic: each
//! subcommand's raw arguments are turned into a checked configuration by the
//! command modules before any work starts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::case::SourceKind;
use crate::output::{ColorChoice, Format};
use crate::report::render::{OutputFormat, Standard};

/// Exit codes, shown in `--help`.
pub const EXIT_CODES: &str = "Exit codes: 0 success; 1 problems found (check, validate, \
    render with failures); 2 bad input or usage.";

/// The clap command with the exit codes in every subcommand's help, so one
/// definition feeds parsing, `--help`, the man page and completions.
pub fn command() -> clap::Command {
    fn with_codes(cmd: clap::Command) -> clap::Command {
        cmd.after_help(EXIT_CODES).mut_subcommands(with_codes)
    }
    with_codes(<Cli as clap::CommandFactory>::command())
}

/// spj: structured professional judgement worksheets and draft reports for
/// non-contact online offending risk assessments. It never computes a risk
/// score: conclusions are the assessor's.
#[derive(Debug, Parser)]
#[command(name = "spj", version = crate::version::SHORT, long_version = crate::version::long(), propagate_version = true)]
pub struct Cli {
    /// Global options.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Options that apply to every command.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// When to colour output: auto (terminal only, respects NO_COLOR), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print only results and errors, no progress or notes.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// An extra folder of framework files (repeatable); searched before
    /// SPJ_FRAMEWORKS and ./frameworks, and before the bundled frameworks.
    #[arg(long = "frameworks", global = true, value_name = "DIR")]
    pub frameworks: Vec<PathBuf>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate, show, list and compare frameworks.
    #[command(subcommand)]
    Framework(FrameworkCommand),
    /// Print the JSON Schema of a file format, for editors.
    Schema(SchemaCommand),
    /// Create a new case file with every factor listed and unrated.
    New(NewCommand),
    /// Record a factor's ratings, evidence and sources.
    Record(RecordCommand),
    /// Manage the sources register of a case.
    #[command(subcommand)]
    Source(SourceCommand),
    /// Write a narrative section of a case.
    #[command(subcommand)]
    Narrative(NarrativeCommand),
    /// Set a case's status (draft, final, amended).
    Status(StatusCommand),
    /// Check cases for missing work; exit 1 if anything is missing.
    Check(CheckCommand),
    /// Move a case to another version of its framework, keeping every answer.
    Migrate(MigrateCommand),
    /// Work through a case factor by factor in a guided interview.
    Interview(InterviewCommand),
    /// Render reports to PDF, PNG or Typst source.
    Render(RenderCommand),
    /// Print shell completions.
    Completions(CompletionsCommand),
    /// Print the man page (roff) on standard output.
    Man,
}

/// `spj framework …`
#[derive(Debug, Subcommand)]
pub enum FrameworkCommand {
    /// Check framework files and report every problem at once.
    Validate(ValidateCommand),
    /// Show a framework's sections and factors.
    Show(ShowCommand),
    /// List the bundled and on-disk frameworks with versions and hashes.
    List(ListCommand),
    /// Compare two frameworks by factor id.
    Diff(DiffCommand),
}

/// `spj framework validate`
#[derive(Debug, Args)]
pub struct ValidateCommand {
    /// Framework files, or folders of them.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `spj framework show`
#[derive(Debug, Args)]
pub struct ShowCommand {
    /// A framework file, or ID or ID@VERSION.
    #[arg(value_name = "FILE|ID[@VERSION]")]
    pub framework: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `spj framework list`
#[derive(Debug, Args)]
pub struct ListCommand {
    /// Output format (table or json).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `spj framework diff`
#[derive(Debug, Args)]
pub struct DiffCommand {
    /// The old framework: file, ID or ID@VERSION.
    pub old: String,
    /// The new framework: file, ID or ID@VERSION.
    pub new: String,
    /// Output format (table or json).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Which schema to print.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaKind {
    /// Framework files.
    Framework,
    /// Case files.
    Case,
    /// Report template manifests (template.yaml).
    Template,
}

/// `spj schema`
#[derive(Debug, Args)]
pub struct SchemaCommand {
    /// The file format.
    #[arg(value_enum)]
    pub kind: SchemaKind,
}

/// `spj new`
#[derive(Debug, Args)]
pub struct NewCommand {
    /// The case file to create (it must not exist).
    pub case: PathBuf,
    /// The framework: ID, ID@VERSION or a file.
    #[arg(long, value_name = "ID[@VERSION]|FILE")]
    pub framework: String,
    /// Case reference (defaults to the file name).
    #[arg(long)]
    pub reference: Option<String>,
    /// The subject, pseudonymised (for example "Mr A").
    #[arg(long)]
    pub subject: Option<String>,
    /// The assessor's name as it appears on the report.
    #[arg(long)]
    pub assessor: Option<String>,
    /// Report date, YYYY-MM-DD (defaults to today).
    #[arg(long, value_name = "DATE")]
    pub report_date: Option<String>,
}

/// `spj record`
#[derive(Debug, Args)]
pub struct RecordCommand {
    /// The case file.
    pub case: PathBuf,
    /// The factor id.
    pub factor: String,
    /// Presence code (for example N, P, Y or O).
    #[arg(long, value_name = "CODE")]
    pub presence: Option<String>,
    /// Relevance code (for example L, M or H).
    #[arg(long, value_name = "CODE")]
    pub relevance: Option<String>,
    /// A code on any dimension, as DIMENSION=CODE (repeatable).
    #[arg(long = "rate", value_name = "DIM=CODE")]
    pub rate: Vec<String>,
    /// Clear a dimension's code (repeatable).
    #[arg(long = "clear", value_name = "DIM")]
    pub clear: Vec<String>,
    /// The evidence note (replaces any existing note).
    #[arg(long, conflicts_with = "evidence_file")]
    pub evidence: Option<String>,
    /// Read the evidence note from a file ("-" for standard input).
    #[arg(long, value_name = "FILE")]
    pub evidence_file: Option<PathBuf>,
    /// A source id the rating rests on (repeatable; added to those recorded).
    #[arg(long = "source", value_name = "ID")]
    pub sources: Vec<String>,
    /// Remove a source id from the rating (repeatable).
    #[arg(long = "remove-source", value_name = "ID")]
    pub remove_sources: Vec<String>,
    /// Rewrite the file even though it has comments, which are not kept.
    #[arg(long)]
    pub drop_comments: bool,
}

/// `spj source …`
#[derive(Debug, Subcommand)]
pub enum SourceCommand {
    /// Add a source to the register and print its id.
    Add(SourceAddCommand),
    /// List the register.
    List(SourceListCommand),
}

/// `spj source add`
#[derive(Debug, Args)]
pub struct SourceAddCommand {
    /// The case file.
    pub case: PathBuf,
    /// What kind of source.
    #[arg(long, value_enum)]
    pub kind: SourceKindArg,
    /// What it is, without identifying anyone.
    #[arg(long)]
    pub description: String,
    /// When it was seen or held, YYYY-MM-DD.
    #[arg(long)]
    pub date: Option<String>,
    /// Duration in hours (interviews and contacts).
    #[arg(long)]
    pub hours: Option<f64>,
    /// The id to use (defaults to the next S<n>).
    #[arg(long)]
    pub id: Option<String>,
    /// Rewrite the file even though it has comments, which are not kept.
    #[arg(long)]
    pub drop_comments: bool,
}

/// `spj source list`
#[derive(Debug, Args)]
pub struct SourceListCommand {
    /// The case file.
    pub case: PathBuf,
    /// Output format (table or json).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Source kinds on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SourceKindArg {
    /// An interview with the person assessed.
    Interview,
    /// A document read.
    Document,
    /// A contact with someone else.
    Collateral,
    /// An official record.
    Record,
}

impl From<SourceKindArg> for SourceKind {
    fn from(k: SourceKindArg) -> SourceKind {
        match k {
            SourceKindArg::Interview => SourceKind::Interview,
            SourceKindArg::Document => SourceKind::Document,
            SourceKindArg::Collateral => SourceKind::Collateral,
            SourceKindArg::Record => SourceKind::Record,
        }
    }
}

/// `spj narrative …`
#[derive(Debug, Subcommand)]
pub enum NarrativeCommand {
    /// Set a narrative's text from a file, an argument or standard input.
    Set(NarrativeSetCommand),
}

/// `spj narrative set`
#[derive(Debug, Args)]
pub struct NarrativeSetCommand {
    /// The case file.
    pub case: PathBuf,
    /// The narrative id (for example `formulation`).
    pub id: String,
    /// Read the text from a file ("-" for standard input, the default).
    #[arg(long, value_name = "FILE", conflicts_with = "text")]
    pub file: Option<PathBuf>,
    /// The text itself.
    #[arg(long)]
    pub text: Option<String>,
    /// Rewrite the file even though it has comments, which are not kept.
    #[arg(long)]
    pub drop_comments: bool,
}

/// Case statuses on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StatusArg {
    /// Work in progress.
    Draft,
    /// Signed off (only when `spj check` finds nothing missing).
    Final,
    /// Changed after being final.
    Amended,
}

/// `spj status`
#[derive(Debug, Args)]
pub struct StatusCommand {
    /// The case file.
    pub case: PathBuf,
    /// The new status.
    #[arg(value_enum)]
    pub status: StatusArg,
    /// Rewrite the file even though it has comments, which are not kept.
    #[arg(long)]
    pub drop_comments: bool,
}

/// `spj check`
#[derive(Debug, Args)]
pub struct CheckCommand {
    /// Case files, or folders of them.
    #[arg(required = true, value_name = "CASE|DIR")]
    pub paths: Vec<PathBuf>,
    /// Output format (table or json).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also scan every free-text field for identifying data, and require
    /// the case to be marked anonymised.
    #[arg(long)]
    pub anonymised: bool,
    /// A file of names to flag, one per line (with --anonymised).
    #[arg(long, value_name = "FILE", requires = "anonymised")]
    pub deny_list: Option<PathBuf>,
}

/// `spj migrate`
#[derive(Debug, Args)]
pub struct MigrateCommand {
    /// The case file.
    pub case: PathBuf,
    /// The target version of the same framework (or ID@VERSION, or a file).
    #[arg(long, value_name = "VERSION")]
    pub to: String,
    /// Show what would happen without writing.
    #[arg(long)]
    pub dry_run: bool,
    /// Output format of the report (table or json).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Rewrite the file even though it has comments, which are not kept.
    #[arg(long)]
    pub drop_comments: bool,
}

/// `spj interview`
#[derive(Debug, Args)]
pub struct InterviewCommand {
    /// The case file.
    pub case: PathBuf,
    /// Start at this section.
    #[arg(long, value_name = "ID")]
    pub section: Option<String>,
    /// Ask only about this factor.
    #[arg(long, value_name = "ID", conflicts_with = "section")]
    pub factor: Option<String>,
    /// Visit only items not yet complete.
    #[arg(long)]
    pub unrated: bool,
    /// Read answers line by line from standard input even when it is not a
    /// terminal (for scripts and tests).
    #[arg(long)]
    pub scripted: bool,
    /// Rewrite the file even though it has comments, which are not kept.
    #[arg(long)]
    pub drop_comments: bool,
}

/// `spj render`
#[derive(Debug, Args)]
pub struct RenderCommand {
    /// Case files or folders of case files.
    #[arg(required = true, value_name = "CASE|DIR")]
    pub paths: Vec<PathBuf>,
    /// Output file (one case only); defaults to the case path with the format's extension.
    #[arg(long, short, value_name = "FILE", conflicts_with = "out_dir")]
    pub output: Option<PathBuf>,
    /// Output folder for batch rendering; files are named from case references.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Pdf)]
    pub format: OutputFormat,
    /// A report template folder (default: the bundled `standard` template).
    #[arg(long, value_name = "DIR")]
    pub template: Option<PathBuf>,
    /// A PDF standard to conform to (repeatable), for example a-2b for archiving.
    #[arg(long = "pdf-standard", value_enum, value_name = "STANDARD")]
    pub pdf_standard: Vec<Standard>,
    /// Parallel jobs for batch rendering (default: number of cores).
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
    /// Re-render when the case, framework or template changes (one case).
    #[arg(long)]
    pub watch: bool,
    /// Refuse cases not marked anonymised or failing the anonymisation scan.
    #[arg(long)]
    pub require_anonymised: bool,
    /// A file of names to flag, one per line (with --require-anonymised).
    #[arg(long, value_name = "FILE", requires = "require_anonymised")]
    pub deny_list: Option<PathBuf>,
    /// Summary format for batch rendering (table or json).
    #[arg(long = "summary", value_enum, default_value_t = Format::Table)]
    pub summary: Format,
}

/// `spj completions`
#[derive(Debug, Args)]
pub struct CompletionsCommand {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}
