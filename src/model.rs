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

/// A grade level. `-1` is pre-K, `0` kindergarten, `1..=12` the grades, `13` adult/post-secondary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Grade(pub i8);

impl Grade {
    pub const PK: Grade = Grade(-1);
    pub const K: Grade = Grade(0);
    pub const ADULT: Grade = Grade(13);

    /// Parse one grade label: `K`, `KG`, `PK`, `1`..`12`, `01`, `Grade 4`, `4th`.
    pub fn parse(s: &str) -> Option<Grade> {
        let t = s.trim().to_ascii_lowercase();
        let t = t
            .strip_prefix("grade")
            .or_else(|| t.strip_prefix("gr."))
            .or_else(|| t.strip_prefix("gr"))
            .unwrap_or(&t)
            .trim();
        match t {
            "k" | "kg" | "kindergarten" | "00" => return Some(Grade::K),
            "pk" | "prek" | "pre-k" | "pre-kindergarten" => return Some(Grade::PK),
            "adult" | "ae" | "postsecondary" => return Some(Grade::ADULT),
            _ => {}
        }
        let digits = t
            .trim_end_matches("th")
            .trim_end_matches("st")
            .trim_end_matches("nd")
            .trim_end_matches("rd");
        let n: i8 = digits.parse().ok()?;
        (0..=12).contains(&n).then_some(Grade(n))
    }

    pub fn label(self) -> String {
        match self.0 {
            -1 => "PK".into(),
            0 => "K".into(),
            13 => "Adult".into(),
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

    /// Parse `4`, `K`, `K-5`, `6–8`, `9-12`, `HS` (9-12), `MS` (6-8), `ES` (K-5), `K,1,2` (K-2).
    pub fn parse(s: &str) -> Option<GradeRange> {
        let t = s.trim();
        if t.is_empty() {
            return None;
        }
        match t.to_ascii_lowercase().as_str() {
            "hs" | "high school" | "high" => {
                return Some(GradeRange {
                    lo: Grade(9),
                    hi: Grade(12),
                })
            }
            "ms" | "middle school" | "middle" => {
                return Some(GradeRange {
                    lo: Grade(6),
                    hi: Grade(8),
                })
            }
            "es" | "elementary" | "elementary school" => {
                return Some(GradeRange {
                    lo: Grade::K,
                    hi: Grade(5),
                })
            }
            _ => {}
        }
        let parts: Vec<&str> = t.split([',', ';', ' ']).filter(|p| !p.is_empty()).collect();
        if parts.len() > 1 {
            let gs: Option<Vec<Grade>> = parts
                .iter()
                .map(|p| GradeRange::parse(p))
                .map(|r| r.map(|r| r.lo))
                .collect();
            let gs = gs?;
            return Some(GradeRange {
                lo: *gs.iter().min()?,
                hi: *gs.iter().max()?,
            });
        }
        for sep in ['-', '–', '—'] {
            if let Some((a, b)) = t.split_once(sep) {
                let (a, b) = (Grade::parse(a)?, Grade::parse(b)?);
                return (a <= b).then_some(GradeRange { lo: a, hi: b });
            }
        }
        Grade::parse(t).map(GradeRange::single)
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

    /// Ancestors of `idx`, nearest first.
    pub fn ancestors(&self, idx: StdIdx) -> Vec<StdIdx> {
        let mut out = Vec::new();
        let mut cur = self.standards[idx].parent;
        while let Some(p) = cur {
            if out.contains(&p) {
                break; // defensive: a cycle in bad input
            }
            out.push(p);
            cur = self.standards[p].parent;
        }
        out
    }

    /// The texts a standard reads under, nearest first: its cluster or topic, its domain, and for
    /// a sub-standard its standard.
    pub fn headings(&self, idx: StdIdx) -> impl Iterator<Item = &Standard> {
        self.ancestors(idx)
            .into_iter()
            .map(|a| &self.standards[a])
            .filter(|a| matches!(a.kind, Kind::Cluster | Kind::Topic | Kind::Domain | Kind::Standard))
    }

    /// The nearest ancestor of the given kind.
    pub fn ancestor_of_kind(&self, idx: StdIdx, kind: Kind) -> Option<StdIdx> {
        self.ancestors(idx)
            .into_iter()
            .find(|&a| self.standards[a].kind == kind)
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
    /// Titles of the ancestors, outermost first (a lesson's chapter and unit), used as context.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<String>,
    /// Where it came from: `file:line`.
    pub origin: String,
}
