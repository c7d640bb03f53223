//! The standards corpus shipped in `data/standards/`, embedded in the binary so that aligner works
//! from any directory with no set-up. `data/NOTICE` carries the licenses.

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
];

/// A fingerprint of the shipped data, stored with an index built from it so that an index from
/// another version of aligner is rebuilt.
pub fn fingerprint() -> String {
    // FNV-1a over names and contents: stable across runs and platforms.
    let mut h: u64 = 0xcbf29ce484222325;
    for (name, bytes) in FILES {
        for b in name.as_bytes().iter().chain(bytes.iter()) {
            h ^= *b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    format!("{}-{h:016x}", env!("CARGO_PKG_VERSION"))
}
