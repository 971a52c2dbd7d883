//! The terminal prompter: reads lines from standard input, writes to
//! standard output, and opens `$VISUAL`/`$EDITOR` on request. Each answer
//! is saved by the interview as soon as its line is read, so Ctrl-C loses
//! at most the line being typed.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use crate::error::{Error, IoContext, Result};
use crate::interview::Prompter;

/// Line-based prompter over standard input and a writer.
pub struct TerminalPrompter<'a> {
    out: &'a mut dyn Write,
    input: Box<dyn BufRead + 'a>,
    /// The folder for the editor's temporary file (the case's folder, so
    /// the text never lands in a shared temporary folder).
    pub edit_dir: PathBuf,
}

impl<'a> TerminalPrompter<'a> {
    /// A prompter reading `input` and writing to `out`.
    pub fn new(
        input: Box<dyn BufRead + 'a>,
        out: &'a mut dyn Write,
        edit_dir: PathBuf,
    ) -> TerminalPrompter<'a> {
        TerminalPrompter {
            out,
            input,
            edit_dir,
        }
    }
}

fn stdout_err(e: std::io::Error) -> Error {
    Error::io("write", std::path::Path::new("<stdout>"), e)
}

impl Prompter for TerminalPrompter<'_> {
    fn say(&mut self, text: &str) -> Result<()> {
        writeln!(self.out, "{text}").map_err(stdout_err)?;
        self.out.flush().map_err(stdout_err)
    }

    fn line(&mut self, prompt: &str) -> Result<Option<String>> {
        write!(self.out, "{prompt}").map_err(stdout_err)?;
        self.out.flush().map_err(stdout_err)?;
        let mut buf = String::new();
        let n = self
            .input
            .read_line(&mut buf)
            .ctx("read", std::path::Path::new("<stdin>"))?;
        if n == 0 {
            return Ok(None);
        }
        Ok(Some(buf.trim_end_matches(['\n', '\r']).to_owned()))
    }

    fn edit(&mut self, initial: &str) -> Result<Option<String>> {
        let editor = std::env::var("VISUAL")
            .ok()
            .or_else(|| std::env::var("EDITOR").ok())
            .filter(|e| !e.trim().is_empty());
        let Some(editor) = editor else {
            return Ok(None);
        };
        // Owner-only temporary file beside the case, removed afterwards.
        let mut tmp = tempfile::Builder::new()
            .prefix(".spj-edit-")
            .suffix(".txt")
            .tempfile_in(&self.edit_dir)
            .ctx("create a temporary file in", &self.edit_dir)?;
        tmp.write_all(initial.as_bytes()).ctx("write", tmp.path())?;
        tmp.flush().ctx("write", tmp.path())?;
        let mut parts = editor.split_whitespace();
        let program = parts.next().unwrap_or("vi");
        let status = std::process::Command::new(program)
            .args(parts)
            .arg(tmp.path())
            .status();
        match status {
            Ok(s) if s.success() => {
                let text = std::fs::read_to_string(tmp.path()).ctx("read", tmp.path())?;
                Ok(Some(text))
            }
            _ => Ok(None),
        }
    }
}
