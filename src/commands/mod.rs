//! One module per subcommand family. Each turns its raw clap arguments
//! into a checked plan, then does the work through the library modules.
//! Results go to `Ctx::out`, diagnostics to `Ctx::err`.

pub mod case;
pub mod check;
pub mod framework;
pub mod interview;
pub mod misc;
pub mod render;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::Command;
use crate::error::{Error, Result};
use crate::framework::registry::Registry;
use crate::output::Style;

/// What every command gets: output streams, style, and the framework
/// registry (loaded on first use, once per run).
pub struct Ctx<'a> {
    /// Output style.
    pub style: Style,
    /// Standard output.
    pub out: &'a mut dyn Write,
    /// Standard error.
    pub err: &'a mut dyn Write,
    folders: Vec<PathBuf>,
    registry: Option<Registry>,
}

impl<'a> Ctx<'a> {
    /// A context for one run.
    pub fn new(
        style: Style,
        extra_folders: &[PathBuf],
        out: &'a mut dyn Write,
        err: &'a mut dyn Write,
    ) -> Ctx<'a> {
        Ctx {
            style,
            out,
            err,
            folders: Registry::default_folders(extra_folders),
            registry: None,
        }
    }

    /// The registry of frameworks, loaded once.
    pub fn registry(&mut self) -> Result<&Registry> {
        if self.registry.is_none() {
            self.registry = Some(Registry::discover(&self.folders)?);
        }
        Ok(self.registry.as_ref().expect("just set"))
    }

    /// Forgets the loaded frameworks so the next use reads them again.
    pub fn reset_registry(&mut self) {
        self.registry = None;
    }

    /// Writes to standard output.
    ///
    /// A reader that has gone away (`spj check | head -1`) is not an error:
    /// the command still finishes and exits with its own code, so `check`
    /// still says 1 when problems were found.
    pub fn print(&mut self, text: &str) -> Result<()> {
        match self
            .out
            .write_all(text.as_bytes())
            .and_then(|_| self.out.flush())
        {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(Error::io("write", Path::new("<stdout>"), e))
            }
            _ => Ok(()),
        }
    }

    /// Writes a note to standard error unless `--quiet`.
    pub fn note(&mut self, text: &str) {
        if !self.style.quiet {
            let _ = writeln!(self.err, "{text}");
        }
    }

    /// Writes a warning to standard error (shown even with `--quiet`).
    pub fn warn(&mut self, text: &str) {
        let _ = writeln!(self.err, "warning: {text}");
    }
}

/// Runs one command; returns the exit code.
pub fn dispatch(command: Command, ctx: &mut Ctx) -> Result<i32> {
    match command {
        Command::Framework(c) => framework::run(c, ctx),
        Command::Schema(c) => misc::schema(c, ctx),
        Command::New(c) => case::new(c, ctx),
        Command::Record(c) => case::record(c, ctx),
        Command::Source(c) => case::source(c, ctx),
        Command::Narrative(c) => case::narrative(c, ctx),
        Command::Status(c) => case::status(c, ctx),
        Command::Check(c) => check::run(c, ctx),
        Command::Migrate(c) => case::migrate(c, ctx),
        Command::Interview(c) => interview::run(c, ctx),
        Command::Render(c) => render::run(c, ctx),
        Command::Completions(c) => misc::completions(c, ctx),
        Command::Man => misc::man(ctx),
    }
}

/// Expands folders into the YAML files they contain (sorted), keeping files
/// as given. Hidden files and lock files are skipped.
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| Error::io("read folder", p, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| {
                    f.is_file()
                        && !f
                            .file_name()
                            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                        && matches!(f.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
                })
                .collect();
            files.sort();
            out.extend(files);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}
