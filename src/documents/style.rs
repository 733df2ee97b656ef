//! The house style of the station's documents, after GB/T 9704 (党政机关公文格式): A4 paper,
//! top margin 37 mm and left margin 28 mm around a text block of 156 × 225 mm, the title in
//! 小标宋 and the body in 仿宋, page numbers centred under the text block.
//!
//! Font names are the ones Word and WPS on a Chinese Windows know: 仿宋 (FangSong) ships with
//! every Chinese Windows since Vista; 方正小标宋简体 does not, so the font table names 宋体
//! (SimSun) as its alternative, which Word and WPS use when it is missing. LibreOffice maps
//! all of them to a CJK font through fontconfig.
//!
//! `docx-rs` writes neither a font table with alternative names nor repeated header rows, so
//! [`finish`] sets both in the package it built: rows of a table marked with
//! [`repeat_header_row`] repeat at the top of every page.

use std::io::{Cursor, Read, Write};

use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, PageNum,
    PageOrientationType, Paragraph, Run, RunFonts, Table,
};

use super::DocumentError;

/// Twips (1/1440 inch) in a millimetre.
const TWIPS_PER_MM: f64 = 56.692_913;

pub fn mm(millimetres: f64) -> i32 {
    (millimetres * TWIPS_PER_MM).round() as i32
}

/// A4 in twips, portrait.
pub const A4_WIDTH: u32 = 11906;
pub const A4_HEIGHT: u32 = 16838;

/// The title font (小标宋) and its fallback.
pub const TITLE_FONT: &str = "方正小标宋简体";
pub const TITLE_FALLBACK: &str = "宋体";
/// The body font (仿宋) and the older name some offices still have.
pub const BODY_FONT: &str = "仿宋";
pub const BODY_FALLBACK: &str = "仿宋_GB2312";
/// Headings inside a document (一、二、…) and table headers: 黑体.
pub const HEADING_FONT: &str = "黑体";
/// Latin letters and digits.
pub const LATIN_FONT: &str = "Times New Roman";

/// Sizes in half-points, as .docx counts them: 二号 22 pt, 三号 16 pt, 四号 14 pt, 五号
/// 10.5 pt, 小五 9 pt.
pub const SIZE_2: usize = 44;
pub const SIZE_3: usize = 32;
pub const SIZE_4: usize = 28;
pub const SIZE_5: usize = 21;
pub const SIZE_SMALL_5: usize = 18;

/// Which way the paper lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    /// The official text block, 156 × 225 mm.
    Portrait,
    /// A register: 20 mm margins all round.
    Landscape,
}

/// The margins in millimetres: top, right, bottom, left.
pub fn margins_mm(orientation: Orientation) -> (f64, f64, f64, f64) {
    match orientation {
        // 210 − 28 − 156 = 26 on the right; 297 − 37 − 225 = 35 at the bottom.
        Orientation::Portrait => (37.0, 26.0, 35.0, 28.0),
        Orientation::Landscape => (20.0, 20.0, 20.0, 20.0),
    }
}

pub fn body_fonts() -> RunFonts {
    RunFonts::new()
        .east_asia(BODY_FONT)
        .ascii(LATIN_FONT)
        .hi_ansi(LATIN_FONT)
}

pub fn title_fonts() -> RunFonts {
    RunFonts::new()
        .east_asia(TITLE_FONT)
        .ascii(LATIN_FONT)
        .hi_ansi(LATIN_FONT)
}

pub fn heading_fonts() -> RunFonts {
    RunFonts::new()
        .east_asia(HEADING_FONT)
        .ascii(LATIN_FONT)
        .hi_ansi(LATIN_FONT)
}

/// An empty document in the house style: paper, margins, body font and size, and (when
/// `numbered`) the page number centred in the footer as "— 1 —".
pub fn document(orientation: Orientation, body_size: usize, numbered: bool) -> Docx {
    let (top, right, bottom, left) = margins_mm(orientation);
    let margin = PageMargin::new()
        .top(mm(top))
        .right(mm(right))
        .bottom(mm(bottom))
        .left(mm(left))
        .header(mm(15.0))
        .footer(mm(if orientation == Orientation::Portrait {
            20.0
        } else {
            10.0
        }))
        .gutter(0);
    let (width, height, orient) = match orientation {
        Orientation::Portrait => (A4_WIDTH, A4_HEIGHT, PageOrientationType::Portrait),
        Orientation::Landscape => (A4_HEIGHT, A4_WIDTH, PageOrientationType::Landscape),
    };
    let mut docx = Docx::new()
        .page_size(width, height)
        .page_orient(orient)
        .page_margin(margin)
        .default_fonts(body_fonts())
        .default_size(body_size);
    if numbered {
        docx = docx.footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text("— ").size(SIZE_4).fonts(body_fonts()))
                    .add_page_num(PageNum::new())
                    .add_run(Run::new().add_text(" —").size(SIZE_4).fonts(body_fonts()))
                    .align(AlignmentType::Center),
            ),
        );
    }
    docx
}

/// Exact line spacing of `points`, with `after` points after the paragraph.
pub fn exact_lines(points: f64, after: f64) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line((points * 20.0).round() as i32)
        .after((after * 20.0).round() as u32)
}

/// The marker [`finish`] replaces by a repeated header row; docx-rs writes it as the table's
/// style, which no style in the package has.
const REPEAT_MARKER: &str = "StationdeskRepeatHeader";

/// Marks `table` so that its first row repeats at the top of every page it runs onto.
pub fn repeat_header_row(table: Table) -> Table {
    table.style(REPEAT_MARKER)
}

/// The font table: every name the documents use, with the name Word and WPS fall back to.
fn font_table() -> String {
    let fonts: &[(&str, &str, &str)] = &[
        (LATIN_FONT, "", "roman"),
        (TITLE_FONT, TITLE_FALLBACK, "script"),
        (TITLE_FALLBACK, "SimSun", "auto"),
        (BODY_FONT, "FangSong", "modern"),
        (BODY_FALLBACK, BODY_FONT, "modern"),
        (HEADING_FONT, "SimHei", "modern"),
    ];
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
    );
    for (name, alt, family) in fonts {
        xml.push_str(&format!(r#"<w:font w:name="{name}">"#));
        if !alt.is_empty() {
            xml.push_str(&format!(r#"<w:altName w:val="{alt}"/>"#));
        }
        let charset = if *name == LATIN_FONT { "00" } else { "86" };
        xml.push_str(&format!(
            r#"<w:charset w:val="{charset}"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>"#
        ));
    }
    xml.push_str("</w:fonts>");
    xml
}

/// Marked tables lose the marker, and their first row becomes a header row.
fn repeat_headers(document: &str) -> String {
    let marker = format!(r#"<w:tblStyle w:val="{REPEAT_MARKER}" />"#);
    let mut out = String::with_capacity(document.len() + 64);
    let mut rest = document;
    while let Some(at) = rest.find(&marker) {
        out.push_str(&rest[..at]);
        rest = &rest[at + marker.len()..];
        // The first row's properties follow the table's; the header flag goes last in them.
        if let Some(row) = rest.find("<w:trPr") {
            let tail = &rest[row..];
            if tail.starts_with("<w:trPr />") {
                out.push_str(&rest[..row]);
                out.push_str("<w:trPr><w:tblHeader /></w:trPr>");
                rest = &rest[row + "<w:trPr />".len()..];
            } else if let Some(end) = tail.find("</w:trPr>") {
                out.push_str(&rest[..row + end]);
                out.push_str("<w:tblHeader />");
                rest = &rest[row + end..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The package docx-rs built, with the font table and the header rows set.
pub fn finish(package: Vec<u8>) -> Result<Vec<u8>, DocumentError> {
    let format = |e: &dyn std::fmt::Display| DocumentError::Format(e.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(package)).map_err(|e| format(&e))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|e| format(&e))?;
        let name = entry.name().map_err(|e| format(&e))?.to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(|e| format(&e))?;
        let bytes = match name.as_str() {
            "word/fontTable.xml" => font_table().into_bytes(),
            "word/document.xml" => {
                let text = String::from_utf8(bytes).map_err(|e| format(&e))?;
                repeat_headers(&text).into_bytes()
            }
            _ => bytes,
        };
        out.start_file(name, options).map_err(|e| format(&e))?;
        out.write_all(&bytes).map_err(|e| format(&e))?;
    }
    let cursor = out.finish().map_err(|e| format(&e))?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_block_is_the_official_one() {
        let (top, right, bottom, left) = margins_mm(Orientation::Portrait);
        assert_eq!(210.0 - left - right, 156.0);
        assert_eq!(297.0 - top - bottom, 225.0);
        assert_eq!(mm(37.0), 2098);
        assert_eq!(mm(28.0), 1587);
    }

    #[test]
    fn marked_tables_get_a_header_row_and_lose_the_marker() {
        let xml = r#"<w:tbl><w:tblPr><w:tblStyle w:val="StationdeskRepeatHeader" /></w:tblPr><w:tr><w:trPr /><w:tc/></w:tr><w:tr><w:trPr /></w:tr></w:tbl><w:tbl><w:tblPr><w:tblStyle w:val="StationdeskRepeatHeader" /></w:tblPr><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr></w:tbl>"#;
        let done = repeat_headers(xml);
        assert!(!done.contains(REPEAT_MARKER));
        assert_eq!(done.matches("<w:tblHeader />").count(), 2);
        assert!(done.contains("<w:trPr><w:tblHeader /></w:trPr><w:tc/></w:tr><w:tr><w:trPr />"));
        assert!(done.contains("<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>"));
    }

    #[test]
    fn the_font_table_names_the_fallbacks() {
        let table = font_table();
        assert!(table.contains(r#"<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>"#));
        assert!(table.contains(r#"<w:font w:name="仿宋"><w:altName w:val="FangSong"/>"#));
    }
}
