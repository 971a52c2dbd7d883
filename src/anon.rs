//! The anonymisation scanner: the safety gate a case file must pass before
//! it is shared as an example, used for teaching or handed to anyone outside
//! the assessment.
//!
//! Case files hold special category data (health, sex life, criminal
//! allegations) about real people. A shared case that still carries an email
//! address, a phone number, a postcode, an NHS or National Insurance number,
//! a date of birth, a web or IP address, or the name of someone involved is a
//! personal data breach. This module owns the detection of such data in the
//! free-text fields of a case: the caller (the `check` and `render`
//! commands) decides which fields are free text, and this module reports
//! every [`Hit`] with the field, the matched text and, where it can be found,
//! the line in the file, so that the assessor can remove it.
//!
//! The patterns are deliberately precise. An assessor who sees the gate
//! flag "Category C", "S1", "2.5 hours", "aged 38", "2026-03-20" or
//! "Section 1 of the Protection of Children Act 1978" soon stops trusting
//! it, so each detector checks what a regular expression alone cannot: NHS
//! numbers must pass their Modulus 11 check digit, IPv4 parts must be at
//! most 255, phone numbers must have the digit count of a UK number, dates
//! count as dates of birth only after a cue such as "born" or "DOB", and
//! numbers that are part of a longer number, a decimal or a word are left
//! alone. The scanner is a safety net, not a guarantee: free-text names,
//! places and unusual details still need a human read.
//!
//! Only `std` and `regex` are used. The built-in patterns are compiled once
//! per process; a [`Scanner`] adds the assessor's deny-list and is meant to
//! be built once and reused across a batch of cases.

use std::net::Ipv6Addr;
use std::sync::LazyLock;

use regex::{Match, Regex, RegexBuilder};

/// One piece of possibly identifying data found in a free-text field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The field path given by the caller, for example
    /// `ratings.isolation-and-loneliness.evidence`.
    pub field: String,
    /// What the matched text looks like.
    pub kind: HitKind,
    /// The matched text, exactly as it appears in the field, so that the
    /// assessor can find it.
    pub matched: String,
    /// One-based line in the whole file where the match is, when it can be
    /// found (it cannot when YAML folding or escaping changed the text).
    pub line: Option<usize>,
}

/// The kinds of identifying data the scanner looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HitKind {
    /// An email address (`local@domain.tld`).
    Email,
    /// A UK phone number, national (`0…`) or international (`+44…`).
    Phone,
    /// A full UK postcode (outward and inward parts).
    Postcode,
    /// A ten-digit NHS number that passes its Modulus 11 check digit.
    NhsNumber,
    /// A National Insurance number.
    NiNumber,
    /// A full date (day, month and year) shortly after a cue such as "born"
    /// or "DOB".
    DateOfBirth,
    /// A web address: a scheme, a `www.` host, or a domain with a path.
    Url,
    /// An IPv4 or IPv6 address.
    IpAddress,
    /// A name from the assessor's deny-list.
    DenyListedName,
}

impl HitKind {
    /// A stable, machine-readable name for the kind, as used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            HitKind::Email => "email",
            HitKind::Phone => "phone",
            HitKind::Postcode => "postcode",
            HitKind::NhsNumber => "nhs-number",
            HitKind::NiNumber => "ni-number",
            HitKind::DateOfBirth => "date-of-birth",
            HitKind::Url => "url",
            HitKind::IpAddress => "ip-address",
            HitKind::DenyListedName => "name",
        }
    }

    /// A description for messages, to follow "looks like": "an email
    /// address", "a UK phone number" and so on.
    pub fn describe(self) -> &'static str {
        match self {
            HitKind::Email => "an email address",
            HitKind::Phone => "a UK phone number",
            HitKind::Postcode => "a UK postcode",
            HitKind::NhsNumber => "an NHS number",
            HitKind::NiNumber => "a National Insurance number",
            HitKind::DateOfBirth => "a date of birth",
            HitKind::Url => "a web address",
            HitKind::IpAddress => "an IP address",
            HitKind::DenyListedName => "a name on the deny-list",
        }
    }

    /// Which kind wins when two candidates start at the same place and are
    /// equally long (lower wins). Containment is settled before this: a
    /// URL that contains an IP address is reported once, as a URL.
    fn precedence(self) -> u8 {
        match self {
            HitKind::Url => 0,
            HitKind::Email => 1,
            HitKind::IpAddress => 2,
            HitKind::DateOfBirth => 3,
            HitKind::NhsNumber => 4,
            HitKind::NiNumber => 5,
            HitKind::Phone => 6,
            HitKind::Postcode => 7,
            HitKind::DenyListedName => 8,
        }
    }
}

/// Names the assessor wants flagged: the people in the case, their family,
/// places and organisations that would identify them. Names are matched
/// case-insensitively as whole words; a name of several words matches with
/// any run of white space (including a line break) between the words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DenyList {
    /// Each name with its words separated by single spaces.
    names: Vec<String>,
}

impl DenyList {
    /// A list with no names: only the built-in patterns are used.
    pub fn empty() -> DenyList {
        DenyList::default()
    }

    /// Reads a deny-list: one name per line; blank lines and lines starting
    /// with `#` (after any indentation) are ignored, and white space around
    /// and within a name is normalised.
    pub fn parse(text: &str) -> DenyList {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let names = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        DenyList { names }
    }

    /// The number of names on the list.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when the list has no names.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// Compiled patterns: the built-in detectors and the deny-list. Build once
/// and reuse across many cases (batch checks of hundreds of files); a
/// scanner is cheap to share between threads.
#[derive(Debug, Clone)]
pub struct Scanner {
    /// All deny-listed names as one case-insensitive alternation, longest
    /// names first (empty when the list is empty).
    names: Vec<Regex>,
}

impl Scanner {
    /// A scanner with the built-in patterns and the given deny-list.
    pub fn new(deny: DenyList) -> Scanner {
        // Touch the built-in patterns now, so that a batch pays for them
        // once, up front, rather than inside the first case.
        LazyLock::force(&PATTERNS);
        Scanner {
            names: name_patterns(&deny.names),
        }
    }

    /// Scans each (field path, text) pair and returns the hits in field
    /// order, then in order of position within the field. Overlapping
    /// candidates are reported once: the one that starts first wins, then
    /// the longer one, so a URL containing an IP address is a URL and an
    /// email address is not also a URL.
    ///
    /// `file_text` is the whole YAML file. It is used only to find the line
    /// of each match: the first occurrence of the matched text at or after
    /// the line where the field's own text starts (found by following the
    /// field path's keys and then the field's first words), otherwise the
    /// first occurrence anywhere; a match broken across lines by YAML
    /// folding is still found, with any white space between its words. The
    /// line is `None` when the text cannot be found at all.
    pub fn scan(&self, fields: &[(String, String)], file_text: &str) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (field, text) in fields {
            let spans = self.spans(text);
            if spans.is_empty() {
                continue;
            }
            let from = field_start(file_text, field, text);
            for (start, end, kind) in spans {
                let matched = &text[start..end];
                hits.push(Hit {
                    field: field.clone(),
                    kind,
                    matched: matched.to_owned(),
                    line: locate_line(file_text, matched, from),
                });
            }
        }
        hits
    }

    /// The de-duplicated hits in one field's text, in position order.
    fn spans(&self, text: &str) -> Vec<(usize, usize, HitKind)> {
        let p = &*PATTERNS;
        let mut cands: Vec<(usize, usize, HitKind)> = Vec::new();
        let mut add = |spans: Vec<(usize, usize)>, kind: HitKind| {
            cands.extend(spans.into_iter().map(|(s, e)| (s, e, kind)));
        };
        add(emails(p, text), HitKind::Email);
        add(urls(p, text), HitKind::Url);
        add(ipv4s(p, text), HitKind::IpAddress);
        add(ipv6s(p, text), HitKind::IpAddress);
        add(dates_of_birth(p, text), HitKind::DateOfBirth);
        add(nhs_numbers(p, text), HitKind::NhsNumber);
        add(ni_numbers(p, text), HitKind::NiNumber);
        add(phones(p, text), HitKind::Phone);
        add(postcodes(p, text), HitKind::Postcode);
        for re in &self.names {
            add(
                find_spans(re, text, |m| Some((m.start(), m.end()))),
                HitKind::DenyListedName,
            );
        }
        cands.sort_by_key(|&(s, e, k)| (s, std::cmp::Reverse(e), k.precedence()));
        let mut out: Vec<(usize, usize, HitKind)> = Vec::new();
        let mut covered = 0;
        for (s, e, k) in cands {
            if out.is_empty() || s >= covered {
                out.push((s, e, k));
                covered = e;
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------
// Built-in patterns

/// A word boundary in ASCII terms, which keeps the faster regex engines
/// usable on text with non-ASCII characters such as "£" or "–".
const B: &str = r"(?-u:\b)";

/// Month names and their usual abbreviations.
const MONTHS: &str = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?\
                      |aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

/// The generic top-level domains accepted for a bare domain with a path
/// (any two-letter country code is accepted too).
const GENERIC_TLDS: &[&str] = &[
    "com", "org", "net", "edu", "gov", "mil", "int", "info", "biz", "name", "pro", "onion", "app",
    "dev", "xyz", "site", "online", "blog", "shop", "store", "tech", "club", "live", "life",
    "news", "link", "page", "cloud", "social", "chat", "top", "art", "web", "wiki", "london",
    "wales", "scot", "cymru",
];

struct Patterns {
    email: Regex,
    url_scheme: Regex,
    url_www: Regex,
    url_bare: Regex,
    ipv4: Regex,
    ipv6: Regex,
    nhs: Regex,
    ni: Regex,
    phone: Regex,
    postcode: Regex,
    dob_cue: Regex,
    dob_cue_after: Regex,
    date: Regex,
}

static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| Patterns {
    email: re(&format!(
        r"(?i){B}[a-z0-9](?:[a-z0-9._%+-]*[a-z0-9_%+-])?@(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+[a-z]{{2,63}}{B}"
    )),
    url_scheme: re(&format!(r#"(?i){B}(?:https?|ftp)://[^\s<>"]+"#)),
    url_www: re(&format!(
        r#"(?i){B}www[0-9]?\.[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[:/?#][^\s<>"]*)?"#
    )),
    url_bare: re(&format!(
        r#"(?i){B}(?P<host>(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?P<tld>[a-z]{{2,63}}))/[^\s<>"]*"#
    )),
    ipv4: re(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}"),
    ipv6: re(r"(?i)[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:\.[0-9]{1,3}){0,3}"),
    nhs: re(r"[0-9]{3}[ -][0-9]{3}[ -][0-9]{4}|[0-9]{10}"),
    ni: re(&format!(
        r"(?i){B}[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{{2}} ?[0-9]{{2}} ?[0-9]{{2}} ?[A-D]{B}"
    )),
    phone: re(r"(?x)
        (?:\+|00)44 [\ -]? (?:\(0\)[\ -]?)? \(?[0-9]{1,5}\)? (?:[\ -]?[0-9]{3,8}){0,4}
      | \(0[0-9]{2,5}\) (?:[\ -]?[0-9]{3,8}){1,3}
      | 0[0-9]{2,10} (?:[\ -][0-9]{3,8}){0,3}
    "),
    postcode: re(&format!(
        r"(?i){B}(?:GIR[ \t\u{{a0}}]?0AA|(?:[A-PR-UWYZ][0-9]{{1,2}}|[A-PR-UWYZ][A-HK-Y][0-9]{{1,2}}|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])[ \t\u{{a0}}]?[0-9][ABD-HJLNP-UW-Z]{{2}}){B}"
    )),
    dob_cue: re(&format!(
        r"(?i){B}(?:(?:born|dob|date\s+of\s+birth|birth\s*date|birthdays?){B}|d\.\s?o\.\s?b{B}\.?|b\.)"
    )),
    dob_cue_after: re(r"(?i)^\s*\(\s*(?:dob|d\.o\.b\.?|date\s+of\s+birth|born)\s*\)"),
    date: re(&format!(
        r"(?ix)
          [0-9]{{1,2}}/[0-9]{{1,2}}/(?:[0-9]{{4}}|[0-9]{{2}})
        | [0-9]{{1,2}}-[0-9]{{1,2}}-(?:[0-9]{{4}}|[0-9]{{2}})
        | [0-9]{{1,2}}\.[0-9]{{1,2}}\.(?:[0-9]{{4}}|[0-9]{{2}})
        | [0-9]{{4}}[-/][0-9]{{1,2}}[-/][0-9]{{1,2}}
        | [0-9]{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?[\s-]+(?:{MONTHS}){B}\.?,?[\s-]+[0-9]{{4}}
        | (?:{MONTHS}){B}\.?\s+[0-9]{{1,2}}(?:st|nd|rd|th)?,?\s+[0-9]{{4}}
        "
    )),
});

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("built-in pattern compiles")
}

/// The deny-list as regular expressions: one alternation of all names,
/// longest first so that "John Smith" wins over "John". A list too large
/// for one expression falls back to one expression per name.
fn name_patterns(names: &[String]) -> Vec<Regex> {
    if names.is_empty() {
        return Vec::new();
    }
    let mut sorted: Vec<&String> = names.iter().collect();
    sorted.sort_by_cached_key(|n| (std::cmp::Reverse(n.len()), n.to_lowercase()));
    sorted.dedup_by(|a, b| a.to_lowercase() == b.to_lowercase());
    let alternatives: Vec<String> = sorted.iter().map(|n| name_pattern(n)).collect();
    let build = |body: &str| {
        RegexBuilder::new(&format!("(?i)(?:{body})"))
            .size_limit(64 << 20)
            .build()
    };
    match build(&alternatives.join("|")) {
        Ok(one) => vec![one],
        Err(_) => alternatives.iter().filter_map(|a| build(a).ok()).collect(),
    }
}

/// One name as a pattern: its words, escaped, joined by any white space,
/// with a word boundary at each end that is a word character (so "Ann"
/// does not match "Annual" but "J." still matches "J. Smith").
fn name_pattern(name: &str) -> String {
    let words: Vec<String> = name.split_whitespace().map(regex::escape).collect();
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let lead = if is_word(name.chars().next()) {
        r"\b"
    } else {
        ""
    };
    let tail = if is_word(name.chars().next_back()) {
        r"\b"
    } else {
        ""
    };
    format!(r"{lead}{}{tail}", words.join(r"\s+"))
}

// ---------------------------------------------------------------------------
// Detectors: each returns accepted (start, end) byte spans in the field text.

/// Every accepted match of `re`, where `accept` may reject a candidate or
/// shorten it. After a rejection the search goes on from the next
/// character, so a rejected candidate cannot hide a good one inside it.
fn find_spans(
    re: &Regex,
    text: &str,
    mut accept: impl FnMut(Match<'_>) -> Option<(usize, usize)>,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos <= text.len() {
        let Some(m) = re.find_at(text, pos) else {
            break;
        };
        let next_char = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
        match accept(m) {
            Some((s, e)) if e > s => {
                out.push((s, e));
                pos = e.max(next_char);
            }
            _ => pos = next_char,
        }
    }
    out
}

fn char_before(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

fn char_after(text: &str, i: usize) -> Option<char> {
    text[i..].chars().next()
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Characters that join numbers into decimals, ranges, dates and times.
const JOINERS: &str = ".,/-:";

/// True when nothing before `start` makes the number starting there part
/// of a word or of a longer number ("x07700…", "1.07700…", "12/…").
fn free_before(text: &str, start: usize) -> bool {
    let Some(c) = char_before(text, start) else {
        return true;
    };
    let digit_beyond =
        || char_before(text, start - c.len_utf8()).is_some_and(|d| d.is_ascii_digit());
    let joined = JOINERS.contains(c) && digit_beyond();
    !(is_word_char(c) || joined)
}

/// True when nothing after `end` makes the number ending there part of a
/// word or of a longer number ("…123.5", "…1985/86", "…0958x").
fn free_after(text: &str, end: usize) -> bool {
    let Some(c) = char_after(text, end) else {
        return true;
    };
    let digit_beyond = || char_after(text, end + c.len_utf8()).is_some_and(|d| d.is_ascii_digit());
    let joined = JOINERS.contains(c) && digit_beyond();
    !(is_word_char(c) || joined)
}

/// True when the number at `start..end` stands alone: not part of a word,
/// and not continued by a decimal point, range, date or time separator
/// followed by a digit.
fn isolated(text: &str, start: usize, end: usize) -> bool {
    free_before(text, start) && free_after(text, end)
}

fn digits(s: &str) -> impl Iterator<Item = u32> + '_ {
    s.chars().filter_map(|c| c.to_digit(10))
}

fn emails(p: &Patterns, text: &str) -> Vec<(usize, usize)> {
    find_spans(&p.email, text, |m| Some((m.start(), m.end())))
}

/// The length of a URL once trailing sentence punctuation and unbalanced
/// closing brackets are taken off.
fn trim_url(s: &str) -> usize {
    let mut end = s.len();
    while let Some(c) = s[..end].chars().next_back() {
        let t = &s[..end];
        let unbalanced =
            |open: char, close: char| t.matches(open).count() < t.matches(close).count();
        let drop = match c {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '*' | '`' => true,
            ')' => unbalanced('(', ')'),
            ']' => unbalanced('[', ']'),
            '}' => unbalanced('{', '}'),
            _ => false,
        };
        if !drop {
            break;
        }
        end -= c.len_utf8();
    }
    end
}

fn urls(p: &Patterns, text: &str) -> Vec<(usize, usize)> {
    let mut out = find_spans(&p.url_scheme, text, |m| {
        let end = m.start() + trim_url(m.as_str());
        let rest = &text[m.start()..end];
        let host = &rest[rest.find("://")? + 3..];
        host.chars()
            .next()
            .filter(|c| c.is_alphanumeric() || *c == '[')
            .map(|_| (m.start(), end))
    });
    out.extend(find_spans(&p.url_www, text, |m| {
        Some((m.start(), m.start() + trim_url(m.as_str())))
    }));
    let mut bare = Vec::new();
    let mut pos = 0;
    while let Some(c) = p.url_bare.captures_at(text, pos) {
        let (m, host, tld) = (c.get(0).expect("group 0"), &c["host"], &c["tld"]);
        let next = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
        let labels: Vec<&str> = host.split('.').collect();
        // The label before the top-level domain must be at least two
        // characters, which keeps "M.Sc/PhD" and "B.A/…" out.
        let name_ok = labels.len() >= 2 && labels[labels.len() - 2].len() >= 2;
        let tld_ok = tld.len() == 2 || GENERIC_TLDS.contains(&tld.to_ascii_lowercase().as_str());
        let before_ok = !char_before(text, m.start()).is_some_and(|c| "@./:-_".contains(c));
        if name_ok && tld_ok && before_ok {
            let end = m.start() + trim_url(m.as_str());
            bare.push((m.start(), end));
            pos = end.max(next);
        } else {
            pos = next;
        }
    }
    out.extend(bare);
    out
}

fn ipv4s(p: &Patterns, text: &str) -> Vec<(usize, usize)> {
    find_spans(&p.ipv4, text, |m| {
        let parts_ok = m
            .as_str()
            .split('.')
            .all(|part| part.parse::<u16>().is_ok_and(|n| n <= 255));
        // A port ("…:8080") or prefix length ("…/24") may follow; a fifth
        // dotted part ("1.2.3.4.5", a version) may not.
        let after_ok = char_after(text, m.end()).is_none_or(|c| {
            let fifth =
                c == '.' && char_after(text, m.end() + 1).is_some_and(|d| d.is_ascii_digit());
            !(is_word_char(c) || fifth)
        });
        (parts_ok && free_before(text, m.start()) && after_ok).then_some((m.start(), m.end()))
    })
}

fn ipv6s(p: &Patterns, text: &str) -> Vec<(usize, usize)> {
    find_spans(&p.ipv6, text, |m| {
        let mut s = m.as_str();
        // A colon ending a sentence clause is not part of the address.
        if s.ends_with(':') && !s.ends_with("::") {
            s = &s[..s.len() - 1];
        }
        let end = m.start() + s.len();
        if char_before(text, m.start()).is_some_and(|c| is_word_char(c) || c == ':' || c == '.') {
            return None;
        }
        if let Some(c) = char_after(text, end) {
            let more = char_after(text, end + c.len_utf8()).is_some_and(|d| d.is_ascii_hexdigit());
            if is_word_char(c) || (matches!(c, ':' | '.') && more && s.len() == m.as_str().len()) {
                return None;
            }
        }
        s.parse::<Ipv6Addr>().ok()?;
        // Count the groups written: an embedded IPv4 address stands for two.
        let groups: usize = s
            .split(':')
            .filter(|g| !g.is_empty())
            .map(|g| if g.contains('.') { 2 } else { 1 })
            .sum();
        let enough = if s.contains("::") {
            groups >= 3
        } else {
            groups == 8
        };
        enough.then_some((m.start(), end))
    })
}

/// The NHS number check: weights 10 down to 2 on the first nine digits,
/// check digit = 11 − (sum mod 11), where 11 means 0 and 10 means the
/// number is invalid. Numbers of one repeated digit are not issued.
fn nhs_check_digit_ok(s: &str) -> bool {
    let d: Vec<u32> = digits(s).collect();
    if d.len() != 10 || d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let sum: u32 = d[..9].iter().zip((2..=10).rev()).map(|(x, w)| x * w).sum();
    match 11 - sum % 11 {
        11 => d[9] == 0,
        10 => false,
        check => d[9] == check,
    }
}

fn nhs_numbers(p: &Patterns, text: &str) -> Vec<(usize, usize)> {
    find_spans(&p.nhs, text, |m| {
        (isolated(text, m.start(), m.end()) && nhs_check_digit_ok(m.as_str()))
            .then_some((m.start(), m.end()))
    })
}

fn ni_numbers(p: &Patterns, text: &str) -> Vec<(usize, usize)> {
    find_spans(&p.ni, text, |m| {
        let prefix: String = m.as_str().chars().take(2).flat_map(fold_case).collect();
        let banned = matches!(
            prefix.as_str(),
            "bg" | "gb" | "nk" | "kn" | "tn" | "nt" | "zz"
        );
        (!banned).then_some((m.start(), m.end()))
    })
}

/// Whether a candidate phone number has the shape of a UK number:
/// 10 or 11 digits with the leading 0 (9 or 10 after +44), a valid first
/// digit after the 0, or a short 0800/0808 freephone number.
fn phone_ok(s: &str) -> bool {
    let intl = s.strip_prefix("+44").or_else(|| s.strip_prefix("0044"));
    let national: String = match intl {
        Some(rest) => {
            let rest = rest.trim_start_matches([' ', '-']);
            let rest = rest.strip_prefix("(0)").unwrap_or(rest);
            let d: String = digits(rest)
                .filter_map(|d| char::from_digit(d, 10))
                .collect();
            // "+44 07700 …" is a common slip; the 0 is the trunk prefix.
            let d = d.strip_prefix('0').map(str::to_owned).unwrap_or(d);
            format!("0{d}")
        }
        None => digits(s).filter_map(|d| char::from_digit(d, 10)).collect(),
    };
    let first_ok = national
        .as_bytes()
        .get(1)
        .is_some_and(|d| b"1235789".contains(d));
    let len = national.len();
    let freephone = national.starts_with("0800") || national.starts_with("0808");
    first_ok && ((10..=11).contains(&len) || (freephone && matches!(len, 8 | 10 | 11)))
}

fn phones(p: &Patterns, text: &str) -> Vec<(usize, usize)> {
    find_spans(&p.phone, text, |m| {
        let s = m.as_str();
        let start = m.start();
        if char_before(text, start) == Some('+') || !free_before(text, start) {
            return None;
        }
        // Try the whole candidate, then drop trailing groups: "call 020 7946
        // 0958 123 times" is still a phone number.
        let ends: Vec<usize> = s
            .char_indices()
            .filter(|&(i, c)| {
                c.is_ascii_digit() && !s[i + 1..].starts_with(|n: char| n.is_ascii_digit())
            })
            .map(|(i, _)| i + 1)
            .collect();
        ends.iter().rev().find_map(|&e| {
            let mut e = e;
            if s[e..].starts_with(')') && s[..e].contains('(') && !s[..e].ends_with("(0") {
                e += 1;
            }
            let cand = &s[..e];
            (free_after(text, start + e) && phone_ok(cand)).then_some((start, start + e))
        })
    })
}

/// Folds a letter to the lowercase form case-insensitive matching compares.
/// The patterns match case-insensitively under Unicode rules, so `K` also
/// matches the Kelvin sign and `s` the long s: letters of more than one byte
/// that must be compared (and cut) as characters, never as bytes.
fn fold_case(c: char) -> impl Iterator<Item = char> {
    c.to_uppercase().flat_map(char::to_lowercase)
}

fn postcodes(p: &Patterns, text: &str) -> Vec<(usize, usize)> {
    find_spans(&p.postcode, text, |m| {
        let s = m.as_str();
        // "B1 2nd", "S1 1st": an ordinal after a short code is prose unless
        // written in capitals like a postcode ("B33 8TH").
        let mut last_two: Vec<char> = s.chars().rev().take(2).collect();
        last_two.reverse();
        let letters: String = last_two.into_iter().flat_map(fold_case).collect();
        let ordinal = ["st", "nd", "rd", "th"].contains(&letters.as_str());
        let capitals = !s.chars().any(char::is_lowercase);
        (!ordinal || capitals).then_some((m.start(), m.end()))
    })
}

/// Whether a date the date pattern matched is a real calendar date (the
/// day and month in range, either way round; a four-digit year from 1900
/// to 2099).
fn date_ok(s: &str) -> bool {
    let nums: Vec<u32> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|t| !t.is_empty())
        .filter_map(|t| t.parse().ok())
        .collect();
    let year_ok = |y: u32, text: &str| text.len() == 2 || (1900..=2099).contains(&y);
    let day = |d: u32| (1..=31).contains(&d);
    let month = |m: u32| (1..=12).contains(&m);
    let parts: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|t| !t.is_empty())
        .collect();
    match nums.as_slice() {
        // Textual month: day and year only.
        [d, y] => day(*d) && year_ok(*y, parts[1]),
        [a, b, c] if parts[0].len() == 4 => year_ok(*a, parts[0]) && month(*b) && day(*c),
        [a, b, c] => year_ok(*c, parts[2]) && ((day(*a) && month(*b)) || (month(*a) && day(*b))),
        _ => false,
    }
}

fn dates_of_birth(p: &Patterns, text: &str) -> Vec<(usize, usize)> {
    let dates = find_spans(&p.date, text, |m| {
        (isolated(text, m.start(), m.end()) && date_ok(m.as_str())).then_some((m.start(), m.end()))
    });
    if dates.is_empty() {
        return dates;
    }
    let mut out = Vec::new();
    for cue in p.dob_cue.find_iter(text) {
        // "b." counts only in lower case and right before the date ("b. 12
        // March 1985"), so "Category B. On 12/03/2026 …" is not a birth.
        let initial = cue.as_str().eq_ignore_ascii_case("b.");
        if initial && cue.as_str() != "b." {
            continue;
        }
        let Some(&(s, e)) = dates.iter().find(|&&(s, _)| s >= cue.end()) else {
            continue;
        };
        let gap = &text[cue.end()..s];
        let near = if initial {
            gap.chars().all(char::is_whitespace) && gap.chars().count() <= 3
        } else {
            gap.chars().count() <= 40
        };
        if near && !out.contains(&(s, e)) {
            out.push((s, e));
        }
    }
    // "12/03/1985 (DOB)".
    for &(s, e) in &dates {
        if p.dob_cue_after.is_match(&text[e..]) && !out.contains(&(s, e)) {
            out.push((s, e));
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Finding the line of a match in the file

/// The byte offset of the start of the line holding `pos`.
fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind('\n').map_or(0, |i| i + 1)
}

/// The byte offset just past the end of the line holding `pos`.
fn next_line(text: &str, pos: usize) -> usize {
    text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1)
}

/// Finds `needle` in `hay` at or after `from`: as written, or else with
/// any run of white space between its words (YAML folding turns a line
/// break and indentation into one space).
fn find_loose(hay: &str, needle: &str, from: usize) -> Option<usize> {
    if needle.trim().is_empty() {
        return None;
    }
    if let Some(i) = hay[from..].find(needle) {
        return Some(from + i);
    }
    let words: Vec<String> = needle.split_whitespace().map(regex::escape).collect();
    if words.len() < 2 && needle.trim() == needle {
        return None;
    }
    Regex::new(&words.join(r"\s+"))
        .ok()?
        .find_at(hay, from)
        .map(|m| m.start())
}

/// Where in the file the field's own text starts (the start of its line),
/// if it can be found: follow the field path's keys and list indices as
/// far as they go, then look for the field's first words from there, or
/// failing that anywhere.
fn field_start(file_text: &str, field: &str, text: &str) -> Option<usize> {
    let anchor = path_anchor(file_text, field);
    let first_line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let head: Vec<&str> = first_line.split_whitespace().take(8).collect();
    let head = head.join(" ");
    let at = find_loose(file_text, &head, anchor).or_else(|| find_loose(file_text, &head, 0))?;
    Some(line_start(file_text, at))
}

/// The one-based line of the first occurrence of `matched` at or after
/// `from` (the start of the field's text), or else anywhere in the file.
fn locate_line(file_text: &str, matched: &str, from: Option<usize>) -> Option<usize> {
    let at = from
        .and_then(|f| find_loose(file_text, matched, f))
        .or_else(|| find_loose(file_text, matched, 0))?;
    Some(file_text[..at].matches('\n').count() + 1)
}

/// A best-effort position for a field path such as
/// `ratings.isolation.evidence` or `sources[2].description` in block-style
/// YAML: just past the last key (or at the last list item) that could be
/// followed. Never fails: a path that cannot be followed gives the
/// position reached so far.
fn path_anchor(file_text: &str, field: &str) -> usize {
    let mut pos = 0;
    for segment in field.split('.') {
        let (key, indices) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        if !key.is_empty() {
            match find_key(file_text, key, pos) {
                Some(p) => pos = p,
                None => return pos,
            }
        }
        for index in indices
            .split(['[', ']'])
            .filter(|t| !t.is_empty())
            .map(str::parse::<usize>)
        {
            match index.ok().and_then(|i| find_item(file_text, pos, i)) {
                Some(p) => pos = p,
                None => return pos,
            }
        }
    }
    pos
}

/// The position just past `key:` on the first line at or after `from`
/// that starts with that key (after indentation and any `- `).
fn find_key(text: &str, key: &str, from: usize) -> Option<usize> {
    let mut ls = if from == line_start(text, from) {
        from
    } else {
        next_line(text, from)
    };
    while ls < text.len() {
        let le = next_line(text, ls);
        let line = &text[ls..le];
        let mut t = line.trim_start();
        while let Some(rest) = t.strip_prefix('-').filter(|r| r.starts_with([' ', '\t'])) {
            t = rest.trim_start();
        }
        let quote = t.chars().next().filter(|c| *c == '"' || *c == '\'');
        let t2 = quote.map_or(t, |q| &t[q.len_utf8()..]);
        if let Some(rest) = t2.strip_prefix(key) {
            let rest = quote.map_or(Some(rest), |q| rest.strip_prefix(q));
            if let Some(rest) = rest {
                let rest = rest.trim_start_matches([' ', '\t']);
                if let Some(after) = rest.strip_prefix(':')
                    && (after.is_empty() || after.starts_with(char::is_whitespace))
                {
                    return Some(le - after.len());
                }
            }
        }
        ls = le;
    }
    None
}

/// The start of the line of item `index` (zero-based) of the block
/// sequence that follows `from`, or `None` if there is no such item.
fn find_item(text: &str, from: usize, index: usize) -> Option<usize> {
    let mut ls = next_line(text, from);
    let mut indent = None;
    let mut count = 0;
    while ls < text.len() {
        let le = next_line(text, ls);
        let line = text[ls..le].trim_end();
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            ls = le;
            continue;
        }
        let ind = line.len() - t.len();
        let item = t == "-" || t.starts_with("- ") || t.starts_with("-\t");
        match indent {
            None if item => {
                indent = Some(ind);
                if index == 0 {
                    return Some(ls);
                }
            }
            None => return None,
            Some(i) if ind < i || (ind == i && !item) => return None,
            Some(i) if ind == i => {
                count += 1;
                if count == index {
                    return Some(ls);
                }
            }
            Some(_) => {}
        }
        ls = le;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const DENY: &str = "# people in the case\n\nPetra\nJohn Smith\n  Ann  \nO'Brien\n";

    fn scanner() -> Scanner {
        Scanner::new(DenyList::parse(DENY))
    }

    fn kinds(text: &str) -> Vec<(HitKind, String)> {
        scanner()
            .scan(&[("f".into(), text.into())], text)
            .into_iter()
            .map(|h| (h.kind, h.matched))
            .collect()
    }

    #[test]
    fn finds_each_kind() {
        use HitKind::*;
        let cases: &[(&str, HitKind, &str)] = &[
            // Email
            (
                "write to jo.bloggs@example.org now",
                Email,
                "jo.bloggs@example.org",
            ),
            (
                "JO_B+cases@Mail.Example.CO.UK.",
                Email,
                "JO_B+cases@Mail.Example.CO.UK",
            ),
            ("(contact: a.b-c@nhs.net)", Email, "a.b-c@nhs.net"),
            // Phone
            ("call 07700 900123 today", Phone, "07700 900123"),
            ("call 07700900123", Phone, "07700900123"),
            ("call +44 7700 900123", Phone, "+44 7700 900123"),
            ("call +447700900123.", Phone, "+447700900123"),
            ("call +44 (0)20 7946 0958", Phone, "+44 (0)20 7946 0958"),
            ("call 0044 20 7946 0958", Phone, "0044 20 7946 0958"),
            ("office (020) 7946 0958", Phone, "(020) 7946 0958"),
            ("office 020-7946-0958", Phone, "020-7946-0958"),
            ("landline 0161 496 0000", Phone, "0161 496 0000"),
            ("landline 01632 960000", Phone, "01632 960000"),
            ("Childline on 0800 1111", Phone, "0800 1111"),
            ("helpline 0808 800 5000", Phone, "0808 800 5000"),
            ("helpline 0800 123456", Phone, "0800 123456"),
            ("rang 020 7946 0958 123 times", Phone, "020 7946 0958"),
            // Postcode
            ("lives at SW1A 1AA with", Postcode, "SW1A 1AA"),
            ("near m1 1ae", Postcode, "m1 1ae"),
            ("B33 8TH", Postcode, "B33 8TH"),
            ("moved to CR2 6XH.", Postcode, "CR2 6XH"),
            ("DN55 1PT", Postcode, "DN55 1PT"),
            ("post to EC1A1BB", Postcode, "EC1A1BB"),
            ("W1A 0AX", Postcode, "W1A 0AX"),
            // NHS number
            ("NHS 943 476 5919 on file", NhsNumber, "943 476 5919"),
            ("NHS no. 9434765919", NhsNumber, "9434765919"),
            ("NHS no. 943-476-5919", NhsNumber, "943-476-5919"),
            ("NHS: 943-476 5919", NhsNumber, "943-476 5919"),
            ("NHS 401 023 2137", NhsNumber, "401 023 2137"),
            // National Insurance number
            ("NI JT 12 34 56 C", NiNumber, "JT 12 34 56 C"),
            ("NI AB123456C", NiNumber, "AB123456C"),
            ("ni number ce 12 34 56 d.", NiNumber, "ce 12 34 56 d"),
            // Date of birth
            ("he was born on 12/03/1985 in", DateOfBirth, "12/03/1985"),
            ("DOB: 3rd March 1985.", DateOfBirth, "3rd March 1985"),
            ("D.O.B. 12-03-1985", DateOfBirth, "12-03-1985"),
            ("dob 12.03.1985", DateOfBirth, "12.03.1985"),
            ("Birth date: 1/2/85", DateOfBirth, "1/2/85"),
            ("date of birth 1985-03-12", DateOfBirth, "1985-03-12"),
            (
                "Date of Birth: 12th of March 1985",
                DateOfBirth,
                "12th of March 1985",
            ),
            (
                "born in Leeds on March 12, 1985",
                DateOfBirth,
                "March 12, 1985",
            ),
            ("his birthday is 12 Mar 1985", DateOfBirth, "12 Mar 1985"),
            ("Mr X (b. 12 March 1985)", DateOfBirth, "12 March 1985"),
            ("12/03/1985 (DOB)", DateOfBirth, "12/03/1985"),
            // URL
            (
                "see https://example.org/page.",
                Url,
                "https://example.org/page",
            ),
            ("see http://example.org", Url, "http://example.org"),
            (
                "ftp://files.example.org/a.zip",
                Url,
                "ftp://files.example.org/a.zip",
            ),
            ("see www.example.co.uk", Url, "www.example.co.uk"),
            ("(www.example.org/a_(b))", Url, "www.example.org/a_(b)"),
            ("profile at example.org/page, then", Url, "example.org/page"),
            (
                "at forum.example.com/u/123?x=1",
                Url,
                "forum.example.com/u/123?x=1",
            ),
            // IP address
            ("host 192.168.1.20 logged", IpAddress, "192.168.1.20"),
            ("from 8.8.8.8.", IpAddress, "8.8.8.8"),
            ("proxy 10.0.0.1:8080 used", IpAddress, "10.0.0.1"),
            ("range 192.168.0.0/24 blocked", IpAddress, "192.168.0.0"),
            ("v6 2001:db8::1 seen", IpAddress, "2001:db8::1"),
            (
                "v6 2001:0db8:85a3:0000:0000:8a2e:0370:7334",
                IpAddress,
                "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
            ),
            (
                "mapped ::ffff:192.0.2.1 seen",
                IpAddress,
                "::ffff:192.0.2.1",
            ),
            ("address fe80::1:2: link-local", IpAddress, "fe80::1:2"),
            // Deny-listed name
            ("his sister Petra visits", DenyListedName, "Petra"),
            ("met john   smith twice", DenyListedName, "john   smith"),
            ("met John\nSmith twice", DenyListedName, "John\nSmith"),
            ("ANN said", DenyListedName, "ANN"),
            ("Ann's view", DenyListedName, "Ann"),
            ("Mr O'Brien", DenyListedName, "O'Brien"),
        ];
        for &(text, kind, matched) in cases {
            assert_eq!(kinds(text), vec![(kind, matched.to_owned())], "{text}");
        }
    }

    #[test]
    fn clinical_prose_is_clean() {
        let clean = [
            "Police stated 9 Category B and 212 Category C images (S1, S3).",
            "Category C",
            "S1",
            "Interview 1 of 3 lasted 2.5 hours on 2026-02-17.",
            "Mr A, aged 38, was arrested in October 2025.",
            "Section 1 of the Protection of Children Act 1978 and CrimPR 19.4 apply.",
            "Reconviction of roughly 0.2%-2.7% versus 24.8% (Rhodes 2023), e.g. ICD-11.",
            "i.e. the usual caveats apply, etc. and so on.",
            "Version 1.0.0 of the framework; Risk Matrix 2000/S rated Low.",
            "He annually visits; Annabel and Annual reviews are not on the list.",
            "The NHS number 943 476 5918 is invalid and must not match.",
            "Reviewed on 12/03/2026 with the social worker, and again on 20 March 2026.",
            "Interviews on 2026-03-20 and 2026-03-27 at 10:30:00.",
            "The offences were committed between 2019 and 2023; he paid £2,000.",
            "A fine of £1,250.00 and 120 hours of unpaid work, 0.5 of an hour.",
            "Scores 05 10 15 20 25 on the items; 1 in 10 men; ratio 1:2:3.",
            "Reference 1234567890 is not a valid NHS number.",
            "MSc/PhD in forensic psychology; B.Sc/M.Sc; and/or; yes/no.",
            "ICD-11 6D32 and DSM-5 302.2; S2, S3 and S4 were read.",
            "He was seen in room B1 2nd floor and S1 1st interview.",
            "Dated 12.03.2026; SOTP module 3.2.1 completed.",
            "Born in the north of England, he moved south in 2001 and later took a job.",
            "The 1st, 2nd and 3rd interviews took 2.5, 3 and 2 hours.",
            "at 08:00, 17:45 and 20:30; a 24-hour curfew; 0.2-0.5 mg.",
            "AB 12 34 56 is incomplete, TN 12 34 56 A is not issued, QQ 12 34 56 C is invalid.",
            "ipv6 is mentioned, as are fe80::1 and ::1 which are too short to report.",
            "Category b. On 12/03/2026 the police attended.",
            "Category B. 12/03/2026: the police attended.",
            "Versions 1.2.3.4.5 and 256.1.1.1; 9434765919.5; 07700900123456; x07700900123.",
            "Call 020 7946 to book; extension 01234; 0800 hours.",
        ];
        for text in clean {
            assert_eq!(kinds(text), vec![], "{text}");
        }
    }

    #[test]
    fn nhs_check_digit() {
        assert!(nhs_check_digit_ok("943 476 5919"));
        assert!(nhs_check_digit_ok("4010232137"));
        assert!(!nhs_check_digit_ok("943 476 5918"));
        assert!(!nhs_check_digit_ok("0000000000"));
        assert_eq!(kinds("NHS number 943 476 5918"), vec![]);
        // A check value of 10 is never valid, whatever the last digit.
        let ten = (0..10)
            .map(|last| format!("123456780{last}"))
            .filter(|n| nhs_check_digit_ok(n))
            .count();
        assert!(ten <= 1);
    }

    #[test]
    fn date_of_birth_needs_a_near_cue() {
        assert_eq!(
            kinds("He was born, he said, in a small town; interview held 12/03/2026"),
            vec![]
        );
        assert_eq!(
            kinds("born 12/03/1985, interviewed 20/03/2026"),
            vec![(HitKind::DateOfBirth, "12/03/1985".to_owned())]
        );
        assert_eq!(kinds("born on 32/13/1985"), vec![]);
    }

    #[test]
    fn lines_are_found_in_the_file() {
        let file = "\
details:
  subject: Mr A
  referral-question: Call 07700 900123 about Mr A.
ratings:
  isolation:
    evidence: |
      Mr A said his friend on 07700 900123 helped.
      He emails jo@example.org most days.
  coping:
    evidence: >
      A long folded paragraph that mentions
      John Smith and the number again 07700
      900123 across a line break.
sources:
  - id: S1
    description: Letter from Petra
  - id: S2
    description: Letter from Petra again
";
        let fields = vec![
            ("details.referral-question".to_owned(), "Call 07700 900123 about Mr A.".to_owned()),
            (
                "ratings.isolation.evidence".to_owned(),
                "Mr A said his friend on 07700 900123 helped.\nHe emails jo@example.org most days.\n"
                    .to_owned(),
            ),
            (
                "ratings.coping.evidence".to_owned(),
                "A long folded paragraph that mentions John Smith and the number again 07700 900123 across a line break.\n"
                    .to_owned(),
            ),
            ("sources[1].description".to_owned(), "Letter from Petra again".to_owned()),
            ("missing".to_owned(), "Nothing like the file: 8.8.8.8".to_owned()),
        ];
        let got: Vec<(String, HitKind, Option<usize>)> = scanner()
            .scan(&fields, file)
            .into_iter()
            .map(|h| (h.field, h.kind, h.line))
            .collect();
        let want = vec![
            ("details.referral-question", HitKind::Phone, Some(3)),
            ("ratings.isolation.evidence", HitKind::Phone, Some(7)),
            ("ratings.isolation.evidence", HitKind::Email, Some(8)),
            ("ratings.coping.evidence", HitKind::DenyListedName, Some(12)),
            ("ratings.coping.evidence", HitKind::Phone, Some(12)),
            ("sources[1].description", HitKind::DenyListedName, Some(18)),
            ("missing", HitKind::IpAddress, None),
        ];
        let want: Vec<(String, HitKind, Option<usize>)> = want
            .into_iter()
            .map(|(f, k, l)| (f.to_owned(), k, l))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn hits_are_in_field_then_position_order() {
        let fields = vec![
            (
                "b".to_owned(),
                "Petra then 07700 900123 then SW1A 1AA".to_owned(),
            ),
            ("a".to_owned(), "jo@example.org".to_owned()),
        ];
        let got: Vec<(String, HitKind)> = scanner()
            .scan(&fields, "")
            .into_iter()
            .map(|h| (h.field, h.kind))
            .collect();
        assert_eq!(
            got,
            vec![
                ("b".to_owned(), HitKind::DenyListedName),
                ("b".to_owned(), HitKind::Phone),
                ("b".to_owned(), HitKind::Postcode),
                ("a".to_owned(), HitKind::Email),
            ]
        );
    }

    #[test]
    fn one_hit_per_span() {
        let cases = [
            ("http://10.0.0.1/x", HitKind::Url, "http://10.0.0.1/x"),
            (
                "https://[2001:db8::1]/x",
                HitKind::Url,
                "https://[2001:db8::1]/x",
            ),
            ("jo@example.org", HitKind::Email, "jo@example.org"),
            ("jo@www.example.org", HitKind::Email, "jo@www.example.org"),
            (
                "john.smith@example.org",
                HitKind::Email,
                "john.smith@example.org",
            ),
            (
                "https://petra@example.org/x",
                HitKind::Url,
                "https://petra@example.org/x",
            ),
            (
                "www.example.org/SW1A1AA",
                HitKind::Url,
                "www.example.org/SW1A1AA",
            ),
        ];
        for (text, kind, matched) in cases {
            assert_eq!(kinds(text), vec![(kind, matched.to_owned())], "{text}");
        }
    }

    #[test]
    fn letters_of_several_bytes_that_fold_to_ascii_are_cut_as_characters() {
        // `(?i)` lets `K` match the Kelvin sign (3 bytes) and `s` the long s
        // (2 bytes); cutting those matches at byte offsets once panicked.
        let kelvin = '\u{212a}';
        let long_s = '\u{17f}';
        let ni = format!("ref A{kelvin} 12 34 56 C here");
        assert_eq!(
            kinds(&ni),
            vec![(HitKind::NiNumber, format!("A{kelvin} 12 34 56 C"))]
        );
        // The rest must simply not panic, whatever they are judged to be.
        for text in [
            format!("lives at SW1A 1A{long_s} now"),
            format!("B1 2n{long_s}"),
            format!("{kelvin}{kelvin}1 1{long_s}{long_s}"),
            format!("N{kelvin} 12 34 56 A"),
            format!("{long_s}{kelvin}@{kelvin}.{long_s}{long_s}"),
        ] {
            let _ = kinds(&text);
        }
        // The banned NI prefixes are recognised through the fold as well.
        assert!(kinds(&format!("N{kelvin} 12 34 56 A")).is_empty());
    }

    #[test]
    fn deny_list() {
        let list = DenyList::parse("\u{feff}# names\n\n  Ann \n  # indented comment\nMary  Jane\n");
        assert_eq!(list.len(), 2);
        assert!(!list.is_empty());
        assert!(DenyList::empty().is_empty());
        assert_eq!(DenyList::parse("\n# only comments\n").len(), 0);
        let s = Scanner::new(list);
        let found = |t: &str| -> Vec<String> {
            s.scan(&[("f".into(), t.into())], t)
                .into_iter()
                .map(|h| h.matched)
                .collect()
        };
        assert_eq!(
            found("Annual review with Annabel; Joanne and Hanna"),
            Vec::<String>::new()
        );
        assert_eq!(found("ann, ANN and Ann."), vec!["ann", "ANN", "Ann"]);
        assert_eq!(
            found("mary\tjane and MARY JANE"),
            vec!["mary\tjane", "MARY JANE"]
        );
        assert_eq!(found("Mary alone"), Vec::<String>::new());
        // Longest name first: "John Smith", not "John".
        let s = Scanner::new(DenyList::parse("John\nJohn Smith"));
        let hits = s.scan(&[("f".into(), "John Smith and John".into())], "");
        let got: Vec<&str> = hits.iter().map(|h| h.matched.as_str()).collect();
        assert_eq!(got, vec!["John Smith", "John"]);
        // An empty list finds no names.
        assert_eq!(
            Scanner::new(DenyList::empty()).scan(&[("f".into(), "Ann".into())], ""),
            vec![]
        );
    }

    #[test]
    fn kind_names_are_distinct() {
        use HitKind::*;
        let all = [
            Email,
            Phone,
            Postcode,
            NhsNumber,
            NiNumber,
            DateOfBirth,
            Url,
            IpAddress,
            DenyListedName,
        ];
        let mut names: Vec<&str> = all.iter().map(|k| k.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all.len());
        assert_eq!(DenyListedName.as_str(), "name");
        assert_eq!(NhsNumber.as_str(), "nhs-number");
        assert!(all.iter().all(|k| k.describe().starts_with('a')));
    }
}
