//! Any text escaped as a Typst string literal must parse as exactly one
//! string that decodes to the same text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let literal = spj::report::template::typst_literal(text);
    let source = format!("#{literal};");
    let root = typst::syntax::parse(&source);
    let (errors, _) = root.errors_and_warnings();
    assert!(errors.is_empty(), "{errors:?}");
    fn find(node: &typst::syntax::SyntaxNode) -> Option<String> {
        use typst::syntax::ast::AstNode;
        if let Some(s) = typst::syntax::ast::Str::from_untyped(node) {
            return Some(s.get().to_string());
        }
        node.children().find_map(find)
    }
    assert_eq!(find(&root).as_deref(), Some(text));
});
