//! Text clean-up shared by readers: HTML entities and tags, whitespace; and the line format of the
//! word lists shipped in `data/matching/`.
//!
//! Published standards text carries HTML: ASN exports encode it (`&lt;sup&gt;★&lt;/sup&gt;`,
//! `&quot;`), state sets and OpenSALT exports carry raw markup (`<ul><li>`, `<br />`). [`clean`]
//! turns any of these into plain text with single spaces.

// User text is sliced only at char boundaries and indexed only where the index is proven in
// range; the lints make every exception say why.
#![cfg_attr(not(test), warn(clippy::string_slice, clippy::indexing_slicing))]

/// HTML tags that sit inside a word (`x<sup>2</sup>`): removed without leaving a space.
const INLINE_TAGS: &[&str] = &[
    "a", "abbr", "b", "big", "code", "em", "font", "i", "s", "small", "span", "strike", "strong", "sub", "sup", "tt",
    "u",
];

/// Block-level tags: replaced by a space so the words on either side stay apart.
const BLOCK_TAGS: &[&str] = &[
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Named entities that occur in standards text (the XML five, typography, math symbols).
const ENTITIES: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("nbsp", " "),
    ("ndash", "–"),
    ("mdash", "—"),
    ("lsquo", "‘"),
    ("rsquo", "’"),
    ("ldquo", "“"),
    ("rdquo", "”"),
    ("hellip", "…"),
    ("bull", "•"),
    ("middot", "·"),
    ("deg", "°"),
    ("times", "×"),
    ("divide", "÷"),
    ("minus", "−"),
    ("plusmn", "±"),
    ("le", "≤"),
    ("ge", "≥"),
    ("ne", "≠"),
    ("asymp", "≈"),
    ("radic", "√"),
    ("infin", "∞"),
    ("pi", "π"),
    ("theta", "θ"),
    ("frac12", "½"),
    ("frac14", "¼"),
    ("frac34", "¾"),
    ("sup2", "²"),
    ("sup3", "³"),
    ("copy", "©"),
    ("reg", "®"),
    ("trade", "™"),
    ("eacute", "é"),
    ("egrave", "è"),
    ("aacute", "á"),
    ("iacute", "í"),
    ("oacute", "ó"),
    ("uacute", "ú"),
    ("ntilde", "ñ"),
    ("uuml", "ü"),
    ("ouml", "ö"),
    ("auml", "ä"),
    ("ccedil", "ç"),
    ("larr", "←"),
    ("rarr", "→"),
    ("harr", "↔"),
    ("star", "☆"),
];

/// Plain text from publisher text: HTML entities decoded (named, `&#39;`, `&#x2014;`), known HTML
/// tags removed (inline ones such as `<sup>` without a space, block ones such as `<li>` as a
/// space), whitespace collapsed to single spaces and trimmed. A `<` that does not start a known tag
/// (`a < b`, `x<y`) is kept.
pub fn clean(s: &str) -> String {
    let decoded = decode_entities(s);
    let stripped = strip_tags(&decoded);
    collapse_whitespace(&stripped)
}

/// Collapse runs of whitespace (including non-breaking spaces) to one space and trim; control
/// characters that are not whitespace (NUL, DEL, C1 controls) are dropped.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| c.is_whitespace()) {
        if word.chars().all(char::is_control) {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !c.is_control()));
    }
    out
}

/// `s` without control characters other than tab, line feed and carriage return (a NUL pasted
/// into a title says nothing and would split a word for the matcher).
pub fn strip_controls(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if s.contains(bad) {
        std::borrow::Cow::Owned(s.chars().filter(|&c| !bad(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Text as PDFs and word processors paste it, folded to what a reader of the words expects:
/// ligatures spelled out (`ﬁ` -> `fi`, `ﬂ` -> `fl`, `ﬀ`, `ﬃ`, `ﬄ`, `ﬅ`, `ﬆ`), fullwidth ASCII
/// (`Ｇｒａｄｅ５`) as ASCII, the non-breaking and figure hyphens (U+2010, U+2011) and the minus
/// sign of a code (U+2012) as `-`, the one-dot leader (U+2024) as `.`, and zero-width spaces,
/// joiners, word joiners and stray byte-order marks removed. Borrowed when there was nothing to
/// change.
pub fn fold_pasted(s: &str) -> std::borrow::Cow<'_, str> {
    let odd = |c: char| {
        matches!(
            c,
            '\u{fb00}'..='\u{fb06}'
                | '\u{ff01}'..='\u{ff5e}'
                | '\u{2010}'..='\u{2012}'
                | '\u{2024}'
                | '\u{200b}'..='\u{200d}'
                | '\u{2060}'
                | '\u{feff}'
        )
    };
    if !s.contains(odd) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\u{fb00}' => out.push_str("ff"),
            '\u{fb01}' => out.push_str("fi"),
            '\u{fb02}' => out.push_str("fl"),
            '\u{fb03}' => out.push_str("ffi"),
            '\u{fb04}' => out.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
            '\u{ff01}'..='\u{ff5e}' => out.extend(char::from_u32(c as u32 - 0xff01 + 0x21)),
            '\u{2010}'..='\u{2012}' => out.push('-'),
            '\u{2024}' => out.push('.'),
            '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => {}
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Decode HTML character references. Unknown or malformed references are left as they are.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some((before, after)) = rest.split_once('&') {
        out.push_str(before);
        let reference = after.split_once(';').filter(|(name, _)| (1..=10).contains(&name.len()));
        if let Some((c, tail)) = reference.and_then(|(name, tail)| Some((resolve_entity(name)?, tail))) {
            out.push_str(&c);
            rest = tail;
            continue;
        }
        out.push('&');
        rest = after;
    }
    out.push_str(rest);
    out
}

fn resolve_entity(name: &str) -> Option<String> {
    if let Some(num) = name.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse::<u32>().ok()?
        };
        // Windows-1252 code points that HTML maps to typography (&#150; is an en dash).
        let code = match code {
            0x91 => 0x2018,
            0x92 => 0x2019,
            0x93 => 0x201C,
            0x94 => 0x201D,
            0x96 => 0x2013,
            0x97 => 0x2014,
            0x85 => 0x2026,
            c => c,
        };
        return char::from_u32(code).filter(|&c| c != '\0').map(String::from);
    }
    ENTITIES.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
}

/// Remove known HTML tags; see [`clean`].
pub fn strip_tags(s: &str) -> String {
    if !s.contains('<') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some((before, after)) = rest.split_once('<') {
        out.push_str(before);
        match after_tag(after) {
            Some((tail, block)) => {
                if block {
                    out.push(' ');
                }
                rest = tail;
            }
            None => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// When `s` (the text after a `<`) starts with the rest of a known tag (`sup>`, `/li>`, `br />`,
/// `p class="x">`), the text after the tag's `>` and whether it is a block tag.
fn after_tag(s: &str) -> Option<(&str, bool)> {
    let body = s.strip_prefix('/').unwrap_or(s);
    // A name running to the end of the text is no tag: there is no `>`.
    let name_len = body.find(|c: char| !c.is_ascii_alphanumeric())?;
    let (name, after_name) = body.split_at_checked(name_len)?;
    if name.is_empty() {
        return None;
    }
    let name = name.to_ascii_lowercase();
    let next = after_name.chars().next()?;
    if !(next == '>' || next == '/' || next.is_whitespace()) {
        return None;
    }
    let block = if INLINE_TAGS.contains(&name.as_str()) {
        false
    } else if BLOCK_TAGS.contains(&name.as_str()) {
        true
    } else {
        return None;
    };
    let (inside, tail) = s.split_once('>')?;
    // A tag does not span another `<`.
    if inside.contains('<') {
        return None;
    }
    Some((tail, block))
}

/// Undo Mac Roman text that was read as Latin-1 (a spreadsheet export defect): `9Ñ10` for `9—10`,
/// `Ð` for `–`, `É` for `…`, `Õ` for `’`, and C1 control characters such as U+008E for `é`.
/// Only characters that are almost never meant literally in English standards text are mapped;
/// call it only when [`looks_mac_roman`] says the text has the defect.
pub fn fix_mac_roman(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'Ñ' => '—',
            'Ð' => '–',
            'É' => '…',
            'Ò' => '“',
            'Ó' => '”',
            'Ô' => '‘',
            'Õ' => '’',
            '\u{80}' => 'Ä',
            '\u{81}' => 'Å',
            '\u{82}' => 'Ç',
            '\u{83}' => 'É',
            '\u{84}' => 'Ñ',
            '\u{85}' => 'Ö',
            '\u{86}' => 'Ü',
            '\u{87}' => 'á',
            '\u{88}' => 'à',
            '\u{89}' => 'â',
            '\u{8a}' => 'ä',
            '\u{8b}' => 'ã',
            '\u{8c}' => 'å',
            '\u{8d}' => 'ç',
            '\u{8e}' => 'é',
            '\u{8f}' => 'è',
            '\u{90}' => 'ê',
            '\u{91}' => 'ë',
            '\u{92}' => 'í',
            '\u{93}' => 'ì',
            '\u{94}' => 'î',
            '\u{95}' => 'ï',
            '\u{96}' => 'ñ',
            '\u{97}' => 'ó',
            '\u{98}' => 'ò',
            '\u{99}' => 'ô',
            '\u{9a}' => 'ö',
            '\u{9b}' => 'õ',
            '\u{9c}' => 'ú',
            '\u{9d}' => 'ù',
            '\u{9e}' => 'û',
            '\u{9f}' => 'ü',
            c => c,
        })
        .collect()
}

/// True when the text shows the Mac Roman as Latin-1 defect: a C1 control character, or `Ñ`/`Ð`
/// between two digits (`9Ñ10`, a grade band whose dash was mangled).
pub fn looks_mac_roman(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    chars.iter().any(|c| ('\u{80}'..='\u{9f}').contains(c))
        || chars
            .windows(3)
            .any(|w| matches!(w, [a, 'Ñ' | 'Ð', b] if a.is_ascii_digit() && b.is_ascii_digit()))
}

/// The entries of a shipped word list (`data/matching/*`): trimmed lines, without blank lines and
/// `#` comments.
pub fn list_entries(s: &str) -> impl Iterator<Item = &str> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The `left<TAB>right` entries of a shipped word list, each side trimmed.
pub fn list_pairs(s: &str) -> impl Iterator<Item = (&str, &str)> {
    list_entries(s)
        .filter_map(|l| l.split_once('\t'))
        .map(|(a, b)| (a.trim(), b.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_entities() {
        assert_eq!(clean("&quot;Does this make sense?&quot;"), "\"Does this make sense?\"");
        assert_eq!(clean("a &lt; b &amp;&amp; c &gt; d"), "a < b && c > d");
        assert_eq!(clean("it&#39;s &#x2014; &#8226; &#150;"), "it's — • –");
        assert_eq!(clean("AT&T; & more &unknown;"), "AT&T; & more &unknown;");
    }

    #[test]
    fn strips_tags() {
        assert_eq!(clean("Quantities&lt;sup&gt;★&lt;/sup&gt;"), "Quantities★");
        assert_eq!(clean("x<sup>2</sup> + 1"), "x2 + 1");
        assert_eq!(clean("Spell<ul> <li>words</li><li>more</li></ul>"), "Spell words more");
        assert_eq!(clean("line one.<br />line two"), "line one. line two");
        assert_eq!(clean("if x<y and y>z"), "if x<y and y>z");
        assert_eq!(clean("a <b and c"), "a <b and c");
    }

    #[test]
    fn tags_and_entities_at_text_edges() {
        assert_eq!(strip_tags("x<sup"), "x<sup");
        assert_eq!(strip_tags("é<b>é</b>é<"), "ééé<");
        assert_eq!(strip_tags("<br <b>x"), "<br x");
        assert_eq!(strip_tags("<é>"), "<é>");
        assert_eq!(decode_entities("&"), "&");
        assert_eq!(decode_entities("é&é;&amp;"), "é&é;&");
        assert_eq!(decode_entities("&;&amp"), "&;&amp");
        assert!(!looks_mac_roman("Ñ9"));
    }

    #[test]
    fn collapses_whitespace() {
        assert_eq!(clean("  two\n\t words \u{a0} "), "two words");
        assert_eq!(clean(""), "");
    }

    #[test]
    fn folds_what_pdfs_paste() {
        assert_eq!(
            fold_pasted("Simpli\u{fb01}ed \u{fb02}uency, e\u{fb00}ort"),
            "Simplified fluency, effort"
        );
        assert_eq!(
            fold_pasted("(5\u{2010}NF\u{2011}B\u{2010}7) 5\u{2024}NBT\u{2024}A\u{2024}3"),
            "(5-NF-B-7) 5.NBT.A.3"
        );
        assert_eq!(
            fold_pasted("\u{ff27}\u{ff52}\u{ff41}\u{ff44}\u{ff45} \u{ff15}"),
            "Grade 5"
        );
        assert_eq!(fold_pasted("2.5\u{200b} Divide\u{feff}"), "2.5 Divide");
        assert!(matches!(
            fold_pasted("plain — text, ½ and é"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn mac_roman() {
        assert!(looks_mac_roman("grades 9Ñ10 band"));
        assert!(!looks_mac_roman("Señor Ñandú"));
        assert_eq!(fix_mac_roman("grades 9Ñ10, us\u{8e}e"), "grades 9—10, usée");
    }
}
