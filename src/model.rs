//! The data model: frameworks and their standards as the publisher gave them, curriculum units, and
//! the alignments that the matcher produces.
//!
//! A [`Framework`] owns its standards in document order; a standard refers to its parent and children
//! by position in that list ([`StdIdx`]). A standard's identity is the publisher's GUID or URI
//! ([`Standard::uri`]); aligner never invents an id for an official standard. Only a district CSV
//! without identifiers gets a synthetic `urn:aligner:<framework>:<code>` URI.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Position of a standard inside its framework's `standards` list.
pub type StdIdx = usize;

/// A grade level. `-2` is infant/toddler (birth to three, `IT`), `-1` pre-K (`PK`), `0`
/// kindergarten, `1..=12` the grades, `13` adult/post-secondary, and `14..=18` the five levels of
/// adult education `A` to `E` (the College and Career Readiness Standards for Adult Education's
/// levels; they are their own grades, apart from K-12, so that `--grade C` selects level C and
/// `--grade 4` does not). A band never mixes the levels with the other grades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Grade(pub i8);

impl Grade {
    pub const PK: Grade = Grade(-1);
    pub const K: Grade = Grade(0);
    pub const ADULT: Grade = Grade(13);
    pub const IT: Grade = Grade(-2);
    /// Adult-education level A; B to E follow it.
    pub const LEVEL_A: Grade = Grade(14);
    pub const LEVEL_E: Grade = Grade(18);

    /// One of the adult-education levels `A` to `E`.
    pub fn is_level(self) -> bool {
        (Self::LEVEL_A.0..=Self::LEVEL_E.0).contains(&self.0)
    }

    /// Parse one grade, in the one grade vocabulary every reader and command uses:
    /// `K`, `KG`, `Kindergarten`, `00`, `PK`, `P`, `Pre-K`, `PreK`, `Pre-Kindergarten`, `1`..`12`,
    /// `01`, `4th`, `Grade 4`, `Gr. 4`, `Gr4`, `4th grade`, `Adult`, `AE`, `Postsecondary`,
    /// `Higher Education`; `IT`, `Infant/Toddler`, `Infant-Toddler`, `Infants and Toddlers`; the
    /// adult-education levels `A`..`E`, `Level A`..`Level E`. Case and surrounding space do not
    /// matter.
    pub fn parse(s: &str) -> Option<Grade> {
        let t = s.trim().to_ascii_lowercase();
        // `4th grade`, `Kindergarten grade`: the word after the grade.
        let t = t
            .strip_suffix("grade")
            .map(|r| r.trim_end_matches([' ', '-']))
            .filter(|r| !r.is_empty())
            .unwrap_or(&t);
        let t = t
            .strip_prefix("grade")
            .or_else(|| t.strip_prefix("gr."))
            .or_else(|| t.strip_prefix("gr"))
            .map(|r| r.trim_start_matches([' ', '-']))
            .unwrap_or(t)
            .trim();
        match t {
            "k" | "kg" | "kindergarten" | "00" => return Some(Grade::K),
            "pk" | "p" | "prek" | "pre-k" | "pre k" | "pre-kindergarten" => return Some(Grade::PK),
            "adult" | "ae" | "postsecondary" | "higher education" => return Some(Grade::ADULT),
            "it"
            | "infant"
            | "toddler"
            | "infant/toddler"
            | "infant-toddler"
            | "infant toddler"
            | "infants and toddlers"
            | "infant and toddler" => return Some(Grade::IT),
            _ => {}
        }
        if let Some(n) = grade_word(t) {
            return Some(Grade(n));
        }
        let level = t.strip_prefix("level").map(str::trim).unwrap_or(t);
        if let [c @ b'a'..=b'e'] = level.as_bytes() {
            return Some(Grade(Self::LEVEL_A.0 + (c - b'a') as i8));
        }
        let digits = t
            .trim_end_matches("th")
            .trim_end_matches("st")
            .trim_end_matches("nd")
            .trim_end_matches("rd");
        let n: i8 = digits.parse().ok()?;
        (0..=12).contains(&n).then_some(Grade(n))
    }

    /// A list of grades, each part in the vocabulary of [`GradeRange::parse`], bands expanded:
    /// `4`, `K-2`, `K;1;2`, `KG,01,02`, `K|1`, `3/4`, `09.10` (a spreadsheet slip), `HS`.
    /// Sorted, without duplicates; `None` when any part is not a grade.
    pub fn parse_list(s: &str) -> Option<Vec<Grade>> {
        fn part(p: &str, out: &mut Vec<Grade>) -> Option<()> {
            if let Some(r) = GradeRange::parse(p) {
                out.extend((r.lo.0..=r.hi.0).map(Grade));
            } else if p.contains(['.', ' ']) {
                for q in p.split(['.', ' ']).filter(|q| !q.is_empty()) {
                    part(q, out)?;
                }
            } else {
                return None;
            }
            Some(())
        }
        let mut out = Vec::new();
        for p in s.split(LIST_SEPARATORS).map(str::trim).filter(|p| !p.is_empty()) {
            part(p, &mut out)?;
        }
        if out.is_empty() {
            return None;
        }
        out.sort();
        out.dedup();
        Some(out)
    }

    pub fn label(self) -> String {
        match self.0 {
            -2 => "IT".into(),
            -1 => "PK".into(),
            0 => "K".into(),
            13 => "Adult".into(),
            14..=18 => char::from(b'A' + (self.0 - 14) as u8).to_string(),
            n => n.to_string(),
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl From<Grade> for String {
    fn from(g: Grade) -> String {
        g.label()
    }
}

impl TryFrom<String> for Grade {
    type Error = String;
    fn try_from(s: String) -> Result<Grade, String> {
        Grade::parse(&s).ok_or_else(|| format!("not a grade: {s:?}"))
    }
}

/// A grade spelled as a word: `fifth`, `five` (grades 1 to 12).
pub fn grade_word(t: &str) -> Option<i8> {
    const ORDINALS: [&str; 12] = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
        "twelfth",
    ];
    const CARDINALS: [&str; 12] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    ];
    let t = t.trim().to_ascii_lowercase();
    ORDINALS
        .iter()
        .position(|w| *w == t)
        .or_else(|| CARDINALS.iter().position(|w| *w == t))
        .map(|i| i as i8 + 1)
}

/// The spellings of a grade or band that every command and reader accepts (for error messages).
pub const GRADE_SPELLINGS: &str = "5, Grade 5, grade5, 5th, fifth, K, Kindergarten, Pre-K, PK, K-2, 3-5, 6–8, \
Grades 6-8, Grade 5-6, MS, HS, 9-12, high school, or a list such as 4,5";

/// What separates the grades of a list: `K,1,2`, `K;1;2`, `K|1`, `3/4`.
const LIST_SEPARATORS: [char; 4] = [',', ';', '|', '/'];

/// `A-REI`, `G-CO`, `HSF-IF`, `N-RN`, `S-ID`: a high-school conceptual category and domain (upper
/// case, as the CCSS writes them).
fn is_hs_domain(s: &str) -> bool {
    let s = s.strip_prefix("HS").unwrap_or(s);
    let Some((cat, dom)) = s.split_once('-') else {
        return false;
    };
    matches!(cat, "N" | "A" | "F" | "G" | "S" | "M")
        && (1..=4).contains(&dom.len())
        && dom.chars().all(|c| c.is_ascii_uppercase())
}

/// An inclusive range of grades, such as a unit's `3-5` band or a standard's `9-12`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GradeRange {
    pub lo: Grade,
    pub hi: Grade,
}

impl GradeRange {
    pub fn single(g: Grade) -> Self {
        GradeRange { lo: g, hi: g }
    }

    /// Parse a grade or a band. This is the one grade vocabulary of aligner: the command line's
    /// `--grade`, a TOC's `grade:` line and title, a unit list's `grade` cell and a standards file's
    /// grade levels all go through it.
    ///
    /// - one grade, as [`Grade::parse`] takes it: `4`, `K`, `Grade 4`, `4th grade`, `Pre-K`;
    /// - a band: `K-5`, `6–8`, `9-12`, `PK-2`, `Grades 3-5`, `grade K-2`, `Gr. 6 - 8`;
    /// - a school level: `HS` (9-12), `MS` (6-8), `ES` (K-5), and `high school`, `middle school`,
    ///   `elementary` spelled out;
    /// - a list, spanning its lowest to its highest grade: `K,1,2`, `3/4`, `K;1`, `4 5`, `Grade 4,
    ///   Grade 5`;
    /// - a high-school conceptual category and domain, which stands for 9-12: `A-REI`, `G-CO`,
    ///   `HSF-IF` (so a course column `8/G-CO` is 8-12).
    pub fn parse(s: &str) -> Option<GradeRange> {
        let t = s.trim();
        if t.is_empty() {
            return None;
        }
        let lower = t.to_ascii_lowercase();
        let band = |lo: Grade, hi: Grade| Some(GradeRange { lo, hi });
        match lower.as_str() {
            "hs" | "high school" | "high" => return band(Grade(9), Grade(12)),
            "ms" | "middle school" | "middle" => return band(Grade(6), Grade(8)),
            "es" | "elementary" | "elementary school" => return band(Grade::K, Grade(5)),
            _ => {}
        }
        if let Some(g) = Grade::parse(t) {
            return Some(GradeRange::single(g));
        }
        // `Grades 3-5`, `grade K-2`, `gr. 6-8`: the word before a band. (`to_ascii_lowercase`
        // keeps byte lengths, so the prefix length cuts `t` where it cuts `lower`.)
        for prefix in ["grades", "grade", "gr.", "gr"] {
            if lower.starts_with(prefix) {
                if let Some(r) = t.get(prefix.len()..).and_then(GradeRange::parse_band) {
                    return Some(r);
                }
            }
        }
        // `Levels B-D`: adult-education levels only.
        for prefix in ["levels", "level"] {
            if lower.starts_with(prefix) {
                if let Some(r) = t.get(prefix.len()..).and_then(GradeRange::parse_band) {
                    return r.lo.is_level().then_some(r);
                }
            }
        }
        GradeRange::parse_band(t)
    }

    /// [`GradeRange::parse`] for what a person typed: `what` names where it came from (`--grade`),
    /// and the error lists the accepted spellings.
    pub fn parse_user(s: &str, what: &str) -> Result<GradeRange, crate::error::Error> {
        GradeRange::parse(s).ok_or_else(|| {
            crate::error::Error::Usage(format!(
                "{what} {s:?} is not a grade or grade band (accepted: {GRADE_SPELLINGS})"
            ))
        })
    }

    /// A band, a list or a high-school domain (the part of [`GradeRange::parse`] after a `Grades`
    /// prefix; it strips no prefix itself, so a hostile `gr gr gr ...` costs linear time).
    fn parse_band(t: &str) -> Option<GradeRange> {
        let t = t.trim();
        if let Some(g) = Grade::parse(t) {
            return Some(GradeRange::single(g));
        }
        // `K-5`, `6–8`, and `Pre-K-2` (whose first `-` belongs to the grade).
        for sep in ['-', '–', '—'] {
            for (a, b) in [t.split_once(sep), t.rsplit_once(sep)].into_iter().flatten() {
                if let (Some(a), Some(b)) = (Grade::parse(a), Grade::parse(b)) {
                    return (a <= b && a.is_level() == b.is_level()).then_some(GradeRange { lo: a, hi: b });
                }
            }
        }
        // A list: split on the list separators, else on spaces.
        let mut parts: Vec<&str> = t
            .split(LIST_SEPARATORS)
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        if parts.len() < 2 {
            parts = t.split_whitespace().collect();
        }
        if parts.len() > 1 {
            let mut range: Option<GradeRange> = None;
            for p in parts {
                let r = GradeRange::parse(p)?;
                range = Some(match range {
                    None => r,
                    Some(o) if o.lo.is_level() != r.lo.is_level() => return None,
                    Some(o) => GradeRange {
                        lo: o.lo.min(r.lo),
                        hi: o.hi.max(r.hi),
                    },
                });
            }
            return range;
        }
        is_hs_domain(t).then_some(GradeRange {
            lo: Grade(9),
            hi: Grade(12),
        })
    }

    pub fn contains(&self, g: Grade) -> bool {
        self.lo <= g && g <= self.hi
    }

    /// True when any grade of `grades` lies in this range (an empty list overlaps nothing).
    pub fn overlaps(&self, grades: &[Grade]) -> bool {
        grades.iter().any(|g| self.contains(*g))
    }

    /// Distance in grades from this range to the nearest of `grades` (0 when they overlap).
    pub fn distance(&self, grades: &[Grade]) -> Option<u8> {
        grades
            .iter()
            .map(|g| {
                if self.contains(*g) {
                    0
                } else if *g < self.lo {
                    (self.lo.0 - g.0) as u8
                } else {
                    (g.0 - self.hi.0) as u8
                }
            })
            .min()
    }
}

impl fmt::Display for GradeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.lo == self.hi {
            write!(f, "{}", self.lo)
        } else {
            write!(f, "{}-{}", self.lo, self.hi)
        }
    }
}

/// Compact label for a sorted grade list: `4`, `K-5`, `9-12`, or `K,2,4` when not contiguous.
pub fn grades_label(grades: &[Grade]) -> String {
    if grades.is_empty() {
        return String::new();
    }
    let contiguous = grades.windows(2).all(|w| w[1].0 == w[0].0 + 1);
    if contiguous {
        GradeRange {
            lo: grades[0],
            hi: grades[grades.len() - 1],
        }
        .to_string()
    } else {
        grades.iter().map(|g| g.label()).collect::<Vec<_>>().join(",")
    }
}

/// Subjects: the one vocabulary that maps what people and publishers call a subject to the
/// subject ids of the corpus (`math`, `ela`, `science`, `social-studies`, `arts`).
pub mod subject {
    /// Each subject id and the names that mean it (lower case, words separated by one space), in
    /// priority order: a text that names several subjects gets the first of them.
    pub const VOCABULARY: &[(&str, &[&str])] = &[
        ("math", &["math", "maths", "mathematics", "algebra", "geometry"]),
        (
            "ela",
            &[
                "ela",
                "english",
                "english language arts",
                "language arts",
                "reading",
                "literacy",
                "ela literacy",
            ],
        ),
        ("science", &["science", "sciences", "biology", "chemistry", "physics"]),
        (
            "social-studies",
            &[
                "social studies",
                "social",
                "history",
                "civics",
                "geography",
                "geographic",
                "economics",
                "economic",
            ],
        ),
        ("arts", &["arts", "music"]),
    ];

    /// Lower case, every run of characters other than letters and digits made one space.
    fn words(s: &str) -> String {
        s.to_ascii_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A subject label as a subject id: a name of the vocabulary gives its id (`Mathematics` ->
    /// `math`, `ELA-Literacy` and `English Language Arts` -> `ela`, `Social Studies` ->
    /// `social-studies`); anything else comes back lower-cased and trimmed.
    pub fn normalize(label: &str) -> String {
        let w = words(label);
        VOCABULARY
            .iter()
            .find(|(_, names)| names.contains(&w.as_str()))
            .map_or_else(|| label.trim().to_ascii_lowercase(), |(id, _)| (*id).to_string())
    }

    /// The subject a line of text names with whole words (`Grade 4 Mathematics`, `Language Arts
    /// 3`), for a title line. `None` when it names none.
    pub fn named_in(text: &str) -> Option<&'static str> {
        let w = format!(" {} ", words(text));
        VOCABULARY
            .iter()
            .find(|(_, names)| names.iter().any(|n| w.contains(&format!(" {n} "))))
            .map(|(id, _)| *id)
    }

    /// The subject a title or file name hints at, where words may run together (`ccss_math`,
    /// `MathStandards`): a name anywhere in it counts. Empty when nothing fits.
    pub fn from_hint(hint: &str) -> String {
        let h = words(hint);
        VOCABULARY
            .iter()
            .find(|(_, names)| names.iter().any(|n| h.contains(n)))
            .map_or_else(String::new, |(id, _)| (*id).to_string())
    }
}

/// What a node of a framework is. Readers map the publisher's own labels onto these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The document root or a grouping folder above domains (a grade, a strand, a conceptual category).
    Grouping,
    Grade,
    Domain,
    Cluster,
    /// A topic heading (NGSS topics such as "Structure and Properties of Matter").
    Topic,
    Standard,
    /// A sub-standard: 4.MD.C.5.a.
    Component,
    /// NGSS performance expectation.
    PerformanceExpectation,
    /// NGSS supporting element (practice, core idea, crosscutting concept) of an expectation.
    Element,
    /// A standard for mathematical practice or an anchor standard.
    Practice,
    /// Anything else the publisher labelled (indicator, objective, ...). Treated as a standard.
    Other,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::Grouping,
        Kind::Grade,
        Kind::Domain,
        Kind::Cluster,
        Kind::Topic,
        Kind::Standard,
        Kind::Component,
        Kind::PerformanceExpectation,
        Kind::Element,
        Kind::Practice,
        Kind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Grouping => "grouping",
            Kind::Grade => "grade",
            Kind::Domain => "domain",
            Kind::Cluster => "cluster",
            Kind::Topic => "topic",
            Kind::Standard => "standard",
            Kind::Component => "component",
            Kind::PerformanceExpectation => "performance_expectation",
            Kind::Element => "element",
            Kind::Practice => "practice",
            Kind::Other => "other",
        }
    }

    /// Headings group standards; they are not themselves something a unit "covers".
    pub fn is_heading(self) -> bool {
        matches!(
            self,
            Kind::Grouping | Kind::Grade | Kind::Domain | Kind::Cluster | Kind::Topic
        )
    }

    /// Nodes that a curriculum is aligned to and that coverage counts.
    pub fn is_alignable(self) -> bool {
        matches!(
            self,
            Kind::Standard | Kind::Component | Kind::PerformanceExpectation | Kind::Other
        )
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A note the publisher attached to a standard: an example, a clarification statement, an
/// assessment boundary, a comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// `example`, `clarification`, `assessment_boundary`, `comment`.
    pub kind: String,
    pub text: String,
}

/// A typed link from a standard to another node, in this framework or elsewhere (by URI): CASE
/// associations other than `isChildOf` (exactMatchOf, isRelatedTo, precedes, exemplar, ...), NGSS
/// `alignTo` links to CCSS, prerequisite edges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Association {
    /// The publisher's association type, e.g. `exactMatchOf`, `isRelatedTo`, `precedes`, `alignTo`.
    pub kind: String,
    /// The target's URI or GUID as the publisher wrote it.
    pub target: String,
    /// The target's human code when the publisher gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_code: Option<String>,
}

/// One node of a framework: a heading, a standard, a sub-standard, an expectation or an element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standard {
    /// The publisher's identity for this node: a GUID (`urn:guid:...`, CASE `identifier`) or a URI
    /// (ASN `http://asn.jesandco.org/resources/S...`).
    pub uri: String,
    /// The human code as the framework publishes it, e.g. `4.NF.B.3`, `HSA-REI.B.3`, `MS-PS1-1`,
    /// `2.7.3.B`. `None` for nodes that carry no code.
    pub code: Option<String>,
    /// Other spellings the publisher gave (`4.NF.3`, `CCSS.Math.Content.4.NF.B.3`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alt_codes: Vec<String>,
    /// The statement, with HTML entities decoded and tags removed.
    pub text: String,
    pub kind: Kind,
    /// The publisher's own label for the kind (`Standard`, `Component`, `Cluster`, `Indicator`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Sorted, without duplicates.
    pub grades: Vec<Grade>,
    pub parent: Option<StdIdx>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<StdIdx>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub associations: Vec<Association>,
}

impl Standard {
    /// A node with the given identity, kind and text, everything else empty.
    pub fn new(uri: impl Into<String>, kind: Kind, text: impl Into<String>) -> Standard {
        Standard {
            uri: uri.into(),
            code: None,
            alt_codes: Vec::new(),
            text: text.into(),
            kind,
            label: None,
            grades: Vec::new(),
            parent: None,
            children: Vec::new(),
            notes: Vec::new(),
            associations: Vec::new(),
        }
    }

    /// The code when there is one, else the publisher's URI.
    pub fn display_code(&self) -> &str {
        self.code.as_deref().unwrap_or(&self.uri)
    }
}

/// A standards framework: one published document, such as CCSS Mathematics or DC English.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Framework {
    /// Short id used on the command line and in reports: `ccss-math`, `ccss-ela`, `ngss`, `dc-math`.
    pub id: String,
    pub title: String,
    /// `CCSS`, `NGSS`, `District of Columbia`, `Maryland`, ...
    pub jurisdiction: String,
    /// `math`, `ela`, `science`, `social-studies`, `arts`, ...
    pub subject: String,
    /// The file it was read from, and the publisher's document URI when given.
    pub source: String,
    /// The license notice that must travel with the text.
    pub license: String,
    /// All nodes in document order (parents before their children).
    pub standards: Vec<Standard>,
    /// What the reader repaired or found doubtful without refusing the file (a parent cycle
    /// broken, a duplicate code). Not stored in the index; `aligner index` prints them on stderr.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

impl Framework {
    /// Children lists rebuilt from the parent links (readers set `parent`, then call this).
    pub fn link_children(&mut self) {
        for s in &mut self.standards {
            s.children.clear();
        }
        for i in 0..self.standards.len() {
            if let Some(p) = self.standards[i].parent {
                self.standards[p].children.push(i);
            }
        }
    }

    /// The ancestors of `idx`, nearest first, walked lazily: at most as many steps as there are
    /// nodes, so a parent cycle in bad input ends the walk (readers break cycles; on a real tree
    /// the walk is linear in the depth).
    pub fn parents(&self, idx: StdIdx) -> impl Iterator<Item = StdIdx> + '_ {
        let mut cur = self.standards.get(idx).and_then(|s| s.parent);
        (0..self.standards.len()).map_while(move |_| {
            let p = cur?;
            cur = self.standards[p].parent;
            Some(p)
        })
    }

    /// Ancestors of `idx`, nearest first.
    pub fn ancestors(&self, idx: StdIdx) -> Vec<StdIdx> {
        self.parents(idx).collect()
    }

    /// The headings a standard reads under, nearest first: its cluster or topic, its domain, and
    /// for a sub-standard its standard.
    pub fn headings(&self, idx: StdIdx) -> impl Iterator<Item = StdIdx> + '_ {
        self.parents(idx).filter(|&a| {
            matches!(
                self.standards[a].kind,
                Kind::Cluster | Kind::Topic | Kind::Domain | Kind::Standard
            )
        })
    }

    /// The nearest ancestor of the given kind.
    pub fn ancestor_of_kind(&self, idx: StdIdx, kind: Kind) -> Option<StdIdx> {
        self.parents(idx).find(|&a| self.standards[a].kind == kind)
    }

    /// Count of nodes per kind, in kind order.
    pub fn counts_by_kind(&self) -> Vec<(Kind, usize)> {
        let mut m = std::collections::BTreeMap::new();
        for s in &self.standards {
            *m.entry(s.kind).or_insert(0usize) += 1;
        }
        m.into_iter().collect()
    }
}

/// One curriculum item: a unit, a lesson, or a table-of-contents entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    pub id: String,
    pub title: String,
    /// Lesson text or description; may be empty (a TOC entry has only its title).
    #[serde(default)]
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<GradeRange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Codes the publisher claims, exactly as written.
    #[serde(default)]
    pub claimed: Vec<String>,
    /// Position of the parent unit in the same list (a TOC lesson's chapter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<usize>,
    /// Titles of the ancestors, outermost first (a lesson's chapter and unit), used as context. A
    /// table of contents keeps the nearest 4.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<String>,
    /// Where it came from: `file:line`.
    pub origin: String,
    /// The page (or pages) the book gives: a table of contents' page number as printed (`112`,
    /// `112-118`, `xi`), a unit list's `page`/`pages` field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// What the entry is for: teaching (the default), or reviewing or assessing what came before.
    #[serde(default, skip_serializing_if = "UnitRole::is_lesson")]
    pub role: UnitRole,
}

/// What a curriculum entry is for. Reviews and assessments (`Chapter 3 Review`, `Mid-Chapter
/// Checkpoint`, `Unit 1 Assessment`, `Performance Task`) teach nothing new: an audit does not
/// count them among the units aligned to nothing, and lists them apart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitRole {
    /// A unit, chapter or lesson that teaches.
    #[default]
    Lesson,
    /// A review of what came before (`Chapter 3 Review`, `Cumulative Review`).
    Review,
    /// A test, quiz, checkpoint or performance task (`Review/Test`, `Mid-Chapter Checkpoint`,
    /// `Show What You Know`, `End of Unit Assessment`).
    Assessment,
}

impl UnitRole {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitRole::Lesson => "lesson",
            UnitRole::Review => "review",
            UnitRole::Assessment => "assessment",
        }
    }

    pub fn is_lesson(&self) -> bool {
        *self == UnitRole::Lesson
    }

    /// The role a title names: a review or an assessment when the title (or the part of it before
    /// a `:` or a dash) is made only of review and assessment words (`review`, `test`,
    /// `assessment`, `checkpoint`, `quiz`, `performance task`, `show what you know`, ...) and the
    /// words around them in a book (`chapter`, `unit`, `mid`, `end of`, numbers, `cumulative`);
    /// any word of a topic keeps it a lesson ("Review of fractions", "Planning a fair test"). An
    /// assessment word wins over `review` (`Review/Test` is a test).
    pub fn of_title(title: &str) -> UnitRole {
        let lower = title.to_lowercase();
        let head = lower.split([':', '—', '–']).next().unwrap_or("");
        match role_of_words(&lower) {
            UnitRole::Lesson => role_of_words(head),
            r => r,
        }
    }
}

/// Words that make a title a review or an assessment ([`UnitRole::of_title`]), the phrases first.
const ROLE_PHRASES: &[(&str, UnitRole)] = &[
    ("show what you know", UnitRole::Assessment),
    ("are you ready", UnitRole::Assessment),
    ("performance task", UnitRole::Assessment),
    ("performance assessment", UnitRole::Assessment),
    ("check your understanding", UnitRole::Assessment),
    ("test prep", UnitRole::Review),
];
const ROLE_WORDS: &[(&str, UnitRole)] = &[
    ("review", UnitRole::Review),
    ("reviews", UnitRole::Review),
    ("recap", UnitRole::Review),
    ("assessment", UnitRole::Assessment),
    ("assessments", UnitRole::Assessment),
    ("test", UnitRole::Assessment),
    ("tests", UnitRole::Assessment),
    ("pretest", UnitRole::Assessment),
    ("posttest", UnitRole::Assessment),
    ("checkpoint", UnitRole::Assessment),
    ("check", UnitRole::Assessment),
    ("quiz", UnitRole::Assessment),
    ("exam", UnitRole::Assessment),
    ("benchmark", UnitRole::Assessment),
];
/// The words around review and assessment words in a book's titles.
const ROLE_FILLERS: &[&str] = &[
    "chapter",
    "unit",
    "module",
    "topic",
    "lesson",
    "lessons",
    "part",
    "section",
    "mid",
    "end",
    "of",
    "the",
    "and",
    "for",
    "a",
    "cumulative",
    "spiral",
    "mixed",
    "vocabulary",
    "practice",
    "standardized",
    "pre",
    "post",
    "self",
    "quick",
    "progress",
    "final",
    "midterm",
    "year",
    "quarter",
    "semester",
    "beginning",
    "diagnostic",
    "summative",
    "formative",
    "your",
    "my",
    "task",
    "tasks",
];

fn role_of_words(s: &str) -> UnitRole {
    let mut s = s.to_string();
    let mut role = UnitRole::Lesson;
    for (p, r) in ROLE_PHRASES {
        if s.contains(p) {
            s = s.replace(p, " ");
            role = role.max(*r);
        }
    }
    for w in s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if let Some((_, r)) = ROLE_WORDS.iter().find(|(rw, _)| *rw == w) {
            role = role.max(*r);
        } else if !(ROLE_FILLERS.contains(&w)
            || w.chars().all(|c| c.is_ascii_digit())
            || (w.len() == 1 && w.chars().all(|c| c.is_ascii_alphabetic()))
            || w.chars().all(|c| "ivxlc".contains(c)))
        {
            return UnitRole::Lesson;
        }
    }
    role
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(s: &str) -> Option<String> {
        GradeRange::parse(s).map(|r| r.to_string())
    }

    /// The spellings a person types, each with what it means; anything else is refused with the
    /// accepted spellings in the message.
    #[test]
    fn user_grade_spellings() {
        for (s, want) in [
            ("5", "5"),
            ("Grade 5", "5"),
            ("grade5", "5"),
            ("5th", "5"),
            ("fifth", "5"),
            ("Fifth Grade", "5"),
            ("grade five", "5"),
            ("twelfth", "12"),
            ("K", "K"),
            ("Kindergarten", "K"),
            ("Pre-K", "PK"),
            ("PK", "PK"),
            ("K-2", "K-2"),
            ("3-5", "3-5"),
            ("6–8", "6-8"),
            ("HS", "9-12"),
            ("9-12", "9-12"),
            ("high school", "9-12"),
            ("Grade 5-6", "5-6"),
            ("Grades 6–8", "6-8"),
        ] {
            assert_eq!(
                GradeRange::parse_user(s, "--grade")
                    .map(|g| g.to_string())
                    .ok()
                    .as_deref(),
                Some(want),
                "{s}"
            );
        }
        for bad in ["", "thirteenth", "Grade 13", "5.5", "grade", "fifthh", "8-5", "Algebra"] {
            let e = GradeRange::parse_user(bad, "--grade").unwrap_err().to_string();
            assert!(
                e.contains("--grade") && e.contains("fifth") && e.contains("Pre-K"),
                "{bad}: {e}"
            );
        }
    }

    /// Every spelling that one of the former grade parsers took (`Grade::parse`,
    /// `GradeRange::parse`, the standards readers' `grade_from_label` and `parse_grade_list`, the
    /// unit lists' `parse_grade`, the TOC's `find_grade`), with what it meant.
    #[test]
    fn roles_of_review_and_assessment_titles() {
        let cases = [
            ("Mid-Chapter Checkpoint", UnitRole::Assessment),
            ("Chapter 1 Review/Test", UnitRole::Assessment),
            ("Review/Test", UnitRole::Assessment),
            ("Unit 1 Assessment", UnitRole::Assessment),
            ("Show What You Know", UnitRole::Assessment),
            ("Performance Task", UnitRole::Assessment),
            ("Performance Task: Plan a Garden", UnitRole::Assessment),
            ("Mid-Unit Assessment", UnitRole::Assessment),
            ("End of Unit Assessment", UnitRole::Assessment),
            ("End-of-Module Assessment Task", UnitRole::Assessment),
            ("Chapter Review", UnitRole::Review),
            ("Chapter 3 Review", UnitRole::Review),
            ("Cumulative Review", UnitRole::Review),
            ("Unit IV Review", UnitRole::Review),
            ("Review of fractions", UnitRole::Lesson),
            ("Planning a fair test", UnitRole::Lesson),
            ("Reviewing place value", UnitRole::Lesson),
            ("Adding fractions", UnitRole::Lesson),
            ("Unit 1", UnitRole::Lesson),
            ("", UnitRole::Lesson),
        ];
        for (t, want) in cases {
            assert_eq!(UnitRole::of_title(t), want, "{t}");
        }
    }

    #[test]
    fn one_grade_vocabulary() {
        let cases = [
            // one grade
            ("4", "4"),
            ("04", "4"),
            ("0", "K"),
            ("12", "12"),
            ("K", "K"),
            ("k", "K"),
            ("KG", "K"),
            ("Kindergarten", "K"),
            ("00", "K"),
            ("PK", "PK"),
            ("P", "PK"),
            ("PreK", "PK"),
            ("Pre-K", "PK"),
            ("pre k", "PK"),
            ("Pre-Kindergarten", "PK"),
            ("Adult", "Adult"),
            ("AE", "Adult"),
            ("postsecondary", "Adult"),
            ("Higher Education", "Adult"),
            ("1st", "1"),
            ("2nd", "2"),
            ("3rd", "3"),
            ("4th", "4"),
            ("Grade 4", "4"),
            ("grade 4", "4"),
            ("GRADE K", "K"),
            ("Gr. 4", "4"),
            ("gr4", "4"),
            ("gr 4", "4"),
            ("grade-4", "4"),
            ("4th grade", "4"),
            ("4th Grade", "4"),
            ("  7  ", "7"),
            // bands
            ("K-5", "K-5"),
            ("K-2", "K-2"),
            ("6–8", "6-8"),
            ("9—12", "9-12"),
            ("9-12", "9-12"),
            ("6 - 8", "6-8"),
            ("PK-2", "PK-2"),
            ("Pre-K-2", "PK-2"),
            ("Grades 3-5", "3-5"),
            ("grades 6-8", "6-8"),
            ("Grade K-2", "K-2"),
            ("Gr. 6-8", "6-8"),
            ("Grades 4", "4"),
            // school levels
            ("HS", "9-12"),
            ("high school", "9-12"),
            ("High", "9-12"),
            ("MS", "6-8"),
            ("Middle School", "6-8"),
            ("middle", "6-8"),
            ("ES", "K-5"),
            ("elementary", "K-5"),
            ("Elementary School", "K-5"),
            // lists span lowest to highest
            ("K,1,2", "K-2"),
            ("K;1;2", "K-2"),
            ("K 1 2", "K-2"),
            ("KG,01,02", "K-2"),
            ("K|1", "K-1"),
            ("3/4", "3-4"),
            ("1/2/3/4/5/K", "K-5"),
            ("Grade 4, Grade 5", "4-5"),
            ("1-2, 5-6", "1-6"),
            // high-school domains stand for 9-12
            ("A-REI", "9-12"),
            ("G-CO", "9-12"),
            ("HSF-IF", "9-12"),
            ("8/G-CO", "8-12"),
            // infant/toddler and the adult-education levels
            ("IT", "IT"),
            ("Infant/Toddler", "IT"),
            ("infant-toddler", "IT"),
            ("IT-PK", "IT-PK"),
            ("IT-2", "IT-2"),
            ("A", "A"),
            ("e", "E"),
            ("Level C", "C"),
            ("A-E", "A-E"),
            ("Levels B-D", "B-D"),
            ("A,B", "A-B"),
        ];
        for (input, want) in cases {
            assert_eq!(range(input).as_deref(), Some(want), "{input:?}");
        }
        for bad in [
            "",
            "  ",
            "13",
            "-1",
            "grade",
            "grade X",
            "fourth-ish",
            "X-Y",
            "5-3",
            "K-2-3",
            "Grade 4 Math",
            "a-rei",
            "1000",
            "F",
            "Level F",
            "K-E",
            "A-12",
            "E-A",
            "4, B",
        ] {
            assert_eq!(range(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn single_grades_and_lists() {
        assert_eq!(Grade::parse("Grade 4"), Some(Grade(4)));
        assert_eq!(Grade::parse("K-2"), None);
        let g = |v: &[i8]| v.iter().map(|&n| Grade(n)).collect::<Vec<_>>();
        for (input, want) in [
            ("K-2", g(&[0, 1, 2])),
            ("K;1;2", g(&[0, 1, 2])),
            ("KG,01,02", g(&[0, 1, 2])),
            ("K|2", g(&[0, 2])),
            ("3/5", g(&[3, 5])),
            ("09.10", g(&[9, 10])),
            ("HS", g(&[9, 10, 11, 12])),
            ("Pre-K", g(&[-1])),
            ("P", g(&[-1])),
            ("4", g(&[4])),
            ("Grade 4", g(&[4])),
            ("Grades 3-5", g(&[3, 4, 5])),
            ("4, 4", g(&[4])),
        ] {
            assert_eq!(Grade::parse_list(input), Some(want), "{input:?}");
        }
        assert_eq!(Grade::parse_list("grade X"), None);
        assert_eq!(Grade::parse_list(""), None);
        assert_eq!(Grade::parse_list("4;X"), None);
    }

    #[test]
    fn grade_labels_round_trip() {
        for g in (-1..=13).map(Grade) {
            assert_eq!(Grade::parse(&g.label()), Some(g), "{g}");
        }
    }

    #[test]
    fn hostile_grade_text_is_cheap() {
        let long = "gr ".repeat(20_000);
        assert_eq!(GradeRange::parse(&long), None);
        let long = "grades ".repeat(20_000) + "4";
        assert_eq!(GradeRange::parse(&long), None);
    }

    /// Every name that one of the former subject parsers took (the matcher's
    /// `normalize_subject`, the standards readers' `subject_from_hint`, the TOC's `find_subject`).
    #[test]
    fn one_subject_vocabulary() {
        for (label, want) in [
            ("math", "math"),
            ("Maths", "math"),
            ("Mathematics", "math"),
            ("algebra", "math"),
            ("Geometry", "math"),
            ("ela", "ela"),
            ("ELA", "ela"),
            ("english", "ela"),
            ("English Language Arts", "ela"),
            ("language arts", "ela"),
            ("reading", "ela"),
            ("literacy", "ela"),
            ("ela/literacy", "ela"),
            ("ELA-Literacy", "ela"),
            ("science", "science"),
            ("Sciences", "science"),
            ("biology", "science"),
            ("chemistry", "science"),
            ("physics", "science"),
            ("Social Studies", "social-studies"),
            ("social-studies", "social-studies"),
            ("history", "social-studies"),
            ("civics", "social-studies"),
            ("arts", "arts"),
            ("music", "arts"),
            ("  World Languages ", "world languages"),
            ("", ""),
        ] {
            assert_eq!(subject::normalize(label), want, "{label:?}");
        }
    }

    #[test]
    fn subjects_in_titles_and_hints() {
        for (line, want) in [
            ("Grade 4 Mathematics", Some("math")),
            ("Algebra I", Some("math")),
            ("Geometry: Student Edition", Some("math")),
            ("Grade 3 Science", Some("science")),
            ("Biology", Some("science")),
            ("Chemistry and physics", Some("science")),
            ("ELA Grade 5", Some("ela")),
            ("English 9", Some("ela")),
            ("Reading Street", Some("ela")),
            ("Literacy Block", Some("ela")),
            ("Grade 2 Language Arts", Some("ela")),
            ("Grade 4", None),
            ("Mathematical Practices", None),
            ("Relations and functions", None),
        ] {
            assert_eq!(subject::named_in(line), want, "{line:?}");
        }
        for (hint, want) in [
            ("ccss_math", "math"),
            ("MathStandards", "math"),
            ("Common Core State Standards for Mathematics", "math"),
            (
                "English Language Arts & Literacy in History/Social Studies, Science, and Technical Subjects",
                "ela",
            ),
            ("DC-english", "ela"),
            ("literacy", "ela"),
            ("reading", "ela"),
            ("language arts", "ela"),
            ("Next Generation Science Standards", "science"),
            ("US History", "social-studies"),
            ("social", "social-studies"),
            ("civics", "social-studies"),
            ("geographic", "social-studies"),
            ("economic", "social-studies"),
            ("Fine Arts", "arts"),
            ("music", "arts"),
            ("district", ""),
        ] {
            assert_eq!(subject::from_hint(hint), want, "{hint:?}");
        }
    }
}
