//! Archives made here, hostile ones included, against a model of what unpacking them must
//! give: the files and folders written, the links recorded, or the first refusal and why.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::time::Instant;

use flate2::Compression;
use flate2::write::GzEncoder;
use proptest::prelude::*;
use zip::write::SimpleFileOptions;

use super::*;

/// A temporary folder, removed when dropped: the archive, and the unpack root three levels
/// down (`l1/l2/root`), so that `..` entries would land in it, where the test sees them.
struct Scratch {
    temp: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        let temp = tempfile::Builder::new().prefix("xi-").tempdir().unwrap();
        fs::create_dir_all(temp.path().join("l1/l2/root")).unwrap();
        Scratch { temp }
    }

    fn top(&self) -> &Path {
        self.temp.path()
    }

    fn root(&self) -> PathBuf {
        self.top().join("l1/l2/root")
    }

    fn archive(&self) -> PathBuf {
        self.top().join("archive")
    }

    /// Where an absolute entry points: inside the scratch, outside the root.
    fn outside(&self) -> String {
        self.top().join("outside").display().to_string()
    }

    /// Everything under the top folder but the archive, the root and its parents: what was
    /// written outside the root (nothing, ever).
    fn stray(&self) -> Vec<PathBuf> {
        let root = self.root();
        let allowed = [
            self.archive(),
            self.top().join("l1"),
            self.top().join("l1/l2"),
        ];
        walk(self.top())
            .into_iter()
            .filter(|path| !allowed.contains(path) && !path.starts_with(&root))
            .collect()
    }
}

/// All paths under `dir`, links not followed. A folder it cannot read fails the test: what
/// it holds could be what escaped.
fn walk(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .follow_links(false)
        .into_iter()
        .map(|entry| entry.expect("walking the unpacked tree").into_path())
        .collect()
}

#[derive(Debug, Clone)]
enum Kind {
    File { content: Vec<u8>, executable: bool },
    Folder,
    Symlink(String),
    HardLink(String),
    Fifo,
    Device,
}

#[derive(Debug, Clone)]
struct Spec {
    /// Its path in the archive; `{outside}` stands for the scratch's `outside` folder.
    path: String,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    TarGz,
    Zip,
}

fn a_spec() -> impl Strategy<Value = Spec> {
    let kind = prop_oneof![
        16 => (prop::collection::vec(any::<u8>(), 0..2000), any::<bool>())
            .prop_map(|(content, executable)| Kind::File { content, executable }),
        4 => Just(Kind::Folder),
        2 => prop::sample::select(vec!["../../etc/passwd", "/etc", "src", "a/b"])
            .prop_map(|target| Kind::Symlink(target.into())),
        2 => prop::sample::select(vec!["/etc/shadow", "src/lib.rs", "../x"])
            .prop_map(|target| Kind::HardLink(target.into())),
        1 => prop_oneof![Just(Kind::Fifo), Just(Kind::Device)],
    ];
    let folders = prop::collection::vec(
        prop::sample::select(vec!["a", "b", "src", "target", ".git", "."]),
        0..4,
    );
    // One path in ten is absolute, one has a `..` somewhere.
    let hostile = (0..20u8, any::<prop::sample::Index>());
    (kind, folders, 0..3u8, hostile).prop_map(|(kind, mut folders, n, (hostile, at))| {
        // Leaves differ by kind, so that no file is ever in a folder's place.
        let leaf = match kind {
            Kind::File { .. } => format!("f{n}.rs"),
            Kind::Folder => format!("d{n}"),
            Kind::Symlink(_) | Kind::HardLink(_) => format!("l{n}"),
            Kind::Fifo | Kind::Device => format!("p{n}"),
        };
        if hostile == 1 {
            folders.insert(at.index(folders.len() + 1), "..");
        }
        folders.push(&leaf);
        let path = folders.join("/");
        let path = match hostile {
            0 => format!("{{outside}}/{path}"),
            _ => path,
        };
        Spec { path, kind }
    })
}

/// Files written: content, and whether executable.
type Files = BTreeMap<PathBuf, (Vec<u8>, bool)>;

/// What unpacking must give: the files (content, executable), folders and links, or a piece
/// of the refusal's message.
#[derive(Debug, Default)]
struct Model {
    files: Files,
    folders: BTreeSet<PathBuf>,
    links: Vec<Link>,
}

fn bytes_refused(caps: Caps) -> String {
    format!(
        "more than {} (the cap on unpacked bytes",
        size(caps.max_bytes)
    )
}

/// The model: entries in order; for each, the bytes read so far (a tar's headers and padding
/// included, a zip's contents only), then the entry cap, its type, its path, its content.
fn model(specs: &[Spec], caps: Caps, format: Format, outside: &str) -> Result<Model, String> {
    let mut model = Model::default();
    let mut read = 0u64;
    let mut more = |bytes: u64| {
        read += bytes;
        match read > caps.max_bytes {
            true => Err(bytes_refused(caps)),
            false => Ok(()),
        }
    };
    let tar = format == Format::TarGz;
    for (index, spec) in specs.iter().enumerate() {
        let mut path = spec.path.replace("{outside}", outside);
        if let (Kind::Folder, Format::Zip) = (&spec.kind, format) {
            path.push('/');
        }
        if tar {
            more(512)?;
        }
        if index + 1 > caps.max_entries {
            return Err(format!("more than {} entries", caps.max_entries));
        }
        match &spec.kind {
            Kind::Fifo | Kind::Device => return Err(format!("`{path}`: it is a")),
            Kind::Symlink(target) if !tar => more(target.len() as u64)?,
            _ => {}
        }
        let mut parts = Vec::new();
        for part in path.split('/') {
            match part {
                "" if parts.is_empty() => return Err(format!("`{path}`: its path is absolute")),
                ".." => return Err(format!("`{path}`: its path has a `..` component")),
                "." | "" => {}
                part => parts.push(part),
            }
        }
        let skipped = parts
            .iter()
            .any(|part| *part == "target" || *part == ".git");
        let relative: PathBuf = parts.iter().collect();
        if let Kind::File { content, .. } = &spec.kind {
            more(content.len() as u64)?;
            if tar {
                // Read on the way to the next header: blocks of 512 bytes.
                more((512 - content.len() as u64 % 512) % 512)?;
            }
        }
        if skipped {
            continue;
        }
        match &spec.kind {
            Kind::File {
                content,
                executable,
            } => {
                // The mode is set when the file is made; a later entry changes the content.
                let first = model.files.get(&relative).map(|(_, first)| *first);
                let executable = first.unwrap_or(*executable);
                model.files.insert(relative, (content.clone(), executable));
            }
            Kind::Folder => {
                model.folders.insert(relative);
            }
            Kind::Symlink(target) | Kind::HardLink(target) => {
                model.links.push((relative, PathBuf::from(target)));
            }
            Kind::Fifo | Kind::Device => {}
        }
    }
    if tar {
        // The first of the two zero blocks that end the archive.
        more(512)?;
    }
    Ok(model)
}

/// A tar.gz of `specs`, with the headers written byte by byte (`tar::Builder` would refuse
/// the hostile paths).
fn tar_gz(specs: &[Spec], outside: &str, to: &Path) {
    let file = File::create(to).unwrap();
    let mut tar = tar::Builder::new(GzEncoder::new(file, Compression::fast()));
    for spec in specs {
        let path = spec.path.replace("{outside}", outside);
        let mut header = tar::Header::new_gnu();
        let (kind, content, mode): (tar::EntryType, &[u8], u32) = match &spec.kind {
            Kind::File {
                content,
                executable,
            } => (
                tar::EntryType::Regular,
                content,
                if *executable { 0o4755 } else { 0o644 },
            ),
            Kind::Folder => (tar::EntryType::Directory, &[], 0o777),
            Kind::Symlink(target) | Kind::HardLink(target) => {
                let name = &mut header.as_old_mut().linkname;
                name[..target.len()].copy_from_slice(target.as_bytes());
                match spec.kind {
                    Kind::Symlink(_) => (tar::EntryType::Symlink, &[], 0o777),
                    _ => (tar::EntryType::Link, &[], 0o644),
                }
            }
            Kind::Fifo => (tar::EntryType::Fifo, &[], 0o644),
            Kind::Device => (tar::EntryType::Char, &[], 0o644),
        };
        header.as_old_mut().name[..path.len()].copy_from_slice(path.as_bytes());
        header.set_entry_type(kind);
        header.set_size(content.len() as u64);
        header.set_mode(mode);
        header.set_cksum();
        tar.append(&header, content).unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap();
}

/// A zip of `specs` (hard links become symbolic ones; zips have no other kind; a name given
/// again is left out: a zip's names are unique).
fn zip_file(specs: &[Spec], outside: &str, to: &Path) {
    let mut zip = zip::ZipWriter::new(File::create(to).unwrap());
    let options = SimpleFileOptions::default();
    for spec in specs {
        let path = spec.path.replace("{outside}", outside);
        match &spec.kind {
            Kind::File {
                content,
                executable,
            } => {
                let mode = if *executable { 0o4755 } else { 0o644 };
                zip.start_file(&path, options.unix_permissions(mode))
                    .unwrap();
                zip.write_all(content).unwrap();
            }
            Kind::Folder => zip.add_directory(&path, options).unwrap(),
            Kind::Symlink(target) | Kind::HardLink(target) => {
                zip.add_symlink(&path, target, options).unwrap();
            }
            Kind::Fifo | Kind::Device => {
                let kind = if let Kind::Fifo = spec.kind {
                    0o010_644
                } else {
                    0o020_644
                };
                zip.start_file(&path, options.external_attributes(kind << 16))
                    .unwrap();
            }
        }
    }
    zip.finish().unwrap();
}

/// Zips cannot hold a name twice, nor hard links.
fn for_zip(specs: Vec<Spec>) -> Vec<Spec> {
    let mut seen = BTreeSet::new();
    specs
        .into_iter()
        .filter(|spec| seen.insert(spec.path.clone()))
        .map(|spec| match spec.kind {
            Kind::HardLink(target) => Spec {
                kind: Kind::Symlink(target),
                ..spec
            },
            _ => spec,
        })
        .collect()
}

/// What the root holds: files (content, executable) and folders; panics on anything else.
fn unpacked(root: &Path) -> (Files, BTreeSet<PathBuf>) {
    let mut files = BTreeMap::new();
    let mut folders = BTreeSet::new();
    for path in walk(root) {
        let metadata = fs::symlink_metadata(&path).unwrap();
        let relative = path.strip_prefix(root).unwrap().to_path_buf();
        let mode = metadata.permissions().mode() & 0o7777;
        if metadata.is_dir() {
            // 0755, less what the umask takes.
            assert_eq!(mode & !0o755, 0, "{relative:?}: {mode:o}");
            assert_eq!(mode & 0o700, 0o700, "{relative:?}: {mode:o}");
            folders.insert(relative);
        } else {
            assert!(metadata.is_file(), "not a file: {relative:?}");
            // 0644 or 0755, less what the umask takes: never setuid, never writable by others.
            assert_eq!(mode & !0o755, 0, "{relative:?}: {mode:o}");
            assert_eq!(mode & 0o600, 0o600, "{relative:?}: {mode:o}");
            let executable = mode & 0o100 != 0;
            files.insert(relative, (fs::read(&path).unwrap(), executable));
        }
    }
    (files, folders)
}

/// Unpacks `specs` as `format` under `caps`, and checks it against the model.
fn check(specs: Vec<Spec>, caps: Caps, format: Format) -> Result<(), TestCaseError> {
    let scratch = Scratch::new();
    let outside = scratch.outside();
    let specs = match format {
        Format::TarGz => specs,
        Format::Zip => for_zip(specs),
    };
    let unpacked_as = match format {
        Format::TarGz => {
            tar_gz(&specs, &outside, &scratch.archive());
            unpack_tar_gz(&scratch.archive(), &scratch.root(), caps)
        }
        Format::Zip => {
            zip_file(&specs, &outside, &scratch.archive());
            unpack_zip(&scratch.archive(), &scratch.root(), caps)
        }
    };
    prop_assert_eq!(scratch.stray(), Vec::<PathBuf>::new());
    let (files, folders) = unpacked(&scratch.root());
    match (unpacked_as, model(&specs, caps, format, &outside)) {
        (Ok(links), Ok(model)) => {
            prop_assert_eq!(links, model.links);
            prop_assert_eq!(&files, &model.files);
            let mut expected = model.folders.clone();
            for path in model.files.keys().chain(&model.folders) {
                let parents = path.ancestors().skip(1);
                expected.extend(
                    parents
                        .filter(|p| !p.as_os_str().is_empty())
                        .map(Path::to_path_buf),
                );
            }
            prop_assert_eq!(folders, expected);
        }
        (Err(why), Err(needle)) => {
            prop_assert!(why.contains(&needle), "{why:?} should say {needle:?}");
            prop_assert!(why.starts_with("refused"), "{why}");
        }
        (got, expected) => {
            prop_assert!(false, "got {got:?}, expected {expected:?}");
        }
    }
    Ok(())
}

fn some_caps() -> impl Strategy<Value = Caps> {
    let bytes = prop_oneof![Just(u64::MAX), 0..16_000u64];
    (bytes, 1..16usize).prop_map(|(max_bytes, max_entries)| Caps {
        max_bytes,
        max_entries,
    })
}

proptest! {
    // Failures are printed, not saved into the source tree.
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(64)
    })]

    #[test]
    fn tar_gz_unpacks_as_the_model_says(
        specs in prop::collection::vec(a_spec(), 0..12),
        caps in some_caps(),
    ) {
        check(specs, caps, Format::TarGz)?;
    }

    #[test]
    fn zip_unpacks_as_the_model_says(
        specs in prop::collection::vec(a_spec(), 0..12),
        caps in some_caps(),
    ) {
        check(specs, caps, Format::Zip)?;
    }
}

fn file(path: &str, content: &str) -> Spec {
    Spec {
        path: path.into(),
        kind: Kind::File {
            content: content.as_bytes().to_vec(),
            executable: false,
        },
    }
}

#[test]
fn a_plain_archive_unpacks_and_its_links_are_only_recorded() {
    for format in [Format::TarGz, Format::Zip] {
        let specs = vec![
            file("sub/exercises/01-a/src/lib.rs", "pub fn f() {}"),
            file("./sub/exercises/01-a/target/debug/big", "skipped"),
            file("sub/.git/HEAD", "skipped"),
            Spec {
                path: "sub/exercises/01-a/src/evil".into(),
                kind: Kind::Symlink("/etc/passwd".into()),
            },
        ];
        let scratch = Scratch::new();
        let outside = scratch.outside();
        let links = match format {
            Format::TarGz => {
                tar_gz(&specs, &outside, &scratch.archive());
                unpack_tar_gz(&scratch.archive(), &scratch.root(), Caps::DEFAULT)
            }
            Format::Zip => {
                zip_file(&specs, &outside, &scratch.archive());
                unpack_zip(&scratch.archive(), &scratch.root(), Caps::DEFAULT)
            }
        }
        .unwrap();
        assert_eq!(
            links,
            [(
                PathBuf::from("sub/exercises/01-a/src/evil"),
                PathBuf::from("/etc/passwd")
            )]
        );
        let (files, _) = unpacked(&scratch.root());
        let names: Vec<&PathBuf> = files.keys().collect();
        assert_eq!(
            names,
            [Path::new("sub/exercises/01-a/src/lib.rs")],
            "{format:?}"
        );
    }
}

#[test]
fn refusals_name_what_they_refuse() {
    let scratch = Scratch::new();
    let specs = [file("a/../../x.rs", "")];
    tar_gz(&specs, "", &scratch.archive());
    let why = unpack_tar_gz(&scratch.archive(), &scratch.root(), Caps::DEFAULT).unwrap_err();
    assert_eq!(
        why,
        "refused the archive's entry `a/../../x.rs`: its path has a `..` component"
    );
    let caps = Caps {
        max_bytes: 16 << 20,
        max_entries: 1,
    };
    tar_gz(
        &[file("a.rs", ""), file("b.rs", "")],
        "",
        &scratch.archive(),
    );
    let why = unpack_tar_gz(&scratch.archive(), &scratch.root(), caps).unwrap_err();
    assert_eq!(
        why,
        "refused: the archive has more than 1 entries (the cap on entries)"
    );
    fs::write(scratch.archive(), "not gzip").unwrap();
    let why = unpack_tar_gz(&scratch.archive(), &scratch.root(), caps).unwrap_err();
    assert!(why.starts_with("cannot read the archive"), "{why}");
    let why = unpack_zip(&scratch.archive(), &scratch.root(), caps).unwrap_err();
    assert!(why.starts_with("cannot read the zip archive"), "{why}");
}

#[test]
fn messages_show_control_characters_escaped() {
    assert_eq!(shown(Path::new("a\u{1b}[2J\nb")), "a\\u{1b}[2J\\nb");
    assert_eq!(shown(Path::new(&"x".repeat(300))).chars().count(), 201);
    assert_eq!(size(16 << 20), "16 MiB");
    assert_eq!(size(1 << 30), "1 GiB");
    assert_eq!(size(1000), "1000 bytes");
}

/// A tar.gz of one file of `size` zeros, compressed as it is made (never held in memory).
/// `members`: as one gzip member, or as a member for the header and one for each MiB of
/// zeros, all the same, compressed once (`cat` makes such files; and 300 MB compressed here,
/// unoptimised, would take half a minute).
fn gzip_bomb(to: &Path, size: u64, members: bool) {
    let mut header = tar::Header::new_gnu();
    header.set_path("bomb/exercises/01-a/src/lib.rs").unwrap();
    header.set_size(size);
    header.set_mode(0o644);
    header.set_cksum();
    let mut file = File::create(to).unwrap();
    let gzip = |bytes: &[u8]| {
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(bytes).unwrap();
        gz.finish().unwrap()
    };
    let zeros = vec![0; 1 << 20];
    // The file, its padding to 512 bytes, and the two zero blocks that end the archive.
    let mut left = size.next_multiple_of(512) + 1024;
    if members {
        file.write_all(&gzip(header.as_bytes())).unwrap();
        let mib = gzip(&zeros);
        while left >= 1 << 20 {
            file.write_all(&mib).unwrap();
            left -= 1 << 20;
        }
        file.write_all(&gzip(&zeros[..left as usize])).unwrap();
    } else {
        let mut gz = GzEncoder::new(file, Compression::fast());
        gz.write_all(header.as_bytes()).unwrap();
        while left > 0 {
            let n = left.min(zeros.len() as u64);
            gz.write_all(&zeros[..n as usize]).unwrap();
            left -= n;
        }
        gz.finish().unwrap();
    }
}

#[test]
fn a_gzip_bomb_is_stopped_while_it_is_read() {
    let caps = Caps {
        max_bytes: 16 << 20,
        ..Caps::DEFAULT
    };
    for (size, members) in [(300_000_000, true), (64 << 20, false)] {
        let scratch = Scratch::new();
        gzip_bomb(&scratch.archive(), size, members);
        let compressed = fs::metadata(scratch.archive()).unwrap().len();
        assert!(compressed < size / 50, "{compressed}");
        let started = Instant::now();
        let why = unpack_tar_gz(&scratch.archive(), &scratch.root(), caps).unwrap_err();
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
        assert_eq!(
            why,
            "refused: the archive unpacks to more than 16 MiB (the cap on unpacked bytes; a \
             build's target/ counts too)"
        );
        let written: u64 = walk(&scratch.root())
            .iter()
            .filter_map(|path| fs::symlink_metadata(path).ok())
            .filter(|metadata| metadata.is_file())
            .map(|metadata| metadata.len())
            .sum();
        assert!(written <= 16 << 20, "{written}");
    }
}

#[test]
fn a_zip_bomb_is_stopped_while_it_is_read() {
    let scratch = Scratch::new();
    let mut zip = zip::ZipWriter::new(File::create(scratch.archive()).unwrap());
    let zeros = vec![0; 1 << 20];
    zip.start_file("lib.rs", SimpleFileOptions::default())
        .unwrap();
    for _ in 0..64 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    let caps = Caps {
        max_bytes: 16 << 20,
        ..Caps::DEFAULT
    };
    let why = unpack_zip(&scratch.archive(), &scratch.root(), caps).unwrap_err();
    assert!(why.contains("more than 16 MiB"), "{why}");
}
