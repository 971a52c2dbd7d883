//! `spj schema`, `spj completions` and `spj man`.

use crate::cli::{CompletionsCommand, SchemaCommand, SchemaKind};
use crate::commands::Ctx;
use crate::error::{Error, Result};
use crate::exit;

/// `spj schema`
pub fn schema(c: SchemaCommand, ctx: &mut Ctx) -> Result<i32> {
    let v = match c.kind {
        SchemaKind::Framework => crate::schema::framework(),
        SchemaKind::Case => crate::schema::case(),
        SchemaKind::Template => crate::schema::template(),
    };
    ctx.print(&crate::output::json(&v))?;
    Ok(exit::OK)
}

/// `spj completions`
pub fn completions(c: CompletionsCommand, ctx: &mut Ctx) -> Result<i32> {
    let mut cmd = crate::cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(c.shell, &mut cmd, "spj", &mut buf);
    ctx.print(&String::from_utf8_lossy(&buf))?;
    Ok(exit::OK)
}

/// `spj man`
pub fn man(ctx: &mut Ctx) -> Result<i32> {
    let cmd = crate::cli::command();
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut buf)
        .map_err(|e| Error::msg(format!("failed to write the man page ({e})")))?;
    ctx.print(&String::from_utf8_lossy(&buf))?;
    Ok(exit::OK)
}
