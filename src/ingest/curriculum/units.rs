//! Unit lists: CSV, a JSON array (or an object with a `units` array), or JSON Lines.
//!
//! Recognised fields (names case-insensitive, others ignored): `id`, `title`, `text` or
//! `description`, `grade`, `subject`, `standards` (also `claimed`, `codes`), `page` (or `pages`),
//! and, for an outline given as rows, `parent` (the id of the row it belongs to) or `level`
//! (module, topic, lesson...): see [`nest`].
//! Every error names the file and the line of the record. A title that names a review or an
//! assessment gives the unit that role ([`UnitRole::of_title`]).

use super::toc::CONTEXT_DEPTH;
use crate::error::{Error, Location, Result};
use crate::ingest::csv_guard;
use crate::model::{GradeRange, Unit, UnitRole};
use crate::text::{fold_pasted, strip_controls};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::Path;

/// The serialisations a unit list comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitsFormat {
    Csv,
    /// A JSON array of objects, an object with a `units` array, or a single object. Text starting
    /// with `{` whose first line is a complete object is read as JSON Lines.
    Json,
    Jsonl,
}

impl UnitsFormat {
    /// The format implied by a file extension (`csv`, `tsv`, `json`, `jsonl`, `ndjson`).
    pub fn from_path(path: &Path) -> Option<UnitsFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "tsv" => Some(UnitsFormat::Csv),
            "json" => Some(UnitsFormat::Json),
            "jsonl" | "ndjson" => Some(UnitsFormat::Jsonl),
            _ => None,
        }
    }
}

/// Read a unit list in the given format. `path` is used for error locations and `origin`.
pub fn read_units(path: &Path, text: &str, format: UnitsFormat) -> Result<Vec<Unit>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Error::input(Location::file(path), "file is empty"));
    }
    let rows = match format {
        UnitsFormat::Csv => read_csv(path, text)?,
        UnitsFormat::Jsonl => read_jsonl(path, text)?,
        UnitsFormat::Json => {
            if text.trim_start().starts_with('{') && looks_like_jsonl(text) {
                read_jsonl(path, text)?
            } else {
                read_json(path, text)?
            }
        }
    };
    if rows.is_empty() {
        return Err(Error::input(Location::file(path), "no units in file"));
    }
    nest(rows)
}

/// A unit as read, with what places it in an outline: the id of the row it belongs to (`parent`)
/// or its level (`level`: module, topic, lesson...), and where it was read.
struct Row {
    unit: Unit,
    parent: Option<String>,
    level: Option<String>,
    at: Location,
}

/// Nest the rows of an outline, as a table of contents nests its lines: each row's `parent` (the
/// id of an earlier row), or, in a file whose rows have a `level` and no `parent`, the nearest
/// earlier row of an outer level. Levels are ranked by their first appearance in the file (a
/// course outline names its modules before their topics, its topics before their lessons), so
/// any vocabulary works: module/topic/lesson, unit/chapter/section. A row's context is then the
/// titles of its nearest [`CONTEXT_DEPTH`] ancestors, outermost first, as in a table of contents.
fn nest(rows: Vec<Row>) -> Result<Vec<Unit>> {
    let by_parent = rows.iter().any(|r| r.parent.is_some());
    let by_level = !by_parent && rows.iter().any(|r| r.level.is_some());
    let mut units: Vec<Unit> = Vec::with_capacity(rows.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut ranks: HashMap<String, usize> = HashMap::new();
    // The open rows of outer levels, innermost last: (rank, position).
    let mut open: Vec<(usize, usize)> = Vec::new();
    for r in rows {
        let Row {
            mut unit,
            parent,
            level,
            at,
        } = r;
        let i = units.len();
        if by_parent {
            if let Some(p) = parent.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
                let Some(&pi) = seen.get(p) else {
                    return Err(Error::input(
                        at,
                        format!("`parent` {p:?} is not the id of an earlier row (a row's parent comes before it)"),
                    ));
                };
                unit.parent = Some(pi);
            }
        } else if by_level {
            if let Some(l) = level
                .as_deref()
                .map(|l| l.trim().to_lowercase())
                .filter(|l| !l.is_empty())
            {
                let n = ranks.len();
                let rank = *ranks.entry(l).or_insert(n);
                while open.last().is_some_and(|&(r, _)| r >= rank) {
                    open.pop();
                }
                unit.parent = open.last().map(|&(_, p)| p);
                open.push((rank, i));
            }
        }
        if let Some(p) = unit.parent.and_then(|p| units.get(p)) {
            let c = &p.context;
            unit.context = c
                .iter()
                .skip((c.len() + 1).saturating_sub(CONTEXT_DEPTH))
                .chain(std::iter::once(&p.title))
                .cloned()
                .collect();
        }
        seen.entry(unit.id.clone()).or_insert(i);
        units.push(unit);
    }
    Ok(units)
}

/// True when the first non-blank line is a complete JSON object and more non-blank lines follow.
fn looks_like_jsonl(text: &str) -> bool {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let first_ok = lines
        .next()
        .is_some_and(|l| matches!(serde_json::from_str::<Value>(l), Ok(Value::Object(_))));
    first_ok && lines.next().is_some()
}

fn loc(path: &Path, line: u64, pointer: Option<String>) -> Location {
    Location {
        path: path.to_path_buf(),
        line: Some(line),
        pointer,
    }
}

// ---------------------------------------------------------------------------------------------
// JSON

fn read_jsonl(path: &Path, text: &str) -> Result<Vec<Row>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i as u64 + 1;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).map_err(|e| {
            Error::input(
                loc(path, n, None),
                format!("malformed JSON at column {}: {}", e.column(), json_message(&e)),
            )
        })?;
        match v {
            Value::Object(m) => out.push(unit_from_object(path, n, None, &m)?),
            other => {
                return Err(Error::input(
                    loc(path, n, None),
                    format!("expected a JSON object per line, found {}", kind_of(&other)),
                ))
            }
        }
    }
    Ok(out)
}

fn read_json(path: &Path, text: &str) -> Result<Vec<Row>> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        Error::input(
            loc(path, e.line() as u64, None),
            format!("malformed JSON at column {}: {}", e.column(), json_message(&e)),
        )
    })?;
    let starts = element_lines(text);
    let (items, prefix): (&Vec<Value>, &str) = match &v {
        Value::Array(a) => (a, "$"),
        Value::Object(m) => {
            let key = m.keys().find(|k| k.eq_ignore_ascii_case("units"));
            match key.and_then(|k| m.get(k)) {
                Some(Value::Array(a)) => (a, "$.units"),
                Some(other) => {
                    return Err(Error::input(
                        Location::pointer(path, "$.units"),
                        format!("`units` must be an array, found {}", kind_of(other)),
                    ))
                }
                None => return Ok(vec![unit_from_object(path, first_line(text), Some("$".into()), m)?]),
            }
        }
        other => {
            return Err(Error::input(
                loc(path, first_line(text), None),
                format!("expected a JSON array of unit objects, found {}", kind_of(other)),
            ))
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        // `starts` is exact for a top-level array; for `{"units": [...]}` it is recomputed below.
        let line = if prefix == "$" { starts.get(i).copied() } else { None }
            .or_else(|| units_element_line(text, i))
            .unwrap_or(1);
        let pointer = format!("{prefix}[{i}]");
        match item {
            Value::Object(m) => out.push(unit_from_object(path, line, Some(pointer), m)?),
            other => {
                return Err(Error::input(
                    loc(path, line, Some(pointer)),
                    format!("expected a unit object, found {}", kind_of(other)),
                ))
            }
        }
    }
    Ok(out)
}

fn first_line(text: &str) -> u64 {
    let leading = text.chars().take_while(|c| c.is_whitespace());
    leading.filter(|&c| c == '\n').count() as u64 + 1
}

/// Line numbers where the elements of the outermost array start (text must be valid JSON).
fn element_lines(text: &str) -> Vec<u64> {
    array_element_lines(text, 0)
}

/// Lines where the elements of the first array at or after byte `start` begin.
fn array_element_lines(text: &str, start: usize) -> Vec<u64> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut in_str = false;
    let mut esc = false;
    let mut expect_value = false;
    let Some((before, from_start)) = text.split_at_checked(start) else {
        return out;
    };
    let mut line = 1 + before.matches('\n').count() as u64;
    for c in from_start.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_str {
            if esc {
                esc = false;
            } else if c == '\\' {
                esc = true;
            } else if c == '"' {
                in_str = false;
            }
            continue;
        }
        if depth == 1 && expect_value && !c.is_whitespace() && c != ']' {
            out.push(line);
            expect_value = false;
        }
        match c {
            '"' => in_str = true,
            '[' | '{' => {
                depth += 1;
                if depth == 1 {
                    if c == '{' {
                        return out; // not an array
                    }
                    expect_value = true;
                }
            }
            ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return out;
                }
            }
            ',' if depth == 1 => expect_value = true,
            _ => {}
        }
    }
    out
}

/// Line of element `i` of the `units` array in `{"units": [...]}`.
fn units_element_line(text: &str, i: usize) -> Option<u64> {
    let lower = text.to_ascii_lowercase();
    let key = lower.find("\"units\"")?;
    // `lower` has the same byte offsets as `text`.
    let open = key + text.get(key..)?.find('[')?;
    array_element_lines(text, open).get(i).copied()
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Fields of one record, already reduced to strings.
#[derive(Default)]
struct Fields {
    id: Option<String>,
    title: Option<String>,
    text: Option<String>,
    grade: Option<String>,
    subject: Option<String>,
    standards: Vec<String>,
    page: Option<String>,
    parent: Option<String>,
    level: Option<String>,
}

fn unit_from_object(path: &Path, line: u64, pointer: Option<String>, m: &Map<String, Value>) -> Result<Row> {
    let at = |field: &str| {
        let p = pointer.as_ref().map(|p| format!("{p}.{field}"));
        loc(path, line, p)
    };
    let get = |names: &[&str]| -> Option<(&str, &Value)> {
        names.iter().find_map(|n| {
            m.iter()
                .find(|(k, _)| k.trim().eq_ignore_ascii_case(n))
                .map(|(k, v)| (k.as_str(), v))
        })
    };
    let string = |names: &[&str], allow_number: bool| -> Result<Option<String>> {
        match get(names) {
            None | Some((_, Value::Null)) => Ok(None),
            Some((_, Value::String(s))) => Ok(Some(s.clone())),
            Some((_, Value::Number(n))) if allow_number => Ok(Some(n.to_string())),
            Some((k, other)) => Err(Error::input(
                at(k),
                format!("field `{k}` must be a string, found {}", kind_of(other)),
            )),
        }
    };
    let mut f = Fields {
        id: string(&["id"], true)?,
        title: string(&["title"], false)?,
        text: match string(&["text"], false)? {
            Some(t) if !t.trim().is_empty() => Some(t),
            _ => string(&["description"], false)?,
        },
        subject: string(&["subject"], false)?,
        page: string(&["page", "pages"], true)?,
        parent: string(&["parent"], true)?,
        level: string(&["level"], false)?,
        ..Fields::default()
    };
    f.grade = match get(&["grade", "grades"]) {
        None | Some((_, Value::Null)) => None,
        Some((_, Value::String(s))) => Some(s.clone()),
        Some((_, Value::Number(n))) => Some(n.to_string()),
        Some((k, Value::Array(a))) => {
            let mut parts = Vec::new();
            for v in a {
                match v {
                    Value::String(s) => parts.push(s.clone()),
                    Value::Number(n) => parts.push(n.to_string()),
                    other => {
                        return Err(Error::input(
                            at(k),
                            format!("field `{k}` must hold grades as strings, found {}", kind_of(other)),
                        ))
                    }
                }
            }
            Some(parts.join("/"))
        }
        Some((k, other)) => {
            return Err(Error::input(
                at(k),
                format!("field `{k}` must be a string, found {}", kind_of(other)),
            ))
        }
    };
    if let Some((k, v)) = get(&["standards", "claimed", "codes"]) {
        match v {
            Value::Null => {}
            Value::String(s) => f.standards = split_codes(s),
            Value::Array(a) => {
                for item in a {
                    match item {
                        Value::String(s) => f.standards.extend(split_codes(s)),
                        other => {
                            return Err(Error::input(
                                at(k),
                                format!("field `{k}` must be a list of strings, found {} in it", kind_of(other)),
                            ))
                        }
                    }
                }
            }
            other => {
                return Err(Error::input(
                    at(k),
                    format!(
                        "field `{k}` must be a string or a list of strings, found {}",
                        kind_of(other)
                    ),
                ))
            }
        }
    }
    build_unit(path, line, pointer.as_deref(), f)
}

// ---------------------------------------------------------------------------------------------
// CSV

fn read_csv(path: &Path, text: &str) -> Result<Vec<Row>> {
    let delim = csv_guard::sniff_delimiter(text);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let csv_err = |e: csv::Error| {
        let line = e
            .position()
            .map(|p| csv_guard::line_at(text, p.byte() as usize))
            .unwrap_or(1);
        Error::input(
            Location::line(path, line),
            format!("malformed CSV: {}", csv_message(&e)),
        )
    };
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            // An unclosed quote in the header: say where it opens.
            csv_guard::check_quotes(path, text, delim, 0, false, &|_| false)?;
            return Err(csv_err(e));
        }
    };
    let header_lineno = first_line(text);
    let col = |names: &[&str]| -> Option<usize> {
        names
            .iter()
            .find_map(|n| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(n)))
    };
    let c_title = col(&["title"]);
    let c_text = col(&["text"]);
    let c_desc = col(&["description"]);
    if c_title.is_none() && c_text.is_none() && c_desc.is_none() {
        return Err(Error::input(
            Location::line(path, header_lineno),
            format!(
                "missing required column `title` or `text`/`description` (header has: {})",
                headers.iter().collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let c_id = col(&["id"]);
    let c_grade = col(&["grade", "grades"]);
    let c_subject = col(&["subject"]);
    let c_std = col(&["standards", "claimed", "codes"]);
    let c_page = col(&["page", "pages"]);
    let c_parent = col(&["parent"]);
    let c_level = col(&["level"]);
    // A line that looks like a row: its grade cell is a grade, else its id cell one word.
    let looks_like_row = |cells: &[&str]| match (c_grade, c_id) {
        (Some(g), _) => cells
            .get(g)
            .is_some_and(|g| !g.is_empty() && GradeRange::parse(g).is_some()),
        (None, Some(i)) => cells
            .get(i)
            .is_some_and(|id| !id.is_empty() && !id.contains(char::is_whitespace)),
        (None, None) => true,
    };
    csv_guard::check_quotes(path, text, delim, headers.len(), c_grade.is_some(), &looks_like_row)?;
    let mut out = Vec::new();
    let lines = csv_guard::Lines::new(text);
    for rec in rdr.records() {
        let rec = rec.map_err(csv_err)?;
        // From the byte offset: the csv crate's own line count lags after CRLF line ends.
        let line = rec.position().map(|p| lines.line_at(p.byte() as usize)).unwrap_or(0);
        if rec.iter().all(|c| c.is_empty()) {
            continue;
        }
        if rec.len() > headers.len() && rec.iter().skip(headers.len()).any(|c| !c.is_empty()) {
            return Err(Error::input(
                Location::line(path, line),
                format!(
                    "row has {} cells but the header has {} (quote cells that contain the delimiter)",
                    rec.len(),
                    headers.len()
                ),
            ));
        }
        let cell = |c: Option<usize>| c.and_then(|i| rec.get(i)).filter(|s| !s.is_empty()).map(str::to_string);
        let f = Fields {
            id: cell(c_id),
            title: cell(c_title),
            text: cell(c_text).or_else(|| cell(c_desc)),
            grade: cell(c_grade),
            subject: cell(c_subject),
            standards: cell(c_std).map(|s| split_codes(&s)).unwrap_or_default(),
            page: cell(c_page),
            parent: cell(c_parent),
            level: cell(c_level),
        };
        out.push(build_unit(path, line, None, f)?);
    }
    Ok(out)
}

/// serde_json's message without its own " at line L column C" (the location names them), and
/// with the nesting limit said plainly.
fn json_message(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    if msg.starts_with("recursion limit exceeded") {
        return "nested more than 127 arrays and objects deep".to_string();
    }
    match msg.rfind(" at line ") {
        Some(i) => msg.get(..i).unwrap_or(&msg).to_string(),
        None => msg,
    }
}

/// The csv crate's message without its own position (the location already names the line).
fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".to_string(),
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("expected {expected_len} cells, found {len}")
        }
        _ => e.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// shared

/// Split a cell of codes on `;`, `,` and whitespace (a code pasted from a PDF with spaces,
/// `5. NF. B. 5`, stays one code).
pub fn split_codes(s: &str) -> Vec<String> {
    let s = crate::codes::join_spaced_codes(&fold_pasted(s)).into_owned();
    s.split(|c: char| c == ';' || c == ',' || c == '|' || c.is_whitespace())
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

fn build_unit(path: &Path, line: u64, pointer: Option<&str>, f: Fields) -> Result<Row> {
    let at = |field: &str| loc(path, line, pointer.map(|p| format!("{p}.{field}")));
    let clean = |s: Option<&str>| fold_pasted(&strip_controls(s.unwrap_or_default())).trim().to_string();
    let title = clean(f.title.as_deref());
    let text = clean(f.text.as_deref());
    if title.is_empty() && text.is_empty() {
        return Err(Error::input(
            loc(path, line, pointer.map(str::to_string)),
            "unit has neither a title nor a text/description",
        ));
    }
    let grade = match f.grade.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
        None => None,
        Some(g) => Some(GradeRange::parse(g).ok_or_else(|| {
            Error::input(
                at("grade"),
                format!(
                    "field `grade`: not a grade or grade band: {g:?} (accepted: {})",
                    crate::model::GRADE_SPELLINGS
                ),
            )
        })?),
    };
    let id =
        f.id.map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| format!("row-{line}"));
    let subject = f.subject.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let mut claimed: Vec<String> = Vec::new();
    for c in f.standards {
        if !claimed.contains(&c) {
            claimed.push(c);
        }
    }
    let role = UnitRole::of_title(&title);
    let unit = Unit {
        id,
        title,
        text,
        grade,
        subject,
        claimed,
        parent: None,
        context: Vec::new(),
        origin: format!("{}:{line}", path.display()),
        page: f.page.map(|p| p.trim().to_string()).filter(|p| !p.is_empty()),
        role,
    };
    Ok(Row {
        unit,
        parent: f.parent,
        level: f.level,
        at: loc(path, line, pointer.map(|p| format!("{p}.parent"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("u.jsonl")
    }

    #[test]
    fn csv_origins_count_crlf_lines() {
        let text = "id,title\r\na,Adding\r\n\r\nb,Subtracting\r\n";
        let u = read_units(Path::new("u.csv"), text, UnitsFormat::Csv).unwrap();
        assert_eq!(u[0].origin, "u.csv:2");
        assert_eq!(u[1].origin, "u.csv:4");
    }

    #[test]
    fn grade_cells_use_the_model_vocabulary() {
        let text = "title,grade\nA,Grades 3-5\nB,8/G-CO\nC,4th grade\nD,Kindergarten\n";
        let u = read_units(Path::new("u.csv"), text, UnitsFormat::Csv).unwrap();
        let g: Vec<String> = u.iter().map(|u| u.grade.unwrap().to_string()).collect();
        assert_eq!(g, ["3-5", "8-12", "4", "K"]);
        let e = read_units(Path::new("u.csv"), "title,grade\nA,fourth-ish\n", UnitsFormat::Csv).unwrap_err();
        assert!(e.to_string().contains("not a grade or grade band"), "{e}");
    }

    #[test]
    fn split_codes_separators() {
        assert_eq!(
            split_codes("4.NF.3; 4.NF.4,4.NF.5  6.EE.A.2c"),
            ["4.NF.3", "4.NF.4", "4.NF.5", "6.EE.A.2c"]
        );
        assert!(split_codes(" ; ").is_empty());
    }

    #[test]
    fn element_lines_of_array() {
        let t = "[\n {\"a\": \"[,{\"},\n\n {\"b\": [1,2]}, 3\n]";
        assert_eq!(element_lines(t), vec![2, 4, 4]);
    }

    #[test]
    fn jsonl_numbers_and_aliases() {
        let t =
            "{\"ID\": 7, \"Title\": \"A\", \"Description\": \"d\", \"grade\": 4, \"Standards\": \"4.NF.3, 4.NF.4\"}\n";
        let u = read_units(p(), t, UnitsFormat::Jsonl).unwrap();
        assert_eq!(u[0].id, "7");
        assert_eq!(u[0].text, "d");
        assert_eq!(u[0].grade.unwrap().to_string(), "4");
        assert_eq!(u[0].claimed, ["4.NF.3", "4.NF.4"]);
        assert_eq!(u[0].origin, "u.jsonl:1");
    }

    #[test]
    fn levels_nest_rows_by_first_appearance() {
        let t = concat!(
            "{\"id\": \"m1\", \"level\": \"Module\", \"title\": \"Congruence\"}\n",
            "{\"id\": \"t1\", \"level\": \"topic\", \"title\": \"Constructions\"}\n",
            "{\"id\": \"l1\", \"level\": \"lesson\", \"title\": \"Bisect an angle\"}\n",
            "{\"id\": \"t2\", \"level\": \"topic\", \"title\": \"Rigid motions\"}\n",
            "{\"id\": \"l2\", \"level\": \"lesson\", \"title\": \"Rotations\"}\n",
            "{\"id\": \"m2\", \"level\": \"module\", \"title\": \"Similarity\"}\n",
            "{\"id\": \"l3\", \"level\": \"lesson\", \"title\": \"Dilations\"}\n",
            "{\"id\": \"x\", \"title\": \"No level: a row of its own\"}\n",
        );
        let u = read_units(p(), t, UnitsFormat::Jsonl).unwrap();
        let parents: Vec<Option<usize>> = u.iter().map(|u| u.parent).collect();
        assert_eq!(parents, [None, Some(0), Some(1), Some(0), Some(3), None, Some(5), None]);
        assert_eq!(u[4].context, ["Congruence", "Rigid motions"]);
        assert_eq!(u[6].context, ["Similarity"]);
        assert!(u[7].context.is_empty());
    }

    #[test]
    fn parents_name_earlier_rows_and_keep_the_nearest_ancestors() {
        let mut t = String::from("id,parent,title\n");
        for i in 0..7 {
            let parent = if i == 0 { String::new() } else { format!("r{}", i - 1) };
            t.push_str(&format!("r{i},{parent},Level {i}\n"));
        }
        let u = read_units(Path::new("u.csv"), &t, UnitsFormat::Csv).unwrap();
        assert_eq!(u[6].parent, Some(5));
        assert_eq!(u[6].context, ["Level 2", "Level 3", "Level 4", "Level 5"]);
        let bad = "id,parent,title\na,b,First\nb,,Second\n";
        let e = read_units(Path::new("u.csv"), bad, UnitsFormat::Csv)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("u.csv:2") && e.contains("\"b\" is not the id of an earlier row"),
            "{e}"
        );
    }

    #[test]
    fn outline_rows_with_quotes_and_non_ascii_levels_nest_and_keep_every_row() {
        // A quoted id with the delimiter in it, curly quotes and an en dash in titles, and levels
        // in Spanish with accents (compared in lower case).
        let t = "id,parent,level,title\n\
                 \"m1, álgebra\",,Módulo,\u{201c}Funciones\u{201d} \u{2013} introducción\n\
                 l1,\"m1, álgebra\",LECCIÓN,Pendiente\n\
                 l2,\"m1, álgebra\",lección,\"Tasa \"\"media\"\" de cambio\"\n";
        let u = read_units(Path::new("u.csv"), t, UnitsFormat::Csv).unwrap();
        assert_eq!(u.len(), 3);
        assert_eq!(u[1].parent, Some(0));
        assert_eq!(u[2].title, "Tasa \"media\" de cambio");
        assert_eq!(u[2].context, ["\u{201c}Funciones\u{201d} \u{2013} introducción"]);
        // By level alone: the two spellings of one level are one level.
        let t = "id,level,title\nm,Módulo,Funciones\na,LECCIÓN,Pendiente\nb,lección,Tasa\n";
        let u = read_units(Path::new("u.csv"), t, UnitsFormat::Csv).unwrap();
        assert_eq!((u[1].parent, u[2].parent), (Some(0), Some(0)));
        // An unclosed quote in a parent cell is an error naming the line.
        let e = read_units(Path::new("u.csv"), "id,parent,title\na,,A\nb,\"a,B\n", UnitsFormat::Csv)
            .unwrap_err()
            .to_string();
        assert!(e.contains("u.csv:3"), "{e}");
    }

    #[test]
    fn single_line_json_with_object_is_one_unit() {
        let u = read_units(Path::new("u.json"), "{\"title\": \"A\"}", UnitsFormat::Json).unwrap();
        assert_eq!(u.len(), 1);
        assert_eq!(u[0].id, "row-1");
    }

    #[test]
    fn units_wrapper_object_lines() {
        let t = "{\"units\": [\n {\"title\": \"A\"},\n {\"title\": 5}\n]}";
        let e = read_units(Path::new("w.json"), t, UnitsFormat::Json)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("w.json:3 at $.units[1].title"), "{e}");
    }
}
