//! Report templates: a folder holding `template.yaml`, a minijinja entry
//! template that produces Typst source, and any Typst or image files it
//! uses. The default template is compiled into the binary.
//!
//! Escaping is on by default: every `{{ value }}` in a `.typ.j2` template is
//! emitted as a Typst string literal (`#"…";`), so assessor text is data and
//! no character in it can change the document. Template authors opt out
//! only with `|safe`, which must never be applied to free text. Templates
//! can read files in their own folder and nowhere else.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use minijinja::value::{Value, ValueKind};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::error::{Error, IoContext, Result};
use crate::report::view::{ReportView, TemplateInfo};

/// The name of spj's Typst auto-escape mode.
const TYPST: &str = "typst";

/// The files of the default template, compiled in.
const BUNDLED: &[(&str, &[u8])] = &[
    (
        "template.yaml",
        include_bytes!("../../report-templates/standard/template.yaml"),
    ),
    (
        "report.typ.j2",
        include_bytes!("../../report-templates/standard/report.typ.j2"),
    ),
    (
        "style.typ",
        include_bytes!("../../report-templates/standard/style.typ"),
    ),
];

/// The bundled template's manifest text, for `spj --version`.
pub fn bundled_manifest_text() -> &'static str {
    include_str!("../../report-templates/standard/template.yaml")
}

/// A template's manifest, `template.yaml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Manifest {
    /// Template name.
    pub name: String,
    /// Template version (semver).
    pub version: String,
    /// What the template produces.
    #[serde(default)]
    pub description: String,
    /// The minijinja entry template, relative to the folder.
    pub entry: String,
}

/// Where a template's files come from.
#[derive(Debug, Clone)]
pub enum Root {
    /// Compiled into the binary.
    Bundled,
    /// A folder on disk (canonical path).
    Dir(PathBuf),
}

/// A loaded template, ready to render view models into Typst source.
#[derive(Clone)]
pub struct Template {
    /// Name and version.
    pub info: TemplateInfo,
    /// Where its files come from.
    pub root: Root,
    entry: String,
    env: Arc<Environment<'static>>,
}

impl std::fmt::Debug for Template {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Template")
            .field("info", &self.info)
            .field("root", &self.root)
            .finish()
    }
}

/// Checks a relative file name from a template and returns its normal
/// components; refuses absolute paths, `..` and anything odd.
fn clean_relative(name: &str) -> Option<PathBuf> {
    let name = name.strip_prefix('/').unwrap_or(name);
    if name.is_empty() || name.contains('\\') || name.contains('\0') {
        return None;
    }
    let mut out = PathBuf::new();
    for c in Path::new(name).components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

impl Root {
    /// Reads a file of the template by its name relative to the template
    /// folder. Returns `Ok(None)` when it does not exist or would lie outside
    /// the folder (after resolving symbolic links).
    pub fn read(&self, name: &str) -> Result<Option<Vec<u8>>> {
        let Some(rel) = clean_relative(name) else {
            return Ok(None);
        };
        match self {
            Root::Bundled => Ok(BUNDLED
                .iter()
                .find(|(n, _)| Path::new(n) == rel)
                .map(|(_, b)| b.to_vec())),
            Root::Dir(dir) => {
                let candidate = dir.join(&rel);
                let Ok(real) = candidate.canonicalize() else {
                    return Ok(None);
                };
                if !real.starts_with(dir) || !real.is_file() {
                    return Ok(None);
                }
                std::fs::read(&real).ctx("read", &real).map(Some)
            }
        }
    }

    /// A path for messages.
    pub fn display(&self, name: &str) -> PathBuf {
        match self {
            Root::Bundled => PathBuf::from(format!("<bundled template>/{name}")),
            Root::Dir(d) => d.join(name),
        }
    }
}

/// Escapes text as a Typst string literal, quotes included. Every character
/// that has meaning inside a literal is escaped, and control characters
/// become `\u{..}` escapes, so the literal always evaluates to exactly `s`.
pub fn typst_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A Typst string literal for the `typst_str` filter, meant for code
/// positions (`#let x = …`, function arguments). Characters that mean
/// something in markup are written as `\u{…}` escapes, which decode to the
/// same text in a string and stay plain text in markup, so a template that
/// misplaces the filter in markup shows quotes, never runs the text.
pub fn typst_code_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in typst_literal(s).chars() {
        match c {
            '#' | '$' | '<' | '>' | '@' | '[' | ']' | '/' | '*' | '_' | '`' => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Splits free text into paragraphs at blank lines, normalising line ends.
pub fn paragraphs(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in text.split('\n') {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(cur.join("\n"));
                cur.clear();
            }
        } else {
            cur.push(line.trim_end());
        }
    }
    if !cur.is_empty() {
        out.push(cur.join("\n"));
    }
    out
}

impl Template {
    /// The default template compiled into the binary.
    pub fn bundled() -> Result<Template> {
        Template::load(Root::Bundled)
    }

    /// A template folder on disk.
    pub fn from_dir(dir: &Path) -> Result<Template> {
        let real = dir.canonicalize().ctx("open template folder", dir)?;
        if !real.is_dir() {
            return Err(Error::invalid(
                format!("`{}` is not a folder", dir.display()),
                "--template takes a template folder holding template.yaml",
            ));
        }
        Template::load(Root::Dir(real))
    }

    fn load(root: Root) -> Result<Template> {
        let manifest_path = root.display("template.yaml");
        let bytes = root.read("template.yaml")?.ok_or_else(|| {
            Error::invalid(
                format!("`{}` not found", manifest_path.display()),
                "a template folder needs template.yaml with name, version and entry",
            )
        })?;
        let text = crate::yaml::decode(&manifest_path, bytes)?;
        let manifest: Manifest = crate::yaml::parse(&manifest_path, &text)?;
        if clean_relative(&manifest.entry).is_none() {
            return Err(Error::invalid(
                format!(
                    "template entry `{}` is outside the template folder",
                    manifest.entry
                ),
                "name a file inside the folder",
            ));
        }
        let env = environment(root.clone());
        Ok(Template {
            info: TemplateInfo {
                name: manifest.name,
                version: manifest.version,
            },
            root,
            entry: manifest.entry,
            env: Arc::new(env),
        })
    }

    /// Renders the view model into Typst source.
    pub fn render(&self, view: &ReportView) -> Result<String> {
        let tmpl = self
            .env
            .get_template(&self.entry)
            .map_err(|e| self.map_error(&e))?;
        tmpl.render(Value::from(minijinja::value::Serde(view)))
            .map_err(|e| self.map_error(&e))
    }

    fn map_error(&self, e: &minijinja::Error) -> Error {
        let name = e.name().unwrap_or(&self.entry).to_owned();
        let mut message = e.kind().to_string();
        if let Some(d) = e.detail() {
            message = format!("{message}: {d}");
        }
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            message = format!("{message} ({s})");
            source = s.source();
        }
        Error::Parse {
            path: self.root.display(&name),
            line: e.line(),
            column: None,
            message: format!("template error: {message}"),
            snippet: None,
            hint: Some("check the template near this line".into()),
        }
    }
}

fn environment(root: Root) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_debug(true);
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
        .keep_trailing_newline(true)
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    // Every template renders Typst, whatever its file is called: escaping
    // must never depend on a name a template author chose.
    env.set_auto_escape_callback(|_| AutoEscape::Custom(TYPST.into()));
    // `tojson` marks its output safe, which would let free text through as
    // markup; Typst templates have no use for JSON.
    env.remove_filter("tojson");
    env.set_formatter(|out, state, value| {
        if matches!(state.auto_escape(), AutoEscape::Custom(name) if name == TYPST)
            && !value.is_safe()
        {
            if value.is_none() || value.is_undefined() {
                return Ok(());
            }
            // Numbers and booleans cannot carry markup; writing them bare
            // lets templates use them in Typst code (`draft: true`).
            match value.kind() {
                ValueKind::Bool => {
                    write!(out, "{}", if value.is_true() { "true" } else { "false" })?;
                    return Ok(());
                }
                ValueKind::Number => {
                    write!(out, "{value}")?;
                    return Ok(());
                }
                _ => {}
            }
            let text = value
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| value.to_string());
            // `#"…";`: the semicolon ends the embedded expression so the
            // text that follows in the template cannot continue it.
            write!(out, "#{};", typst_literal(&text))?;
            Ok(())
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    env.add_filter("paragraphs", |s: String| paragraphs(&s));
    env.add_filter("typst_str", |v: Value| {
        let text = v
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| v.to_string());
        Value::from_safe_string(typst_code_literal(&text))
    });
    env.set_loader(move |name| {
        let Some(bytes) = root.read(name).map_err(|e| {
            minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.to_string())
        })?
        else {
            return Ok(None);
        };
        String::from_utf8(bytes).map(Some).map_err(|_| {
            minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("template `{name}` is not UTF-8"),
            )
        })
    });
    env
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_escapes() {
        assert_eq!(typst_literal("a\"b\\c\nd"), r#""a\"b\\c\nd""#);
        assert_eq!(typst_literal("\u{7}"), r#""\u{7}""#);
    }

    #[test]
    fn code_literals_are_plain_text_in_markup_and_exact_in_code() {
        use typst::syntax::{SyntaxKind, SyntaxNode};
        fn kinds(node: &SyntaxNode, out: &mut Vec<SyntaxKind>) {
            out.push(node.kind());
            for child in node.children() {
                kinds(child, out);
            }
        }
        for text in [
            "#read(\"/etc/passwd\")",
            "a]b[c",
            "*bold* _emph_ `raw` $x$ <label> @ref // comment /* c */",
            "\\\" \n #{1}",
        ] {
            let lit = typst_code_literal(text);
            // In markup: nothing but text, escapes, spaces and quotes.
            let markup = typst::syntax::parse(&format!("before {lit} after"));
            let mut found = Vec::new();
            kinds(&markup, &mut found);
            for k in &found {
                assert!(
                    matches!(
                        k,
                        SyntaxKind::Markup
                            | SyntaxKind::Text
                            | SyntaxKind::Escape
                            | SyntaxKind::Space
                            | SyntaxKind::SmartQuote
                            | SyntaxKind::Shorthand
                    ),
                    "{text:?} gave {k:?} in markup"
                );
            }
            // In code: one string literal holding exactly the text.
            let code = typst::syntax::parse_code(&lit);
            let s = code
                .children()
                .find_map(|n| n.cast::<typst::syntax::ast::Str>())
                .map(|s| s.get().to_string());
            assert_eq!(s.as_deref(), Some(text), "{lit}");
        }
    }

    #[test]
    fn relative_names_stay_inside() {
        assert!(clean_relative("../x").is_none());
        assert!(clean_relative("a/../../x").is_none());
        assert!(clean_relative("").is_none());
        assert_eq!(
            clean_relative("/style.typ"),
            Some(PathBuf::from("style.typ"))
        );
        assert_eq!(clean_relative("./a/b.typ"), Some(PathBuf::from("a/b.typ")));
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        assert_eq!(paragraphs("a\r\nb\n\n  \nc\n"), vec!["a\nb", "c"]);
    }
}
