//! Archives unpacked here, entry by entry, by the `tar`, `flate2` and `zip` readers rather than
//! by tools: every entry is checked before anything is written for it, and the bytes are
//! counted as they come out of the decompressor, so that a hostile archive cannot write
//! outside its folder, plant a link, a device or a setuid file, or fill the disk.
//!
//! What is written: regular files (0644, or 0755 when the archive marks them executable) and
//! folders (0755), nothing else. Links (symbolic or hard) are never created: they are
//! recorded, for the caller to refuse a lab that they touch. Entries under a `target` or
//! `.git` folder (a build's output, a repository) are read and counted, not written.
//!
//! Since nothing but files and folders is ever written, and the root starts empty, no path
//! under it can lead elsewhere: joining a checked relative path to the root is enough.

use std::cell::Cell;
use std::fmt::Display;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, Read};
use std::path::{Component, Path, PathBuf};

use flate2::read::MultiGzDecoder;

/// What one archive may unpack to. A bomb is stopped while it is being read, whatever its
/// headers claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    /// Decompressed bytes read, those of entries skipped included.
    pub max_bytes: u64,
    /// Entries of any kind.
    pub max_entries: usize,
}

impl Caps {
    /// Far above any honest submission of source code (a `target/` left in can come near).
    pub const DEFAULT: Caps = Caps {
        max_bytes: 1 << 30,
        max_entries: 50_000,
    };
}

/// A link found in an archive, never created: where it is, relative to the unpack root, and
/// what it points at, as the archive says.
pub type Link = (PathBuf, PathBuf);

/// The longest link target read from a zip (where it is the entry's content).
const MAX_LINK_TARGET: u64 = 4096;

/// Unpacks the gzip-compressed tar at `archive` into `root` (existing and empty).
pub fn unpack_tar_gz(archive: &Path, root: &Path, caps: Caps) -> Result<Vec<Link>, String> {
    let file = File::open(archive)
        .map_err(|error| format!("cannot read {}: {error}", archive.display()))?;
    let read = Cell::new(0);
    // Multi: `cat a.tar.gz b.tar.gz` and parallel gzips make several gzip members.
    let stream = counted(MultiGzDecoder::new(BufReader::new(file)), &read, caps);
    let mut tar = tar::Archive::new(stream);
    let mut unpacker = Unpacker::new(root, caps, &read);
    let entries = tar
        .entries()
        .map_err(|error| unpacker.failed(error, "cannot read the archive"))?;
    for entry in entries {
        let mut entry = entry.map_err(|error| unpacker.failed(error, "cannot read the archive"))?;
        unpacker.count()?;
        let path = entry
            .path()
            .map_err(|error| unpacker.failed(error, "cannot read an entry's path"))?
            .into_owned();
        if let Some(what) = tar_entry(&entry, &path)? {
            unpacker.take(&path, what, &mut entry)?;
        }
    }
    Ok(unpacker.links)
}

/// Unpacks the zip at `archive` into `root` (existing and empty).
pub fn unpack_zip(archive: &Path, root: &Path, caps: Caps) -> Result<Vec<Link>, String> {
    let file = File::open(archive)
        .map_err(|error| format!("cannot read {}: {error}", archive.display()))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|error| format!("cannot read the zip archive: {error}"))?;
    let read = Cell::new(0);
    let mut unpacker = Unpacker::new(root, caps, &read);
    for index in 0..zip.len() {
        unpacker.count()?;
        let label = zip.name_for_index(index).and_then(Result::ok).map_or_else(
            || format!("#{}", index + 1),
            |name| shown(Path::new(&*name)),
        );
        let mut file = zip
            .by_index(index)
            .map_err(|error| format!("cannot read the zip's entry `{label}`: {error}"))?;
        let path = zip_path(&file);
        let what = zip_entry(&mut file, &path, &unpacker)?;
        unpacker.take(&path, what, &mut counted(&mut file, &read, caps))?;
    }
    Ok(unpacker.links)
}

/// What an entry is, once it is known not to be refused.
enum Entry {
    Folder,
    File {
        executable: bool,
    },
    /// A symbolic or hard link, to this target.
    Link(PathBuf),
}

/// What a tar entry is; None for one that is not a file but data about the archive (a pax
/// global header: `git archive` writes one).
fn tar_entry<R: Read>(entry: &tar::Entry<R>, path: &Path) -> Result<Option<Entry>, String> {
    use tar::EntryType as Type;
    let header = entry.header();
    let executable = header.mode().is_ok_and(|mode| mode & 0o111 != 0);
    let what = match header.entry_type() {
        // Old archives mark folders with a final `/` only.
        Type::Regular if entry.path_bytes().ends_with(b"/") => Entry::Folder,
        Type::Regular | Type::Continuous => Entry::File { executable },
        Type::Directory => Entry::Folder,
        Type::Symlink | Type::Link => {
            let target = entry.link_name().ok().flatten().unwrap_or_default();
            Entry::Link(target.into_owned())
        }
        Type::XGlobalHeader => return Ok(None),
        Type::Char | Type::Block => return Err(refused(path, "it is a device file")),
        Type::Fifo => return Err(refused(path, "it is a fifo")),
        // Its holes would be written without being read: bytes past the cap for free.
        Type::GNUSparse => return Err(refused(path, "it is a sparse file")),
        other => {
            let why = format!(
                "its type (`{}`) is not a file, folder or link",
                other.as_byte().escape_ascii()
            );
            return Err(refused(path, why));
        }
    };
    Ok(Some(what))
}

/// The entry's path, `\` read as `/` (zips made on Windows may have them).
fn zip_path<R: Read + ?Sized>(file: &zip::read::ZipFile<'_, R>) -> PathBuf {
    let name = match file.name() {
        Ok(name) => name.into_owned(),
        Err(_) => String::from_utf8_lossy(file.name_raw()).into_owned(),
    };
    PathBuf::from(name.replace('\\', "/"))
}

fn zip_entry<R: Read + ?Sized>(
    file: &mut zip::read::ZipFile<'_, R>,
    path: &Path,
    unpacker: &Unpacker,
) -> Result<Entry, String> {
    const TYPE: u32 = 0o170_000;
    let mode = file.unix_mode().unwrap_or(0);
    match mode & TYPE {
        0o120_000 => {
            // A link's target is its content.
            let mut target = Vec::new();
            counted(&mut *file, unpacker.read, unpacker.caps)
                .take(MAX_LINK_TARGET + 1)
                .read_to_end(&mut target)
                .map_err(|error| {
                    unpacker.failed(error, format!("cannot read `{}`", shown(path)))
                })?;
            if target.len() as u64 > MAX_LINK_TARGET {
                return Err(refused(
                    path,
                    "it is a link with a target longer than 4096 bytes",
                ));
            }
            let target = String::from_utf8_lossy(&target).into_owned();
            Ok(Entry::Link(PathBuf::from(target)))
        }
        0o020_000 | 0o060_000 => Err(refused(path, "it is a device file")),
        0o010_000 => Err(refused(path, "it is a fifo")),
        0o140_000 => Err(refused(path, "it is a socket")),
        _ if file.is_dir() || mode & TYPE == 0o040_000 => Ok(Entry::Folder),
        _ => Ok(Entry::File {
            executable: mode & 0o111 != 0,
        }),
    }
}

/// Writes the entries it is given under `root`, counting them, and keeps the links.
struct Unpacker<'a> {
    root: &'a Path,
    caps: Caps,
    /// Decompressed bytes read so far (by the [`Counted`] readers sharing it).
    read: &'a Cell<u64>,
    entries: usize,
    links: Vec<Link>,
}

impl<'a> Unpacker<'a> {
    fn new(root: &'a Path, caps: Caps, read: &'a Cell<u64>) -> Unpacker<'a> {
        Unpacker {
            root,
            caps,
            read,
            entries: 0,
            links: Vec::new(),
        }
    }

    /// One more entry, if the cap allows.
    fn count(&mut self) -> Result<(), String> {
        self.entries += 1;
        match self.entries > self.caps.max_entries {
            true => Err(format!(
                "refused: the archive has more than {} entries (the cap on entries)",
                self.caps.max_entries
            )),
            false => Ok(()),
        }
    }

    /// The reason for a failed read or write: the byte cap when that is what stopped it.
    fn failed(&self, error: io::Error, what: impl Display) -> String {
        match self.read.get() > self.caps.max_bytes {
            true => format!(
                "refused: the archive unpacks to more than {} (the cap on unpacked bytes; a \
                 build's target/ counts too)",
                size(self.caps.max_bytes)
            ),
            false => format!("{what}: {error}"),
        }
    }

    /// Checks an entry's path and writes it (reading `content`, for a file), skips it, or
    /// records it (a link).
    fn take(&mut self, path: &Path, what: Entry, content: &mut dyn Read) -> Result<(), String> {
        let Some(relative) = relative(path)? else {
            // Read all the same: skipped bytes count against the cap too.
            return io::copy(content, &mut io::sink())
                .map(drop)
                .map_err(|error| self.failed(error, format!("cannot read `{}`", shown(path))));
        };
        let full = self.root.join(&relative);
        let cannot = |error| self.failed(error, format!("cannot unpack `{}`", shown(path)));
        match what {
            Entry::Folder => folder(&full).map_err(cannot),
            Entry::File { executable } => write(&full, executable, content).map_err(cannot),
            Entry::Link(target) => {
                self.links.push((relative, target));
                Ok(())
            }
        }
    }
}

/// The path to write an entry at, relative to the root; None for an entry to skip (the root
/// itself, or under `target` or `.git`). Refused: absolute paths, `..`.
fn relative(path: &Path) -> Result<Option<PathBuf>, String> {
    let mut relative = PathBuf::new();
    for part in path.components() {
        match part {
            Component::Normal(name) => relative.push(name),
            Component::CurDir => {}
            Component::ParentDir => return Err(refused(path, "its path has a `..` component")),
            Component::RootDir | Component::Prefix(_) => {
                return Err(refused(path, "its path is absolute"));
            }
        }
    }
    let skipped = relative
        .iter()
        .any(|name| name == "target" || name == ".git");
    Ok((!skipped && !relative.as_os_str().is_empty()).then_some(relative))
}

/// A folder and its parents, 0755.
fn folder(path: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o755);
    builder.create(path)
}

/// A regular file, 0644 or 0755, with what `content` holds.
fn write(path: &Path, executable: bool, content: &mut dyn Read) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        folder(parent)?;
    }
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, if executable { 0o755 } else { 0o644 });
    #[cfg(not(unix))]
    let _ = executable;
    let mut file = options.open(path)?;
    io::copy(content, &mut file).map(drop)
}

/// A reader that counts what it reads into `read`, shared by all the readers of one archive,
/// and fails once the count passes `max`.
struct Counted<'a, R> {
    inner: R,
    read: &'a Cell<u64>,
    max: u64,
}

fn counted<R: Read>(inner: R, read: &Cell<u64>, caps: Caps) -> Counted<'_, R> {
    Counted {
        inner,
        read,
        max: caps.max_bytes,
    }
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let total = self.read.get().saturating_add(n as u64);
        self.read.set(total);
        match total > self.max {
            true => Err(io::Error::other("past the cap on unpacked bytes")),
            false => Ok(n),
        }
    }
}

/// Why `path` is refused.
fn refused(path: &Path, why: impl Display) -> String {
    format!("refused the archive's entry `{}`: {why}", shown(path))
}

/// A path from an archive, fit for a message: control characters escaped, at most 200
/// characters.
fn shown(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut shown = String::new();
    for c in text.chars().take(200) {
        match c.is_control() {
            true => shown.extend(c.escape_default()),
            false => shown.push(c),
        }
    }
    if text.chars().nth(200).is_some() {
        shown.push('…');
    }
    shown
}

/// `16 MiB`, `1 GiB`, or bytes.
fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 && b % (1 << 30) == 0 => format!("{} GiB", b >> 30),
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests;
