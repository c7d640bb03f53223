//! The standards corpus shipped in `data/standards/`, embedded in the binary so that aligner works
//! from any directory with no set-up (`data/NOTICE` carries the licenses), and the names that
//! lessons and textbooks give those standards (`data/matching/aliases/`).

use std::collections::HashMap;

/// (file name, content) of every shipped standards file.
pub const FILES: &[(&str, &[u8])] = &[
    (
        "ccss_math_D10003FB.json",
        include_bytes!("../data/standards/ccss_math_D10003FB.json"),
    ),
    (
        "ccss_ela_D10003FC.json",
        include_bytes!("../data/standards/ccss_ela_D10003FC.json"),
    ),
    (
        "NextGenScience.xml",
        include_bytes!("../data/standards/NextGenScience.xml"),
    ),
    ("DC-math.json", include_bytes!("../data/standards/DC-math.json")),
    ("DC-english.json", include_bytes!("../data/standards/DC-english.json")),
    ("MD-math.json", include_bytes!("../data/standards/MD-math.json")),
    ("PA-math.json", include_bytes!("../data/standards/PA-math.json")),
    ("SC-math.json", include_bytes!("../data/standards/SC-math.json")),
    ("SC-english.json", include_bytes!("../data/standards/SC-english.json")),
    ("MI-english.json", include_bytes!("../data/standards/MI-english.json")),
    ("elof.csv", include_bytes!("../data/standards/elof.csv")),
    (
        "ccrs-adult-ed.csv",
        include_bytes!("../data/standards/ccrs-adult-ed.csv"),
    ),
];

/// What a shipped file in aligner's own CSV format does not say itself (the CSV has no place for
/// a title or a notice): the framework's title, jurisdiction and license notice.
pub struct Description {
    pub file: &'static str,
    pub title: &'static str,
    pub jurisdiction: &'static str,
    pub license: &'static str,
}

/// The descriptions of the shipped CSV files (made by `scripts/federal-standards-csv.py` from the
/// frameworks' public-domain text; `data/NOTICE`).
pub const DESCRIPTIONS: &[Description] = &[
    Description {
        file: "elof.csv",
        title: "Head Start Early Learning Outcomes Framework, Ages Birth to Five",
        jurisdiction: "U.S. Office of Head Start",
        license: "Head Start Early Learning Outcomes Framework, U.S. Department of Health and Human Services, \
                  Administration for Children and Families, Office of Head Start (2015). U.S. government work, \
                  public domain.",
    },
    Description {
        file: "ccrs-adult-ed.csv",
        title: "College and Career Readiness Standards for Adult Education",
        jurisdiction: "U.S. Department of Education",
        license: "U.S. Department of Education, Office of Vocational and Adult Education. College and Career \
                  Readiness Standards for Adult Education. Washington, D.C., 2013. Public domain. Its statements \
                  adapt the Common Core State Standards: (c) Copyright 2010. National Governors Association \
                  Center for Best Practices and Council of Chief State School Officers. All rights reserved.",
    },
];

/// (framework id, list) of the shipped aliases: `code<TAB>name` lines, the names lessons and
/// textbooks give the framework's standards (see `data/matching/aliases/README.md`).
/// A list may name an anchor (`RL.2`) instead of a code: its names go to every grade's standard
/// of that anchor (RL.3.2, RL.9-10.2), not to their sub-standards.
pub const ALIASES: &[(&str, &str)] = &[
    ("ccss-math", include_str!("../data/matching/aliases/ccss-math.tsv")),
    (
        "ccss-ela",
        include_str!("../data/matching/aliases/ccss-ela-anchors.tsv"),
    ),
];

/// The names of the standard with this code: its own, else its anchor's (a standard, not a
/// sub-standard, of an anchored framework).
pub fn names_for<'m>(
    aliases: &'m HashMap<&'static str, Vec<&'static str>>,
    code: &str,
) -> Option<&'m Vec<&'static str>> {
    aliases.get(code).or_else(|| {
        let last = code.rsplit('.').next()?;
        if !last.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        aliases.get(crate::codes::anchor_of_code(code)?.as_str())
    })
}

/// The shipped names of a framework's standards, by code as the framework writes it.
pub fn aliases(fw_id: &str) -> HashMap<&'static str, Vec<&'static str>> {
    let mut out: HashMap<&str, Vec<&str>> = HashMap::new();
    for (_, list) in ALIASES.iter().filter(|(id, _)| *id == fw_id) {
        for (code, name) in crate::text::list_pairs(list) {
            // "I can count to 100": the skill is what follows.
            let name = ["I can ", "i can "]
                .iter()
                .find_map(|p| name.strip_prefix(p))
                .unwrap_or(name);
            out.entry(code).or_default().push(name);
        }
    }
    out
}

/// A fingerprint of the shipped data, stored with an index built from it so that an index from
/// another version of aligner is rebuilt.
pub fn fingerprint() -> String {
    // Each file's name, length and a sample of its bytes (every 61st, and the first and last
    // 4 KiB): stable across runs and platforms, and cheap on every start.
    let mut h = Fnv1a::default();
    for (name, bytes) in FILES {
        h.eat(name.bytes());
        h.eat(bytes.len().to_le_bytes());
        let n = bytes.len();
        h.eat(bytes[..n.min(4096)].iter().copied());
        h.eat(bytes[n.saturating_sub(4096)..].iter().copied());
        h.eat(bytes.iter().step_by(61).copied());
    }
    format!("{}-{:016x}", env!("CARGO_PKG_VERSION"), h.finish())
}

/// FNV-1a, 64 bits: a digest that is the same across runs, platforms and Rust versions (unlike
/// `std`'s hashers), for the fingerprints an index records.
pub(crate) struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf29ce484222325)
    }
}

impl Fnv1a {
    pub(crate) fn eat(&mut self, bytes: impl IntoIterator<Item = u8>) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100000001b3);
        }
    }

    pub(crate) fn finish(&self) -> u64 {
        self.0
    }
}
