//! A tiny HTTP server on 127.0.0.1 for the browser check: it serves the built editions (so that
//! the checking page and the book's pages share one origin, and the checking page can read
//! each page's layout through an iframe) and receives the checking page's report by POST.
//!
//! One thread per connection: Chromium opens several connections at once and may hold one
//! open without sending a request, which would stall a server that answers in turn.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};

/// Where the checking page POSTs its report.
pub const REPORT_PATH: &str = "/__check/report";

/// What the server answers: generated documents at fixed paths, and folders mounted under a
/// prefix (`/student/` → book/build/student/).
#[derive(Default)]
pub struct Site {
    pub documents: Vec<(String, String)>,
    pub mounts: Vec<(String, PathBuf)>,
}

/// A running server: its port, and the reports POSTed to it.
pub struct Server {
    pub port: u16,
    pub reports: Receiver<Vec<u8>>,
}

/// Starts serving `site` on a free port of 127.0.0.1; the server lives as long as the process
/// (a check runs it once).
pub fn start(site: Site) -> Result<Server> {
    let listener = TcpListener::bind("127.0.0.1:0").context("binding a port on 127.0.0.1")?;
    let port = listener.local_addr()?.port();
    let (sender, reports) = mpsc::channel();
    let site = Arc::new(site);
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (site, sender) = (Arc::clone(&site), sender.clone());
            thread::spawn(move || {
                // A connection that fails (the browser closed it) only loses that request.
                let _ = answer(&site, &sender, stream);
            });
        }
    });
    Ok(Server { port, reports })
}

/// Reads one request from `stream` and answers it; the connection is closed after it.
fn answer(site: &Site, reports: &Sender<Vec<u8>>, stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let mut stream = stream;
    if method == "POST" && path == REPORT_PATH {
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        let _ = reports.send(body);
        return respond(&mut stream, "204 No Content", "text/plain", &[]);
    }
    match site.find(path) {
        Some((body, kind)) => respond(&mut stream, "200 OK", kind, &body),
        None => respond(&mut stream, "404 Not Found", "text/plain", b"not found"),
    }
}

fn respond(stream: &mut TcpStream, status: &str, kind: &str, body: &[u8]) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}

impl Site {
    /// The body and content type at `path` (percent-decoded; `..` is never followed).
    fn find(&self, path: &str) -> Option<(Vec<u8>, &'static str)> {
        let path = crate::book::percent_decode(path);
        if let Some((name, text)) = self.documents.iter().find(|(name, _)| *name == path) {
            return Some((text.clone().into_bytes(), content_type(Path::new(name))));
        }
        let (prefix, dir) = self
            .mounts
            .iter()
            .find(|(prefix, _)| path.starts_with(prefix.as_str()))?;
        let relative = Path::new(&path[prefix.len()..]);
        if relative
            .components()
            .any(|part| !matches!(part, Component::Normal(_)))
        {
            return None;
        }
        let mut file = dir.join(relative);
        if file.is_dir() {
            file = file.join("index.html");
        }
        let body = std::fs::read(&file).ok()?;
        Some((body, content_type(&file)))
    }
}

/// The types a built mdbook holds; the browser refuses a stylesheet or script served as
/// anything else.
fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|ext| ext.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}
