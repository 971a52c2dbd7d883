//! The anonymisation gate: scans free text for data that could identify
//! someone (email addresses, UK phone numbers, postcodes, NHS numbers with a
//! valid check digit, National Insurance numbers, full dates of birth, URLs,
//! IP addresses, and names from a deny-list) before a case is shared.
//!
//! Case files hold special category data; an example or training case that
//! leaks a phone number or a date of birth is a data breach. The patterns
//! aim at few false positives on clinical prose ("Category C", "S1",
//! "2.5 hours", "aged 38", "section 1 of the Protection of Children Act
//! 1978"), so that assessors keep trusting the gate.

use std::sync::LazyLock;

use regex::Regex;

/// One piece of possibly identifying data found in a free-text field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The field path, for example `ratings.isolation.evidence`.
    pub field: String,
    /// What it looks like.
    pub kind: HitKind,
    /// The matched text, so the assessor can find it.
    pub matched: String,
    /// One-based line in the file where the match is, when it can be found.
    pub line: Option<usize>,
}

/// The kinds of identifying data the gate looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HitKind {
    /// An email address.
    Email,
    /// A UK phone number.
    Phone,
    /// A full UK postcode.
    Postcode,
    /// An NHS number that passes its check digit.
    NhsNumber,
    /// A National Insurance number.
    NiNumber,
    /// A full date near a word such as "born" or "DOB".
    DateOfBirth,
    /// A web address.
    Url,
    /// An IPv4 or IPv6 address.
    IpAddress,
    /// A name from the deny-list.
    DenyListedName,
}

impl HitKind {
    /// A stable machine-readable name.
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

    /// A description for messages ("looks like …").
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
}

/// Names the assessor wants flagged, matched case-insensitively as whole
/// words (any run of white space between the words of a name).
#[derive(Debug, Clone, Default)]
pub struct DenyList {
    names: Vec<String>,
}

impl DenyList {
    /// An empty list.
    pub fn empty() -> DenyList {
        DenyList::default()
    }

    /// One name per line; blank lines and lines starting with `#` are ignored.
    pub fn parse(text: &str) -> DenyList {
        DenyList {
            names: text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_owned)
                .collect(),
        }
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when the list has no names.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("built-in pattern compiles")
}

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}\b"));
static URL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:(?:https?|ftp)://[^\s<>()]+|www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s<>()]*|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|uk|io|info|biz|gov|edu|onion)/[^\s<>()]*)",
    )
});
static IPV4: LazyLock<Regex> = LazyLock::new(|| re(r"\b(?:\d{1,3}\.){3}\d{1,3}\b"));
static IPV6: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\b[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){7}\b|\b(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?\b|::(?:[0-9a-f]{1,4}:){1,6}[0-9a-f]{1,4}\b)",
    )
});
static PHONE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:\+44\s?\(?0?\)?\s?|\(?\b0)\d{2,4}\)?(?:[\s-]?\d{2,4}){1,3}\b"));
static POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:[a-pr-uwyz][0-9][0-9]?|[a-pr-uwyz][a-hk-y][0-9][0-9]?|[a-pr-uwyz][0-9][a-hjkpstuw]|[a-pr-uwyz][a-hk-y][0-9][abehmnprvwxy])\s?[0-9][abd-hjlnp-uw-z]{2}\b",
    )
});
static NHS: LazyLock<Regex> = LazyLock::new(|| re(r"\b\d{3}[\s-]?\d{3}[\s-]?\d{4}\b"));
static NI: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b([a-ceghj-pr-tw-z][a-ceghj-npr-tw-z])\s?(\d{2})\s?(\d{2})\s?(\d{2})\s?([a-d])\b")
});
const MONTHS: &str = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
static DOB: LazyLock<Regex> = LazyLock::new(|| {
    let date = format!(
        r"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\.?,?\s+\d{{4}}|(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
    );
    re(&format!(
        r"(?i)\b(?:born|d\.?o\.?b\.?|date\s+of\s+birth|birthday|b\.)\b[^\n]{{0,40}}?({date})"
    ))
});

/// Compiled patterns and the deny-list; build once, reuse for many cases.
#[derive(Debug)]
pub struct Scanner {
    names: Vec<Regex>,
}

impl Scanner {
    /// A scanner with the built-in patterns and the given names.
    pub fn new(deny: DenyList) -> Scanner {
        let names = deny
            .names
            .iter()
            .map(|n| {
                let words: Vec<String> = n.split_whitespace().map(regex::escape).collect();
                re(&format!(r"(?i)\b{}\b", words.join(r"\s+")))
            })
            .collect();
        Scanner { names }
    }

    /// Scans each (field path, text) pair. `file_text` is the whole file,
    /// used only to find the line of each match.
    pub fn scan(&self, fields: &[(String, String)], file_text: &str) -> Vec<Hit> {
        let mut out = Vec::new();
        for (field, text) in fields {
            let mut spans: Vec<(usize, usize, HitKind)> = Vec::new();
            // Earlier kinds win: an email is not also a URL, a URL's host
            // is not also an IP address.
            let add = |start: usize,
                       end: usize,
                       kind: HitKind,
                       spans: &mut Vec<(usize, usize, HitKind)>| {
                if !spans.iter().any(|(s, e, _)| start < *e && end > *s) {
                    spans.push((start, end, kind));
                }
            };
            for m in EMAIL.find_iter(text) {
                add(m.start(), m.end(), HitKind::Email, &mut spans);
            }
            for m in URL.find_iter(text) {
                let end = m.start()
                    + m.as_str()
                        .trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', '"'])
                        .len();
                add(m.start(), end, HitKind::Url, &mut spans);
            }
            for m in IPV4.find_iter(text) {
                if m.as_str()
                    .split('.')
                    .all(|p| p.parse::<u16>().is_ok_and(|n| n <= 255))
                {
                    add(m.start(), m.end(), HitKind::IpAddress, &mut spans);
                }
            }
            for m in IPV6.find_iter(text) {
                if m.as_str().matches(':').count() >= 2 {
                    add(m.start(), m.end(), HitKind::IpAddress, &mut spans);
                }
            }
            for c in DOB.captures_iter(text) {
                if let Some(d) = c.get(1) {
                    add(d.start(), d.end(), HitKind::DateOfBirth, &mut spans);
                }
            }
            for m in NHS.find_iter(text) {
                if nhs_check_digit_ok(m.as_str()) {
                    add(m.start(), m.end(), HitKind::NhsNumber, &mut spans);
                }
            }
            for m in PHONE.find_iter(text) {
                let digits = m.as_str().chars().filter(char::is_ascii_digit).count();
                let intl = m.as_str().trim_start().starts_with('+');
                let ok = if intl {
                    (11..=13).contains(&digits)
                } else {
                    (10..=11).contains(&digits)
                };
                if ok {
                    add(m.start(), m.end(), HitKind::Phone, &mut spans);
                }
            }
            for m in NI.captures_iter(text) {
                let prefix = m[1].to_uppercase();
                if !matches!(
                    prefix.as_str(),
                    "BG" | "GB" | "NK" | "KN" | "TN" | "NT" | "ZZ"
                ) {
                    let whole = m.get(0).expect("group 0");
                    add(whole.start(), whole.end(), HitKind::NiNumber, &mut spans);
                }
            }
            for m in POSTCODE.find_iter(text) {
                add(m.start(), m.end(), HitKind::Postcode, &mut spans);
            }
            for name in &self.names {
                for m in name.find_iter(text) {
                    add(m.start(), m.end(), HitKind::DenyListedName, &mut spans);
                }
            }
            spans.sort_by_key(|s| s.0);
            for (start, end, kind) in spans {
                let matched = text[start..end].to_owned();
                out.push(Hit {
                    field: field.clone(),
                    kind,
                    line: line_of(file_text, &matched),
                    matched,
                });
            }
        }
        out
    }
}

/// The NHS number check digit: weights 10 down to 2 on the first nine
/// digits, check = 11 − (sum mod 11), 11 means 0 and 10 is never valid.
fn nhs_check_digit_ok(s: &str) -> bool {
    let d: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 10 || d.iter().all(|x| *x == d[0]) {
        return false;
    }
    let sum: u32 = d[..9].iter().zip((2..=10).rev()).map(|(x, w)| x * w).sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    check == d[9]
}

fn line_of(file_text: &str, needle: &str) -> Option<usize> {
    let first = needle.lines().next().filter(|l| !l.is_empty())?;
    let at = file_text.find(first)?;
    Some(file_text[..at].matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(HitKind, String)> {
        Scanner::new(DenyList::parse("Petra\nJohn Smith"))
            .scan(&[("f".into(), text.into())], text)
            .into_iter()
            .map(|h| (h.kind, h.matched))
            .collect()
    }

    #[test]
    fn finds_each_kind() {
        let cases = [
            (
                "write to jo.bloggs@example.org now",
                HitKind::Email,
                "jo.bloggs@example.org",
            ),
            ("call 07700 900123 today", HitKind::Phone, "07700 900123"),
            ("call +44 7700 900123", HitKind::Phone, "+44 7700 900123"),
            ("office (020) 7946 0958", HitKind::Phone, "(020) 7946 0958"),
            ("landline 0161 496 0000", HitKind::Phone, "0161 496 0000"),
            ("lives at SW1A 1AA with", HitKind::Postcode, "SW1A 1AA"),
            ("near m1 1ae", HitKind::Postcode, "m1 1ae"),
            (
                "NHS 943 476 5919 on file",
                HitKind::NhsNumber,
                "943 476 5919",
            ),
            ("NI JT 12 34 56 C", HitKind::NiNumber, "JT 12 34 56 C"),
            ("NI AB123456C", HitKind::NiNumber, "AB123456C"),
            (
                "he was born on 12/03/1985 in",
                HitKind::DateOfBirth,
                "12/03/1985",
            ),
            (
                "DOB: 3rd March 1985.",
                HitKind::DateOfBirth,
                "3rd March 1985",
            ),
            (
                "date of birth 1985-03-12",
                HitKind::DateOfBirth,
                "1985-03-12",
            ),
            (
                "see https://example.org/page.",
                HitKind::Url,
                "https://example.org/page",
            ),
            ("see www.example.co.uk", HitKind::Url, "www.example.co.uk"),
            (
                "host 192.168.1.20 logged",
                HitKind::IpAddress,
                "192.168.1.20",
            ),
            ("v6 2001:db8::1 seen", HitKind::IpAddress, "2001:db8::1"),
            ("his sister Petra visits", HitKind::DenyListedName, "Petra"),
            (
                "met john   smith twice",
                HitKind::DenyListedName,
                "john   smith",
            ),
        ];
        for (text, kind, matched) in cases {
            assert_eq!(kinds(text), vec![(kind, matched.to_owned())], "{text}");
        }
    }

    #[test]
    fn ordinary_clinical_prose_is_clean() {
        let clean = [
            "Police stated 9 Category B and 212 Category C images (S1, S3).",
            "Interview 1 of 3 lasted 2.5 hours on 2026-02-17.",
            "Mr A, aged 38, was arrested in October 2025.",
            "Section 1 of the Protection of Children Act 1978 and CrimPR 19.4 apply.",
            "Reconviction of roughly 0.2%-2.7% versus 24.8% (Rhodes 2023), e.g. ICD-11.",
            "Version 1.0.0 of the framework; Risk Matrix 2000/S rated Low.",
            "He annually visits; Annabel is not on the list.",
            "The NHS number 943 476 5918 is invalid and must not match.",
            "Reviewed on 12/03/2026 with the social worker.",
        ];
        for text in clean {
            assert_eq!(kinds(text), vec![], "{text}");
        }
    }

    #[test]
    fn no_double_reports_and_lines_found() {
        assert_eq!(
            kinds("http://10.0.0.1/x"),
            vec![(HitKind::Url, "http://10.0.0.1/x".to_owned())]
        );
        let file = "a: 1\nb: |\n  call 07700 900123\n";
        let hits =
            Scanner::new(DenyList::empty()).scan(&[("b".into(), "call 07700 900123".into())], file);
        assert_eq!(hits[0].line, Some(3));
        assert_eq!(DenyList::parse("# c\n\nAnn\n").len(), 1);
        assert_eq!(kinds("Annual review"), vec![]);
    }
}
