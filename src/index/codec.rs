//! The stored frameworks (`corpus.bin`): every framework as read, in a compact binary form that
//! decodes without parsing text (lengths before strings and lists, little-endian integers), about
//! four times faster than the JSON it replaces. Decoding checks every length against what is left,
//! so a damaged file is an error, never a panic or a huge allocation.

use crate::model::{Association, Framework, Grade, Kind, Note, Standard};

const MAGIC: &[u8; 8] = b"ALGNCRP1";

struct W(Vec<u8>);

impl W {
    fn u32(&mut self, x: u32) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.0.push(1);
                self.str(s);
            }
            None => self.0.push(0),
        }
    }
    fn opt_u32(&mut self, x: Option<usize>) {
        self.u32(x.map_or(u32::MAX, |x| x as u32));
    }
}

/// Encode frameworks.
pub fn encode(fws: &[Framework]) -> Vec<u8> {
    let mut w = W(Vec::with_capacity(1 << 20));
    w.0.extend_from_slice(MAGIC);
    w.u32(fws.len() as u32);
    for f in fws {
        for s in [&f.id, &f.title, &f.jurisdiction, &f.subject, &f.source, &f.license] {
            w.str(s);
        }
        w.u32(f.standards.len() as u32);
        for s in &f.standards {
            w.str(&s.uri);
            w.opt_str(s.code.as_deref());
            w.u32(s.alt_codes.len() as u32);
            for c in &s.alt_codes {
                w.str(c);
            }
            w.str(&s.text);
            w.0.push(Kind::ALL.iter().position(|k| *k == s.kind).unwrap_or(0) as u8);
            w.opt_str(s.label.as_deref());
            w.u32(s.grades.len() as u32);
            for g in &s.grades {
                w.0.push(g.0 as u8);
            }
            w.opt_u32(s.parent);
            w.u32(s.children.len() as u32);
            for &c in &s.children {
                w.u32(c as u32);
            }
            w.u32(s.notes.len() as u32);
            for n in &s.notes {
                w.str(&n.kind);
                w.str(&n.text);
            }
            w.u32(s.associations.len() as u32);
            for a in &s.associations {
                w.str(&a.kind);
                w.str(&a.target);
                w.opt_str(a.target_code.as_deref());
            }
        }
    }
    w.0
}

struct R<'a> {
    b: &'a [u8],
    at: usize,
}

type Res<T> = std::result::Result<T, String>;

impl<'a> R<'a> {
    fn take(&mut self, n: usize) -> Res<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.b.len());
        let end = end.ok_or_else(|| format!("truncated at byte {}", self.at))?;
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u8(&mut self) -> Res<u8> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Res<u32> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    /// A count of items of at least `min` bytes each: never more than the bytes left allow.
    fn len(&mut self, min: usize) -> Res<usize> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min.max(1)) > self.b.len() - self.at {
            return Err(format!("a length of {n} at byte {} exceeds the file", self.at - 4));
        }
        Ok(n)
    }
    fn str(&mut self) -> Res<String> {
        let n = self.len(1)?;
        let at = self.at;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| format!("invalid UTF-8 at byte {at}"))
    }
    fn opt_str(&mut self) -> Res<Option<String>> {
        match self.u8()? {
            0 => Ok(None),
            _ => self.str().map(Some),
        }
    }
    fn opt_u32(&mut self) -> Res<Option<usize>> {
        let x = self.u32()?;
        Ok((x != u32::MAX).then_some(x as usize))
    }
}

/// Decode what [`encode`] wrote; the error says where it went wrong.
pub fn decode(b: &[u8]) -> Res<Vec<Framework>> {
    if b.len() < MAGIC.len() || &b[..MAGIC.len()] != MAGIC {
        return Err("not a stored corpus".into());
    }
    let mut r = R { b, at: MAGIC.len() };
    let n = r.len(28)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let (id, title, jurisdiction, subject, source, license) =
            (r.str()?, r.str()?, r.str()?, r.str()?, r.str()?, r.str()?);
        let ns = r.len(20)?;
        let mut standards = Vec::with_capacity(ns);
        for _ in 0..ns {
            let uri = r.str()?;
            let code = r.opt_str()?;
            let k = r.len(4)?;
            let alt_codes = (0..k).map(|_| r.str()).collect::<Res<Vec<_>>>()?;
            let text = r.str()?;
            let kind = *Kind::ALL.get(r.u8()? as usize).ok_or("unknown kind")?;
            let label = r.opt_str()?;
            let k = r.len(1)?;
            let grades = (0..k)
                .map(|_| r.u8().map(|g| Grade(g as i8)))
                .collect::<Res<Vec<_>>>()?;
            let parent = r.opt_u32()?.filter(|&p| p < ns);
            let k = r.len(4)?;
            let children = (0..k)
                .map(|_| r.u32().map(|c| c as usize))
                .collect::<Res<Vec<_>>>()?
                .into_iter()
                .filter(|&c| c < ns)
                .collect();
            let k = r.len(8)?;
            let notes = (0..k)
                .map(|_| {
                    Ok(Note {
                        kind: r.str()?,
                        text: r.str()?,
                    })
                })
                .collect::<Res<Vec<_>>>()?;
            let k = r.len(9)?;
            let associations = (0..k)
                .map(|_| {
                    Ok(Association {
                        kind: r.str()?,
                        target: r.str()?,
                        target_code: r.opt_str()?,
                    })
                })
                .collect::<Res<Vec<_>>>()?;
            standards.push(Standard {
                uri,
                code,
                alt_codes,
                text,
                kind,
                label,
                grades,
                parent,
                children,
                notes,
                associations,
            });
        }
        out.push(Framework {
            id,
            title,
            jurisdiction,
            subject,
            source,
            license,
            standards,
            warnings: Vec::new(),
        });
    }
    if r.at != b.len() {
        return Err(format!("{} bytes after the last framework", b.len() - r.at));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shipped_frameworks_round_trip_and_damage_is_an_error() {
        let mut fws = crate::index::read_shipped().unwrap();
        for f in &mut fws {
            f.warnings.clear();
        }
        let b = super::encode(&fws);
        assert_eq!(super::decode(&b).unwrap(), fws);
        for cut in [0, 7, 8, 100, b.len() / 2, b.len() - 1] {
            assert!(super::decode(&b[..cut]).is_err(), "cut at {cut}");
        }
        let mut extra = b.clone();
        extra.push(0);
        assert!(super::decode(&extra).is_err());
        let mut huge = b.clone();
        huge[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(super::decode(&huge).is_err());
    }
}
