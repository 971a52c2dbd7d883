//! The terminal prompter: reads lines from standard input, writes to
//! standard output, and opens `$VISUAL`/`$EDITOR` on request. Each answer
//! is saved by the interview as soon as its line is read, so Ctrl-C loses
//! at most the line being typed.
//!
//! Text the assessor has typed is never thrown away because of its form: a
//! line that is not UTF-8 is asked for again, and editor text that cannot
//! be used is left on disk with its path shown.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitStatus;

use crate::error::{Error, IoContext, Result};
use crate::interview::{Edited, Prompter};

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
    Error::io("write", Path::new("<stdout>"), e)
}

/// Stops `tmp` being deleted and returns where it is, for text that
/// cannot go into the case but must not be lost.
fn keep(tmp: tempfile::NamedTempFile) -> Result<PathBuf> {
    let path = tmp.path().to_path_buf();
    match tmp.keep() {
        Ok((_, kept)) => Ok(std::fs::canonicalize(&kept).unwrap_or(kept)),
        Err(e) => {
            // Dropping the handle would delete the file and the text with
            // it; leaking one handle is the lesser harm.
            std::mem::forget(e.file);
            Err(Error::io("keep", &path, e.error))
        }
    }
}

/// "exited with code 3", or the platform's wording for a signal.
fn describe(status: ExitStatus) -> String {
    match status.code() {
        Some(code) => format!("exited with code {code}"),
        None => format!("stopped ({status})"),
    }
}

impl Prompter for TerminalPrompter<'_> {
    fn say(&mut self, text: &str) -> Result<()> {
        writeln!(self.out, "{text}").map_err(stdout_err)?;
        self.out.flush().map_err(stdout_err)
    }

    fn line(&mut self, prompt: &str) -> Result<Option<String>> {
        loop {
            write!(self.out, "{prompt}").map_err(stdout_err)?;
            self.out.flush().map_err(stdout_err)?;
            // Bytes, not `read_line`: a line in another encoding would be
            // an error that ends the interview. Asking again keeps the
            // interview (and any lines of a note typed so far) going.
            let mut buf = Vec::new();
            let n = self
                .input
                .read_until(b'\n', &mut buf)
                .ctx("read", Path::new("<stdin>"))?;
            if n == 0 {
                return Ok(None);
            }
            match String::from_utf8(buf) {
                Ok(text) => return Ok(Some(text.trim_end_matches(['\n', '\r']).to_owned())),
                Err(_) => self.say(
                    "That line is not valid UTF-8 text, so it was not used (is the terminal \
                     set to UTF-8?). Please type it again.",
                )?,
            }
        }
    }

    fn edit(&mut self, initial: &str) -> Result<Edited> {
        let editor = std::env::var("VISUAL")
            .ok()
            .or_else(|| std::env::var("EDITOR").ok())
            .filter(|e| !e.trim().is_empty());
        let Some(editor) = editor else {
            return Ok(Edited::NotUsed(
                "No editor is set (set $VISUAL or $EDITOR); type the text instead.".into(),
            ));
        };
        // Owner-only temporary file beside the case, removed afterwards
        // unless its text could not be used (see below).
        let mut tmp = tempfile::Builder::new()
            .prefix(".spj-edit-")
            .suffix(".txt")
            .tempfile_in(&self.edit_dir)
            .ctx("create a temporary file in", &self.edit_dir)?;
        tmp.write_all(initial.as_bytes()).ctx("write", tmp.path())?;
        tmp.flush().ctx("write", tmp.path())?;
        let mut parts = editor.split_whitespace();
        let program = parts.next().unwrap_or("vi");
        let status = match std::process::Command::new(program)
            .args(parts)
            .arg(tmp.path())
            .status()
        {
            Ok(status) => status,
            Err(e) => {
                return Ok(Edited::NotUsed(format!(
                    "Could not start the editor `{editor}`: {e}. Check $VISUAL or $EDITOR, \
                     or type the text instead."
                )));
            }
        };
        let bytes = match std::fs::read(tmp.path()) {
            Ok(bytes) => bytes,
            Err(e) => {
                return Ok(Edited::NotUsed(format!(
                    "Could not read the editor's file `{}`: {e}. Type the text instead.",
                    tmp.path().display()
                )));
            }
        };
        if !status.success() {
            if bytes == initial.as_bytes() {
                return Ok(Edited::NotUsed(format!(
                    "The editor `{editor}` {} and nothing was changed. Type the text instead, \
                     or :edit to try again.",
                    describe(status)
                )));
            }
            // A failed editor may still have written a draft; whether it
            // is wanted is for the assessor to judge, so it is kept
            // rather than deleted or saved into the case.
            let kept = keep(tmp)?;
            return Ok(Edited::NotUsed(format!(
                "The editor `{editor}` {}, so its text was not saved into the case. It has been \
                 kept in `{}`; copy what you need from it, then delete it (it holds case text).",
                describe(status),
                kept.display()
            )));
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Edited::Text(text)),
            Err(e) => {
                // Not decoded lossily: that would silently replace letters
                // (for example a Latin-1 "é") in a clinical note, and
                // guessing the encoding could garble it differently.
                // Keeping the file (owner-only, beside the case) and
                // asking again loses nothing and lets the assessor convert
                // it, for example with `iconv -f latin1 -t utf-8`.
                let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
                let kept = keep(tmp)?;
                Ok(Edited::NotUsed(format!(
                    "The edited text is not valid UTF-8 (first at line {line}), so it was not \
                     saved into the case. It has been kept, unchanged, in `{}`; convert it to \
                     UTF-8 (for example `iconv -f latin1 -t utf-8`) and paste it or type the \
                     text, then delete that file (it holds case text).",
                    kept.display()
                )))
            }
        }
    }
}
