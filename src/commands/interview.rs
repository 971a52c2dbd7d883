//! `spj interview`: refuses to run without a terminal unless `--scripted`.

use std::io::IsTerminal;

use crate::case::{Comments, EditSession};
use crate::cli::InterviewCommand;
use crate::commands::Ctx;
use crate::error::{Error, Result};
use crate::exit;
use crate::interview::terminal::TerminalPrompter;
use crate::interview::{Interview, Scope};

/// `spj interview`
pub fn run(c: InterviewCommand, ctx: &mut Ctx) -> Result<i32> {
    if !c.scripted && !std::io::stdin().is_terminal() {
        return Err(Error::invalid(
            "`spj interview` needs a terminal, and standard input is not one",
            format!(
                "record answers in scripts with `spj record {} FACTOR …`, or pass --scripted to read interview answers line by line from standard input",
                c.case.display()
            ),
        ));
    }
    let scope = Scope {
        section: c.section.clone(),
        factor: c.factor.clone(),
        unrated: c.unrated,
    };
    let comments = if c.drop_comments {
        Comments::Drop
    } else {
        Comments::Keep
    };
    let registry = ctx.registry()?;
    let mut session = EditSession::open(&c.case, registry, comments)?;
    let style = ctx.style;
    let stdin = std::io::stdin();
    let dir = crate::fsio::parent_dir(&c.case);
    let mut prompter = TerminalPrompter::new(Box::new(stdin.lock()), ctx.out, dir);
    let mut iv = Interview::new(&mut session, &mut prompter, style, &scope)?;
    iv.run()?;
    Ok(exit::OK)
}
