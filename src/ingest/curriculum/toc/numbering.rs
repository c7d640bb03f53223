//! Numbering of TOC entries: the keywords (`Part`, `Unit`, `Module`, `Chapter`, `Topic`,
//! `Section`, `Lesson`) with their numbers, the abbreviations `Ch. 3` and `L4`, and decimal numbers
//! (`3`, `3.2`, `3.2.1`, `5-1`). It reads the number at the start of a line ([`parse_number`]) and
//! tells what class of entry it makes ([`Class`]); the outline ranks the classes.

/// Numbering keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Kw {
    Part,
    Unit,
    Module,
    Chapter,
    Topic,
    Section,
    Lesson,
}

impl Kw {
    fn slug(self) -> &'static str {
        match self {
            Kw::Part => "part",
            Kw::Unit => "unit",
            Kw::Module => "module",
            Kw::Chapter => "chapter",
            Kw::Topic => "topic",
            Kw::Section => "section",
            Kw::Lesson => "lesson",
        }
    }

    fn from_word(w: &str) -> Option<Kw> {
        Some(match w.to_ascii_lowercase().trim_end_matches('.') {
            "part" => Kw::Part,
            "unit" => Kw::Unit,
            "module" | "mod" => Kw::Module,
            "chapter" | "chap" | "ch" => Kw::Chapter,
            "topic" => Kw::Topic,
            "section" | "sec" => Kw::Section,
            "lesson" | "les" => Kw::Lesson,
            _ => return None,
        })
    }
}

/// The numbering class of an entry, used to rank entries without indentation or headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Class {
    Kw(Kw),
    /// Decimal numbering with this many components.
    Dec(usize),
}

impl Class {
    /// Classes whose unnumbered followers (at the same indentation) are their children.
    pub(super) fn is_container(self) -> bool {
        matches!(self, Class::Kw(k) if k != Kw::Lesson) || self == Class::Dec(1)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Numbering {
    pub(super) class: Class,
    /// The number as written, normalised: `3`, `3.2`, `A`, `IV`.
    pub(super) num: String,
    /// The label as written (`Chapter 3`), used as the title when there is none.
    pub(super) label: String,
}

impl Numbering {
    pub(super) fn id(&self) -> String {
        match self.class {
            Class::Kw(k) => format!("{}-{}", k.slug(), self.num.to_ascii_lowercase()),
            Class::Dec(_) => self.num.clone(),
        }
    }
}

fn is_roman(s: &str) -> bool {
    !s.is_empty() && s.len() <= 5 && s.chars().all(|c| "IVX".contains(c))
}

/// `Chapter 3: Title`, `Unit 2 – Title`, `Part A`, `Lesson 4.`, `L4 Title`, `3.2 Title`, `5-1 Title`.
pub(super) fn parse_number(s: &str) -> Option<(Numbering, &str)> {
    // The first word, and what follows it from the whitespace on.
    let (first, after_first) = s
        .find(char::is_whitespace)
        .and_then(|end| s.split_at_checked(end))
        .unwrap_or((s, ""));
    // Keyword + number.
    if let Some(kw) = Kw::from_word(first) {
        let after = after_first.trim_start();
        let (tok, rest) = after
            .find(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | ')' | '—' | '–'))
            .and_then(|end| after.split_at_checked(end))
            .unwrap_or((after, ""));
        let tok_clean = tok.trim_end_matches(['.', '-']);
        if valid_kw_number(tok_clean) {
            let label = format!("{} {}", first, tok_clean);
            return Some((
                Numbering {
                    class: Class::Kw(kw),
                    num: tok_clean.to_string(),
                    label,
                },
                rest,
            ));
        }
        return None;
    }
    // `Ch.3`, `Ch3`, `L4`, `L4.2`
    for (prefix, kw) in [("Ch.", Kw::Chapter), ("Ch", Kw::Chapter), ("L", Kw::Lesson)] {
        if let Some(r) = first.strip_prefix(prefix) {
            let r = r.trim_end_matches([':', '.']);
            if !r.is_empty() && r.starts_with(|c: char| c.is_ascii_digit()) && valid_decimal(r).is_some() {
                let label = first.trim_end_matches([':', '.']).to_string();
                return Some((
                    Numbering {
                        class: Class::Kw(kw),
                        num: r.to_string(),
                        label,
                    },
                    after_first,
                ));
            }
        }
    }
    // Decimal.
    if first.starts_with(|c: char| c.is_ascii_digit()) {
        let explicit = first.ends_with(['.', ':', ')']);
        let tok = first.trim_end_matches(['.', ':', ')']);
        let comps = valid_decimal(tok)?;
        let rest = after_first;
        if let [only] = comps.as_slice() {
            // A bare "12 Title" only with a capitalised title; "1000" is no chapter number.
            if only.len() > 2 {
                return None;
            }
            if !explicit && !rest.trim_start().starts_with(|c: char| c.is_uppercase()) {
                return None;
            }
        }
        if rest.trim().is_empty() && !explicit && comps.len() == 1 {
            return None;
        }
        let num = comps.join(".");
        return Some((
            Numbering {
                class: Class::Dec(comps.len()),
                num: num.clone(),
                label: num,
            },
            rest,
        ));
    }
    None
}

fn valid_kw_number(t: &str) -> bool {
    if t.is_empty() {
        return false;
    }
    if valid_decimal(t).is_some() {
        return true;
    }
    if t.len() == 1 && t.chars().all(|c| c.is_ascii_uppercase()) {
        return true;
    }
    if is_roman(t) {
        return true;
    }
    // `1A`, `2B`
    let letter = t.trim_start_matches(|c: char| c.is_ascii_digit());
    let d = t.len() - letter.len(); // ASCII digits: bytes are chars
    d > 0 && d <= 3 && letter.len() == 1 && letter.chars().all(|c| c.is_ascii_uppercase())
}

/// `3`, `3.2`, `3.2.1`, `5-1`: components of at most 3 digits.
fn valid_decimal(t: &str) -> Option<Vec<&str>> {
    let comps: Vec<&str> = t.split(['.', '-', '–']).collect();
    let ok = !comps.is_empty()
        && comps.len() <= 4
        && comps
            .iter()
            .all(|c| !c.is_empty() && c.len() <= 3 && c.chars().all(|ch| ch.is_ascii_digit()));
    ok.then_some(comps)
}
