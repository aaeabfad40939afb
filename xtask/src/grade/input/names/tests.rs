use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use proptest::prelude::*;

use super::*;

fn paths(list: &[&str]) -> Vec<PathBuf> {
    list.iter().map(PathBuf::from).collect()
}

fn pairs(named: &[Named]) -> Vec<(&str, &str)> {
    named
        .iter()
        .map(|named| (named.name.as_str(), named.id.as_str()))
        .collect()
}

/// The rule for ids, written out again (not with `is_safe`).
fn well_formed(id: &str) -> bool {
    let first = id.bytes().next();
    (1..=64).contains(&id.len())
        && first.is_some_and(|byte| byte != b'.' && byte != b'-')
        && id.bytes().all(|byte| {
            byte.is_ascii_alphanumeric() || byte == b'.' || byte == b'_' || byte == b'-'
        })
}

#[test]
fn names_are_safe_unique_and_say_who() {
    let named = names(&paths(&[
        "/nowhere/alice.tar.gz",
        "/nowhere/x/Alice.zip",
        "/nowhere/bob/exercises",
        "/nowhere/carol/.git",
        "/nowhere/dave.git",
        "/nowhere/Émile O'Brien",
        "/nowhere/.hidden",
        "/nowhere/alice",
    ]));
    // The hashes are pinned: ids must not change from one run, build or Rust version to the
    // next (FNV-1a of the path as given, its halves xored).
    assert_eq!(
        pairs(&named),
        [
            ("alice", "alice-3d4f49e2"),
            ("Alice", "Alice-34714d1e"),
            ("bob", "bob"),
            ("carol", "carol"),
            ("dave", "dave"),
            ("Émile O'Brien", "Emile_O_Brien-024ab282"),
            (".hidden", "hidden-566713cd"),
            ("alice", "alice-fb8b8c90"),
        ]
    );
}

#[test]
fn accents_are_cut_at_characters_and_transliterated() {
    let named = names(&paths(&["/srv/hand-ins/Jérôme Lefèvre.tar.gz"]));
    assert_eq!(named[0].name, "Jérôme Lefèvre");
    assert_eq!(named[0].id, "Jerome_Lefevre-fa130e3e");
    let named = names(&paths(&["/x/Øystein Straße.ZIP", "/x/Œuvre Ĳssel ×÷.TGZ"]));
    assert_eq!(pairs(&named)[0].0, "Øystein Straße");
    assert!(named[0].id.starts_with("Oystein_Strasse-"), "{named:?}");
    assert!(named[1].id.starts_with("OEuvre_IJssel_-"), "{named:?}");
}

#[test]
fn names_that_are_not_utf8_are_decoded_lossily() {
    let path = PathBuf::from(OsStr::from_bytes(b"/x/\xffname\xfe.tar.gz"));
    let named = names(&[path]);
    assert_eq!(named[0].name, "\u{fffd}name\u{fffd}");
    assert!(named[0].id.starts_with("_name_-"), "{named:?}");
}

#[test]
fn the_same_path_twice_gets_two_ids() {
    let named = names(&paths(&["a.zip", "a.zip"]));
    assert_ne!(named[0].id, named[1].id);
    assert!(
        named
            .iter()
            .all(|named| named.id.starts_with("a-") && named.name == "a")
    );
}

#[test]
fn paths_without_a_last_name_are_named_after_their_folder() {
    let named = names(&paths(&[".", "", "/", "../exercises"]));
    let here = std::env::current_dir().unwrap();
    let here = here.file_name().unwrap().to_string_lossy();
    assert_eq!(named[0].name, here);
    assert_eq!(named[1].name, "submission");
    assert!(
        named.iter().all(|named| well_formed(&named.id)),
        "{named:?}"
    );
}

#[test]
fn long_names_make_short_ids() {
    let long = format!("/x/{}.zip", "é".repeat(200));
    let named = names(&paths(&[&long]));
    assert_eq!(named[0].name, "é".repeat(200));
    assert_eq!(named[0].id.len(), 64);
    assert!(well_formed(&named[0].id));
}

#[test]
fn the_latin_table_has_a_letter_for_each_code_point() {
    assert_eq!(LATIN.len(), 0x180 - 0xC0);
    assert!(
        LATIN
            .bytes()
            .all(|byte| byte.is_ascii_alphabetic() || byte == b'_')
    );
    assert_eq!(ascii_letters('é'), Some("e"));
    assert_eq!(ascii_letters('ż'), Some("z"));
    assert_eq!(ascii_letters('ſ'), Some("s"));
    assert_eq!(ascii_letters('×'), None);
    assert_eq!(ascii_letters('ƀ'), None);
}

/// Paths that meet often: a few folders, names that differ in case only, accents, bytes that
/// are not UTF-8, and the extensions and folder names that are cut off.
fn a_path() -> impl Strategy<Value = PathBuf> {
    let folder = prop::sample::select(vec!["", "/a/", "b/", "/a/b/", "./", "../"]);
    let name = prop_oneof![
        prop::sample::select(vec![
            "alice",
            "Alice",
            "ALICE",
            "bob",
            "é",
            "É",
            ".x",
            "-x",
            "_",
            "exercises",
            ".git",
            "",
            ".",
            "..",
        ])
        .prop_map(|name| name.as_bytes().to_vec()),
        prop::collection::vec(any::<u8>(), 0..80),
    ];
    let suffix = prop::sample::select(vec![
        "",
        ".zip",
        ".tar.gz",
        ".TGZ",
        ".git",
        "/.git",
        "/exercises",
        "/",
    ]);
    (folder, name, suffix).prop_map(|(folder, name, suffix)| {
        let bytes = [folder.as_bytes(), &name, suffix.as_bytes()].concat();
        PathBuf::from(OsStr::from_bytes(&bytes))
    })
}

/// Each path's ids, sorted (the same path may be given more than once).
fn ids_by_path(paths: &[PathBuf], named: &[Named]) -> BTreeMap<Vec<u8>, Vec<String>> {
    let mut ids: BTreeMap<Vec<u8>, Vec<String>> = BTreeMap::new();
    for (path, named) in paths.iter().zip(named) {
        ids.entry(bytes(path).to_vec())
            .or_default()
            .push(named.id.clone());
    }
    ids.values_mut().for_each(|ids| ids.sort());
    ids
}

proptest! {
    // Failures are printed, not saved into the source tree.
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(64)
    })]

    #[test]
    fn ids_are_safe_short_and_unique(paths in prop::collection::vec(a_path(), 0..16)) {
        let named = names(&paths);
        prop_assert_eq!(named.len(), paths.len());
        let mut seen = BTreeSet::new();
        for named in &named {
            prop_assert!(well_formed(&named.id), "{:?}", named);
            prop_assert!(seen.insert(named.id.to_ascii_lowercase()), "twice: {:?}", named);
        }
    }

    #[test]
    fn ids_do_not_depend_on_the_order(
        (paths, shuffled) in prop::collection::vec(a_path(), 0..16)
            .prop_flat_map(|paths| (Just(paths.clone()), Just(paths).prop_shuffle()))
    ) {
        let ids = ids_by_path(&paths, &names(&paths));
        prop_assert_eq!(ids, ids_by_path(&shuffled, &names(&shuffled)));
    }

    #[test]
    fn a_safe_unique_name_is_its_own_id(paths in prop::collection::vec(a_path(), 0..16)) {
        let named = names(&paths);
        for (i, one) in named.iter().enumerate() {
            let unique = named
                .iter()
                .enumerate()
                .all(|(j, other)| i == j || !other.name.eq_ignore_ascii_case(&one.name));
            if well_formed(&one.name) && unique {
                prop_assert_eq!(&one.id, &one.name);
            } else {
                prop_assert_ne!(&one.id, &one.name);
            }
        }
    }
}
