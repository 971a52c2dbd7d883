//! TEMPORARY placeholder until the scanner lands (replaced before commit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HitKind {
    Email,
}
impl HitKind {
    pub fn as_str(self) -> &'static str {
        "email"
    }
    pub fn describe(self) -> &'static str {
        "an email address"
    }
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub field: String,
    pub kind: HitKind,
    pub matched: String,
    pub line: Option<usize>,
}
pub struct DenyList;
impl DenyList {
    pub fn empty() -> DenyList {
        DenyList
    }
    pub fn parse(_t: &str) -> DenyList {
        DenyList
    }
}
pub struct Scanner;
impl Scanner {
    pub fn new(_d: DenyList) -> Scanner {
        Scanner
    }
    pub fn scan(&self, _f: &[(String, String)], _t: &str) -> Vec<Hit> {
        vec![]
    }
}
