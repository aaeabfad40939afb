//! What each submission is called: a name for people, and an id for files and merges.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

/// The longest id, in bytes.
const MAX_ID: usize = 64;

/// An id made from a name gets `-` and 8 hex digits of the path's hash after this many bytes
/// of the name at most.
const MAX_STEM: usize = MAX_ID - 9;

/// A submission's two names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The feedback file's name and the key that merges shard outputs: see [`names`].
    pub id: String,
    /// The name as given, for people: the last path component without its archive or `.git`
    /// extension (`exercises` and `.git` by their parent's), lossily decoded when not UTF-8.
    /// Neither safe as a file name nor unique.
    pub name: String,
}

/// The names of the submissions at `paths`, in the same order.
///
/// An id is ASCII (`[A-Za-z0-9._-]`), does not start with `.` or `-`, is 1 to 64 bytes long,
/// and is unique in the list, case-insensitively (feedback files may land on a filesystem
/// that ignores case). It must also be stable (the same submission gets the same id in every
/// run and every shard, whatever the order of `paths`), so it depends only on the submission's
/// own path and on which names the list holds, never on positions:
///
/// - a name that is already safe, and that no other submission of the list has (ignoring
///   case), is its own id: `alice.tar.gz` is `alice`;
/// - any other name is transliterated (accents dropped where that is easy: `é` → `e`,
///   `ß` → `ss`, `ø` → `o`; anything else unsafe → `_`, runs of `_` collapsed, a leading `.`
///   or `-` dropped, at most 55 bytes kept), then gets `-` and 8 hex digits of the FNV-1a hash
///   of the whole path's bytes as given: `/srv/hand-ins/Jérôme Lefèvre.tar.gz` is
///   `Jerome_Lefevre-fa130e3e`, and `alice.zip` next to `x/Alice.zip` is `alice-…`,
///   `Alice-…`.
///
/// Such an id can still meet another (the same path given twice, a crafted name, 32 bits
/// colliding): then the path that sorts later (by its bytes) hashes again, with a counter,
/// until its id is free. Shards must therefore call this on the whole list, then take their
/// part of it.
pub fn names(paths: &[PathBuf]) -> Vec<Named> {
    let given: Vec<String> = paths.iter().map(|path| given_name(path)).collect();
    let mut holders: BTreeMap<String, usize> = BTreeMap::new();
    for name in &given {
        *holders.entry(name.to_ascii_lowercase()).or_default() += 1;
    }
    let keeps_name = |i: usize| is_safe(&given[i]) && holders[&given[i].to_ascii_lowercase()] == 1;

    let mut ids: Vec<Option<String>> = (0..paths.len())
        .map(|i| keeps_name(i).then(|| given[i].clone()))
        .collect();
    let mut taken: BTreeSet<String> = ids
        .iter()
        .flatten()
        .map(|id| id.to_ascii_lowercase())
        .collect();
    // The others in the order of their paths, not the list's: which of two equal ids must
    // hash again then does not depend on the order the submissions were given in.
    let mut others: Vec<usize> = (0..paths.len()).filter(|&i| ids[i].is_none()).collect();
    others.sort_by_key(|&i| (bytes(&paths[i]), i));
    for i in others {
        let stem = stem(&given[i]);
        let mut again = 0u32;
        let id = loop {
            let id = format!("{stem}-{}", hash8(bytes(&paths[i]), again));
            if taken.insert(id.to_ascii_lowercase()) {
                break id;
            }
            again += 1;
        };
        ids[i] = Some(id);
    }
    ids.into_iter()
        .zip(given)
        .map(|(id, name)| Named {
            id: id.unwrap_or_default(),
            name,
        })
        .collect()
}

/// The path's bytes as given (as the OS has them; WTF-8 on Windows).
fn bytes(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

/// The name as given: from the path's last components, or, when those are not names (`.`,
/// `..`, `/`), from the canonical path's.
fn given_name(path: &Path) -> String {
    let bytes = last_name(path)
        .or_else(|| {
            fs::canonicalize(path)
                .ok()
                .and_then(|path| last_name(&path))
        })
        .unwrap_or_else(|| b"submission".to_vec());
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The last component, or its parent for `exercises` and `.git`, without an archive or `.git`
/// extension; None when there is no such name.
fn last_name(path: &Path) -> Option<Vec<u8>> {
    let mut parts = path.components().rev().map(|part| match part {
        Component::Normal(name) => Some(name),
        _ => None,
    });
    let mut name = parts.next()??;
    if name == ".git" || name == "exercises" {
        name = parts.next()??;
    }
    let mut name = name.as_encoded_bytes().to_vec();
    for suffix in [".tar.gz", ".tgz", ".zip", ".git"] {
        // Bytes, not a str: the suffix is ASCII, so cutting it off leaves whole characters.
        let cut = name.len().saturating_sub(suffix.len());
        if cut > 0 && name[cut..].eq_ignore_ascii_case(suffix.as_bytes()) {
            name.truncate(cut);
            break;
        }
    }
    Some(name)
}

/// Whether `name` may be an id as it is.
fn is_safe(name: &str) -> bool {
    let allowed = |byte: u8| byte.is_ascii_alphanumeric() || b"._-".contains(&byte);
    !name.is_empty()
        && name.len() <= MAX_ID
        && !name.starts_with(['.', '-'])
        && name.bytes().all(allowed)
}

/// `name` made safe, for an id that gets its hash after it.
fn stem(name: &str) -> String {
    let mut stem = String::new();
    let mut push = |c: char| {
        if !(c == '_' && stem.ends_with('_')) {
            stem.push(c);
        }
    };
    for c in name.chars() {
        match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '.' | '_' | '-' => push(c),
            _ => ascii_letters(c).unwrap_or("_").chars().for_each(&mut push),
        }
    }
    let mut stem = stem.trim_start_matches(['.', '-']).to_string();
    // ASCII only: any byte is a character boundary.
    stem.truncate(MAX_STEM);
    match stem.is_empty() {
        true => "submission".into(),
        false => stem,
    }
}

/// The base letters of U+00C0 to U+017F (Latin-1's letters and Latin Extended-A), `_` where
/// there is no single one.
const LATIN: &str = concat!(
    "AAAAAA_CEEEEIIIIDNOOOOO_OUUUUY__aaaaaa_ceeeeiiiidnooooo_ouuuuy_y",
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi__JjKkkLlLlLlLlLlNnNnNnnNnOoOoOo__",
    "RrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs",
);

/// The ASCII letters a Latin letter with a diacritic or a ligature is most often written as.
fn ascii_letters(c: char) -> Option<&'static str> {
    let two = match c {
        'Æ' => "AE",
        'æ' => "ae",
        'Þ' => "Th",
        'þ' => "th",
        'ß' => "ss",
        'Ĳ' => "IJ",
        'ĳ' => "ij",
        'Œ' => "OE",
        'œ' => "oe",
        _ => {
            let index = (c as usize).checked_sub(0xC0)?;
            let letter = LATIN.get(index..index + 1)?;
            return (letter != "_").then_some(letter);
        }
    };
    Some(two)
}

/// 8 hex digits of the 64-bit FNV-1a hash of `bytes` (its two halves xored), then of the
/// counter's little-endian bytes when it is not 0. Written out, not `DefaultHasher`: ids
/// must not change with the Rust version.
fn hash8(bytes: &[u8], again: u32) -> String {
    let counter = again.to_le_bytes();
    let more: &[u8] = if again == 0 { &[] } else { &counter };
    let hash = fnv1a(bytes.iter().chain(more).copied());
    format!("{:08x}", (hash >> 32) as u32 ^ hash as u32)
}

/// The 64-bit FNV-1a hash of `bytes`: stable across Rust versions and machines, for names
/// that must not change (ids, the default work directory).
pub fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests;
