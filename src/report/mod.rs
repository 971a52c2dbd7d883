//! Report rendering: the view model, templates, the Typst world, single and
//! batch rendering.

pub mod batch;
pub mod render;
pub mod template;
pub mod view;
pub mod world;
