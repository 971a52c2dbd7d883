//! spj: structured professional judgement worksheets and draft reports for
//! risk assessments of people arrested or convicted for non-contact online
//! offences involving indecent images of children.
//!
//! The crate is a library with a thin binary: [`run`] takes the raw
//! arguments, parses them with clap ([`cli`]), and hands each subcommand to
//! its module in [`commands`], which checks the arguments into a plan before
//! doing any work. spj never computes a risk score, total, level or
//! probability; conclusions are the assessor's.

// Errors carry their full context (file, line, column, field, snippet,
// hint) and are only built on the cold path, so their size is not a cost
// worth boxing for.
#![allow(clippy::result_large_err)]

pub mod anon;
pub mod case;
pub mod cli;
pub mod commands;
pub mod date;
pub mod error;
pub mod findings;
pub mod framework;
pub mod fsio;
pub mod interview;
pub mod output;
pub mod report;
pub mod schema;
pub mod version;
pub mod yaml;

use std::ffi::OsString;
use std::io::Write;

pub use error::{Error, Result};

/// Process exit codes.
pub mod exit {
    /// Success.
    pub const OK: i32 = 0;
    /// Problems found (check, validate, failed renders).
    pub const PROBLEMS: i32 = 1;
    /// Bad input or usage.
    pub const BAD_INPUT: i32 = 2;
}

/// Runs spj with the given arguments and streams; returns the exit code.
pub fn run<I, T>(args: I, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let parsed = cli::command()
        .try_get_matches_from(args)
        .and_then(|m| <cli::Cli as clap::FromArgMatches>::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with code 0; usage errors to
            // stderr with code 2.
            let (code, sink): (i32, &mut dyn Write) = if e.use_stderr() {
                (exit::BAD_INPUT, stderr)
            } else {
                (exit::OK, stdout)
            };
            let _ = sink.write_all(e.render().to_string().as_bytes());
            return code;
        }
    };
    let style = output::Style::resolve(cli.global.color, cli.global.quiet);
    let mut ctx = commands::Ctx::new(style, &cli.global.frameworks, stdout, stderr);
    match commands::dispatch(cli.command, &mut ctx) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => exit::OK,
        Err(e) => {
            let _ = writeln!(ctx.err, "{}", e.report());
            exit::BAD_INPUT
        }
    }
}

fn is_broken_pipe(e: &Error) -> bool {
    matches!(e, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
}
