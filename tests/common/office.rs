//! LibreOffice and poppler, to see documents as offices will: converted to PDF, pages counted
//! and read.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `soffice`, or `None` (and the test says it skipped) where it is not installed; under
/// STATIONDESK_REQUIRE_OFFICE=1 a missing office suite fails the test instead.
pub fn office() -> Option<PathBuf> {
    let found = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join("soffice"))
        .find(|p| p.is_file());
    let tools = ["pdfinfo", "pdftotext"].iter().all(|tool| {
        Command::new(tool)
            .arg("-v")
            .output()
            .is_ok_and(|o| o.status.success() || !o.stderr.is_empty())
    });
    match found {
        Some(soffice) if tools => Some(soffice),
        _ if std::env::var("STATIONDESK_REQUIRE_OFFICE").as_deref() == Ok("1") => {
            panic!("LibreOffice (soffice) and poppler-utils are required here")
        }
        _ => {
            eprintln!("skipped: soffice or poppler-utils not installed");
            None
        }
    }
}

/// Converts `file` to PDF beside it, with a profile of its own so that tests run in parallel.
pub fn to_pdf(soffice: &Path, file: &Path) -> PathBuf {
    let dir = file.parent().unwrap();
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir)
        .arg(file)
        .output()
        .unwrap();
    let pdf = file.with_extension("pdf");
    assert!(
        pdf.is_file(),
        "soffice wrote no PDF: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    pdf
}

pub fn pages(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

pub fn page_size(pdf: &Path) -> String {
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Page size:"))
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// One page's text as laid out, with the spaces poppler puts between CJK runs removed so
/// that phrases can be looked for.
pub fn page_text(pdf: &Path, page: usize) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The widths of a sheet's columns as its XML sets them, by 1-based column.
pub fn column_widths(xlsx: &Path, part: &str) -> std::collections::HashMap<usize, f64> {
    let file = std::fs::File::open(xlsx).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(part).unwrap(), &mut xml).unwrap();
    let attr = |tag: &str, name: &str| -> Option<f64> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        tag[at..].split('"').next()?.parse().ok()
    };
    let mut widths = std::collections::HashMap::new();
    for tag in xml.split("<col ").skip(1) {
        let tag = &format!(" {}", tag.split('>').next().unwrap_or(""));
        if let (Some(min), Some(max), Some(width)) =
            (attr(tag, "min"), attr(tag, "max"), attr(tag, "width"))
        {
            for c in min as usize..=max as usize {
                widths.insert(c, width);
            }
        }
    }
    widths
}
