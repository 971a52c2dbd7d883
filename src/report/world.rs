//! The Typst `World` reports compile in: embedded fonts only, the report
//! date as "today", the generated source as `/main.typ`, and the template
//! folder as the only readable root. Package imports are refused, so
//! compiling a report never touches the network or files elsewhere.

use std::sync::{Arc, OnceLock};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::report::template::Root;

/// Fonts and the standard library, built once and shared by every document
/// and thread (loading fonts dominates a cold compile).
pub struct Engine {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Engine({} fonts)", self.fonts.len())
    }
}

impl Engine {
    /// The process-wide engine.
    pub fn shared() -> Arc<Engine> {
        static ENGINE: OnceLock<Arc<Engine>> = OnceLock::new();
        ENGINE.get_or_init(|| Arc::new(Engine::new())).clone()
    }

    fn new() -> Engine {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        let book = FontBook::from_fonts(&fonts);
        Engine {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(book),
            fonts,
        }
    }

    /// Font families available to templates.
    pub fn families(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .book
            .families()
            .map(|(name, _)| name.to_owned())
            .collect();
        v.dedup();
        v
    }
}

/// The fixed id of the generated source. Ids are interned process-wide and
/// capped, so one fixed name is used for every document.
pub fn main_id() -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new("/main.typ").expect("valid path"),
    )
    .intern()
}

/// One document's world.
pub struct ReportWorld {
    engine: Arc<Engine>,
    main: Source,
    root: Root,
    today: Datetime,
}

impl ReportWorld {
    /// A world for one generated source.
    pub fn new(engine: Arc<Engine>, source: String, root: Root, today: Datetime) -> ReportWorld {
        ReportWorld {
            engine,
            main: Source::new(main_id(), source),
            root,
            today,
        }
    }

    fn read(&self, id: FileId) -> FileResult<Vec<u8>> {
        let rooted = id.get();
        if let VirtualRoot::Package(spec) = rooted.root() {
            return Err(FileError::Other(Some(
                format!("package {spec} is not available: report templates cannot import packages")
                    .into(),
            )));
        }
        let name = rooted.vpath().get_without_slash();
        match self.root.read(name) {
            Ok(Some(bytes)) => Ok(bytes),
            Ok(None) => Err(FileError::NotFound(self.root.display(name))),
            Err(e) => Err(FileError::Other(Some(e.to_string().into()))),
        }
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.engine.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        let bytes = self.read(id)?;
        let text = String::from_utf8(bytes).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.text().to_owned()));
        }
        self.read(id).map(Bytes::new)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
