//! Every reader, the TOC parser, the code resolver and the matcher over text built from a hostile
//! alphabet: dashes, odd spaces, ligatures, smart quotes, combining accents, emoji, RTL marks,
//! NUL, lone surrogates in JSON escapes, `\r`-only line ends. Nothing may panic; what is read must
//! be read whole (as many units or standards as the input has rows). The deterministic part
//! tries every pair of pieces in every slot of each template; the proptest part tries random
//! strings of the alphabet with a few cases, so CI stays fast.

use aligner::align::{align_units, Matcher, Scope};
use aligner::codes;
use aligner::corpus::Corpus;
use aligner::ingest::curriculum::{read_curriculum_str, read_curriculum_str_with, CurriculumOptions};
use aligner::ingest::standards::{read_framework_str, Format};
use aligner::model::Unit;
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

/// Pieces of text that have broken or could break text handling.
const HOSTILE: &[&str] = &[
    "\u{2014}",                   // em dash
    "\u{2013}",                   // en dash
    "\u{a0}",                     // no-break space
    "\u{2009}",                   // thin space
    "\u{3000}",                   // ideographic space
    "\u{feff}",                   // BOM inside text
    "\u{fb01}",                   // ligature fi
    "\u{201c}q\u{201d}",          // smart double quotes
    "\u{2018}",                   // smart single quote
    "e\u{301}",                   // combining acute accent
    "\u{301}",                    // a combining accent alone
    "\u{1f600}",                  // emoji
    "\u{1f469}\u{200d}\u{1f52c}", // emoji sequence with a zero-width joiner
    "\u{200f}",                   // right-to-left mark
    "\u{202e}",                   // right-to-left override
    "\u{5d0}\u{5d1}",             // Hebrew letters
    "\0",                         // NUL
    "\u{ad}",                     // soft hyphen
    "\u{200b}",                   // zero-width space
    "\u{bd}",                     // vulgar fraction one half
    "12\"",                       // inch mark
    "\u{2026}",                   // ellipsis
    "Level\u{a0}2",               // a sequence number after a no-break space
    "\u{4e2d}\u{6587}",           // CJK
    "\u{1d400}",                  // mathematical bold A (4 bytes)
];

/// Pairs of hostile pieces, each pair once (in both orders), with the empty piece.
fn pairs() -> impl Iterator<Item = (String, String)> {
    let with_empty: Vec<&str> = std::iter::once("").chain(HOSTILE.iter().copied()).collect();
    let n = with_empty.len();
    (0..n).flat_map(move |i| {
        let w = with_empty.clone();
        (0..n).map(move |j| (w[i].to_string(), w[j].to_string()))
    })
}

/// A title with hostile pieces at its start, around its words and before a closing number.
fn title(a: &str, b: &str) -> String {
    format!("{a}Adding fractions{b}with like denominators{a}{b}2{b}")
}

/// The shipped data, indexed once for the matcher tests.
fn library() -> &'static aligner::index::Library {
    static L: OnceLock<(tempfile::TempDir, aligner::index::Library)> = OnceLock::new();
    let (_, lib) = L.get_or_init(|| {
        let d = tempfile::tempdir().unwrap();
        let lib = aligner::index::Library::open_or_build(&d.path().join("ix"), &|_| {}).unwrap();
        (d, lib)
    });
    lib
}

fn corpus() -> &'static Corpus {
    static C: OnceLock<Corpus> = OnceLock::new();
    C.get_or_init(|| Corpus::new(aligner::index::read_shipped().expect("shipped standards")))
}

/// CSV cells with a hostile piece must be quoted only where a quote or comma asks for it.
fn csv_cell(s: &str) -> String {
    if s.contains(['"', ',', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

#[test]
fn unit_lists_are_read_whole() {
    for (a, b) in pairs() {
        let t = title(&a, &b);
        let csv = format!(
            "id,title,text,grade\nu1,{},{},4\nu2,Angles{},Measure angles,4\n",
            csv_cell(&t),
            csv_cell(&format!("{b}Use a 12\" ruler{a}")),
            csv_cell(&a)
        );
        let units = read_curriculum_str(Path::new("u.csv"), &csv).unwrap_or_else(|e| panic!("{a:?} {b:?}: {e}"));
        assert_eq!(units.len(), 2, "{a:?} {b:?}: {csv:?}");
        assert!(units.iter().all(|u| !u.title.contains('\0')), "NUL kept: {a:?} {b:?}");
        // CR-only line ends.
        let cr = csv.replace('\n', "\r");
        assert_eq!(
            read_curriculum_str(Path::new("u.csv"), &cr).unwrap().len(),
            2,
            "CR {a:?} {b:?}"
        );

        let jsonl = format!(
            "{{\"id\":\"u1\",\"title\":{},\"grade\":\"4\"}}\n{{\"id\":\"u2\",\"title\":{}}}\n",
            json_str(&t),
            json_str(&format!("Area{a}{b}"))
        );
        assert_eq!(read_curriculum_str(Path::new("u.jsonl"), &jsonl).unwrap().len(), 2);
        let json = format!("[{{\"title\":{}}},{{\"title\":{}}}]", json_str(&t), json_str(&b));
        match read_curriculum_str(Path::new("u.json"), &json) {
            Ok(us) => assert_eq!(us.len(), 2),
            // A unit whose title is only invisible characters has no title: an error, not a panic.
            Err(e) => assert!(e.to_string().contains("u.json"), "{e}"),
        }
    }
}

#[test]
fn lone_surrogates_in_json_escapes_are_errors_naming_the_file() {
    for text in [
        r#"[{"title":"Adding \ud800 fractions"}]"#,
        r#"{"title":"\udc00"}"#,
        r#"{"CFDocument":{"identifier":"D","title":"T\ud800"},"CFItems":[]}"#,
    ] {
        for name in ["u.json", "u.jsonl"] {
            let r = read_curriculum_str(Path::new(name), text);
            let e = r.expect_err("a lone surrogate is not a string");
            assert!(e.to_string().starts_with(name), "{e}");
        }
        let e = read_framework_str(Path::new("s.json"), text, None).expect_err("not a framework");
        assert!(e.to_string().starts_with("s.json"), "{e}");
    }
}

#[test]
fn tables_of_contents_keep_every_entry() {
    for (a, b) in pairs() {
        let toc = format!(
            "Grade 4{a}\nChapter 1 Fractions{b}\n1.1 {} ....... 12\n1.2 Comparing fractions{a} ..... 18\n1.3 {b}Equivalent fractions 20\n",
            title(&a, &b)
        );
        for (name, text) in [
            ("t.txt", toc.clone()),
            ("t.txt", toc.replace('\n', "\r")),
            ("t.md", toc.clone()),
        ] {
            let units = read_curriculum_str(Path::new(name), &text).unwrap_or_else(|e| panic!("{a:?} {b:?}: {e}"));
            let lessons = units.iter().filter(|u| u.parent.is_some()).count();
            assert_eq!(
                lessons,
                3,
                "{name} {a:?} {b:?}: {:?}",
                units.iter().map(|u| &u.title).collect::<Vec<_>>()
            );
            assert!(units.iter().all(|u| !u.title.contains('\0')));
        }
    }
}

#[test]
fn standards_readers_read_every_row() {
    for (a, b) in pairs() {
        let t = format!("{a}Add fractions{b} with like denominators{a}");
        let csv = format!(
            "code,text,grade,parent\nX.1,{},4,\nX.1.a,{},4,X.1\nX.2,{},4,\n",
            csv_cell(&t),
            csv_cell(&b),
            csv_cell(&format!("Measure{b}with a 12\" ruler"))
        );
        match read_framework_str(Path::new("d.csv"), &csv, Some(Format::Csv)) {
            Ok(fw) => assert_eq!(fw.standards.len(), 3, "{a:?} {b:?}"),
            // A statement that is only invisible characters is empty: refused with its line.
            Err(e) => assert!(e.to_string().starts_with("d.csv:3: empty text"), "{a:?} {b:?}: {e}"),
        }
        let case = format!(
            r#"{{"CFDocument":{{"identifier":"D","title":{}}},"CFItems":[
                {{"identifier":"a","fullStatement":{},"humanCodingScheme":{}}},
                {{"identifier":"b","fullStatement":"Second","humanCodingScheme":"X.2"}}],
              "CFAssociations":[{{"associationType":"isChildOf","originNodeURI":{{"identifier":"b"}},"destinationNodeURI":{{"identifier":"a"}}}}]}}"#,
            json_str(&format!("Tiny{a}")),
            json_str(&format!("{t}x")),
            json_str(&format!("X.1{b}"))
        );
        let fw = read_framework_str(Path::new("c.json"), &case, None).unwrap_or_else(|e| panic!("{a:?} {b:?}: {e}"));
        assert_eq!(fw.standards.len(), 2);
        let asn = format!(
            r#"[{{"id":"http://asn/D","text":{},"children":[{{"id":"http://asn/S1","text":{},"asn_statementNotation":{}}}]}}]"#,
            json_str(&format!("Doc{a}")),
            json_str(&format!("{t}x")),
            json_str(&format!("M.4{b}"))
        );
        match read_framework_str(Path::new("a.json"), &asn, Some(Format::AsnJson)) {
            Ok(fw) => assert!(!fw.standards.is_empty()),
            Err(e) => assert!(e.to_string().starts_with("a.json"), "{e}"),
        }
        let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('\0', "");
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:asn="http://purl.org/ASN/schema/core/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:gemq="http://purl.org/gem/qualifiers/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<asn:StandardDocument rdf:about="http://x/D1"><dc:title>Mini{}</dc:title></asn:StandardDocument>
<asn:Statement rdf:about="http://x/S1"><dcterms:description>{}x</dcterms:description><asn:statementNotation>X-PS2-1</asn:statementNotation><gemq:isChildOf rdf:resource="http://x/S2"/></asn:Statement>
<asn:Statement rdf:about="http://x/S2"><dcterms:description>Motion{}</dcterms:description><asn:statementNotation>X-PS2</asn:statementNotation><gemq:isChildOf rdf:resource="http://x/D1"/></asn:Statement>
</rdf:RDF>"#,
            esc(&a),
            esc(&t),
            esc(&b)
        );
        let fw = read_framework_str(Path::new("n.xml"), &xml, None).unwrap_or_else(|e| panic!("{a:?} {b:?}: {e}"));
        assert_eq!(
            fw.standards.iter().filter(|s| s.code.is_some()).count(),
            2,
            "both statements kept, child before parent"
        );
    }
}

#[test]
fn codes_resolve_or_fail_cleanly() {
    let c = corpus();
    // Each piece alone before and after a code (suggestions compare against every code, so not
    // every pair).
    let singles = HOSTILE
        .iter()
        .flat_map(|h| [(h.to_string(), String::new()), (String::new(), h.to_string())]);
    for (a, b) in singles {
        for raw in [
            format!("{a}4.NF.B.3{b}"),
            format!("4{a}NF{b}3"),
            format!("CCSS.Math.Content.4.NF.B.3{a}"),
            format!("{a}{b}"),
            format!("{a}HSA-REI.B.3{b}a"),
        ] {
            let _ = codes::segments(&raw);
            let _ = codes::normalize(&raw);
            let _ = codes::looks_like_code(&raw);
            let _ = c.resolve(&raw, None);
            let _ = c.codes.suggest(&c.frameworks, &raw, None, 3);
        }
    }
    // The plain spelling still resolves with a dash or a no-break space around it.
    assert!(!c.resolve("4.NF.B.3\u{a0}", None).unwrap().is_empty());
}

fn unit(title: &str, text: &str) -> Unit {
    Unit {
        id: "u".into(),
        title: title.into(),
        text: text.into(),
        grade: None,
        subject: None,
        claimed: vec![title.into()],
        parent: None,
        context: vec![text.into()],
        origin: "hostile".into(),
        page: None,
        role: Default::default(),
    }
}

/// Match a batch with a matcher that has learned its common words.
fn match_all(units: &[Unit]) {
    let mut m = Matcher::new(library());
    m.observe_batch(units);
    let al = align_units(&m, library().corpus().unwrap(), units, &Scope::default(), 5);
    assert_eq!(al.len(), units.len());
}

thread_local! {
    /// One matcher for the random cases (building it is most of a case's cost).
    static MATCHER: &'static Matcher<'static> = Box::leak(Box::new(Matcher::new(library())));
}

fn match_one(u: Unit) {
    MATCHER.with(|m| {
        let al = align_units(
            m,
            library().corpus().unwrap(),
            std::slice::from_ref(&u),
            &Scope::default(),
            5,
        );
        assert_eq!(al.len(), 1);
    });
}

#[test]
fn the_matcher_takes_any_title() {
    let mut units = Vec::new();
    for (a, b) in pairs() {
        let toc = format!("1.1 {}\n1.2 {b}{a}\n", title(&a, &b));
        units.extend(
            read_curriculum_str_with(Path::new("t.txt"), &toc, &CurriculumOptions::default()).unwrap_or_default(),
        );
        units.push(unit(
            &format!("{a}Teen numbers{b}2"),
            &format!("{b}{a} Subtract within 100{a}: Level{b}2"),
        ));
    }
    assert!(units.len() > HOSTILE.len() * HOSTILE.len());
    match_all(&units);
}

/// A string of hostile pieces and plain words.
fn hostile_string() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        proptest::sample::select(HOSTILE.to_vec()).prop_map(str::to_string),
        proptest::sample::select(vec![
            "fractions",
            "1.1",
            " ",
            ",",
            "\"",
            "\n",
            "\r",
            "4.NF.3",
            "...... 12",
            "#",
            "-"
        ])
        .prop_map(str::to_string),
        any::<char>().prop_map(|c| c.to_string()),
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn no_reader_panics(s in hostile_string()) {
        for name in ["u.csv", "u.json", "u.jsonl", "t.txt", "t.md"] {
            if let Ok(units) = read_curriculum_str(Path::new(name), &s) {
                prop_assert!(!units.is_empty());
            }
        }
        for f in [Format::Csv, Format::Opensalt, Format::Case, Format::AsnJson, Format::AsnRdfJson, Format::AsnXml] {
            let _ = read_framework_str(Path::new("s"), &s, Some(f));
        }
        let _ = read_framework_str(Path::new("s"), &s, None);
        let c = corpus();
        let _ = c.resolve(&s, None);
        let _ = codes::normalize(&s);
    }

    #[test]
    fn matching_a_hostile_title_does_not_panic(t in hostile_string(), text in hostile_string()) {
        match_one(unit(&t, &text));
    }
}
