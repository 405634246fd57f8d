//! Blocks found in extracted text into the manuscript's files: one Markdown
//! file per chapter, notes defined in the chapter that marks them,
//! citations as keys with stub references, and a `book.toml` that states
//! only what the text gives.

use super::cites::{self, Stub, Stubs};
use super::hyphens::{self, Decision, Evidence, Vocabulary};
use super::report::Report;
use super::text::{Item, Line, Note};
use super::Files;

/// Where a footnote number marks the text: glued to the end of a word or
/// its punctuation (`დაერქვათ.89`), not part of a longer number. The last
/// such place.
pub(crate) fn mark_position(text: &str, number: &str) -> Option<usize> {
    let mut found = None;
    for (at, _) in text.match_indices(number) {
        let before = text[..at].chars().next_back();
        let after = text[at + number.len()..].chars().next();
        let glued = before.is_some_and(|c| {
            crate::hyphenate::is_letter(c)
                || matches!(c, '.' | ',' | ';' | ':' | '“' | '”' | '»' | ')' | '"')
        });
        if glued && !after.is_some_and(|c| c.is_ascii_digit()) {
            found = Some(at);
        }
    }
    found
}

struct Chapter {
    title: String,
    body: Vec<String>,
    notes: Vec<String>,
}

/// Writes the manuscript's files.
pub(crate) fn manuscript(
    items: &[Item],
    notes: &[Note],
    source: &str,
    name: &str,
    report: &mut Report,
) -> Files {
    let lines: Vec<&str> = source.lines().collect();
    let vocab = Vocabulary::learn(&lines);
    let mut stubs = Stubs::new();
    let mut chapters: Vec<Chapter> = Vec::new();
    for item in items {
        if let Item::Heading { level: 1, text, .. } = item {
            chapters.push(Chapter {
                title: text.clone(),
                body: Vec::new(),
                notes: Vec::new(),
            });
            continue;
        }
        if chapters.is_empty() {
            report.guess(
                name,
                1,
                "heading",
                "text before any heading: a chapter without a title found; named after the file"
                    .into(),
            );
            chapters.push(Chapter {
                title: stem(name),
                body: Vec::new(),
                notes: Vec::new(),
            });
        }
        let block = match item {
            Item::Heading { text, .. } => format!("## {}", escape(text)),
            Item::Paragraph(l) | Item::Bullet(l) => {
                let mut text = join_lines(l, &vocab, name, report);
                text = cite(&text, l[0].no, &mut stubs, name, report);
                if matches!(item, Item::Bullet(_)) {
                    format!("- {}", wrap(&escape(&text), 2))
                } else {
                    wrap(&escape(&text), 0)
                }
            }
        };
        let ch = chapters.len() - 1;
        chapters[ch].body.push(block);
    }
    place_notes(&mut chapters, items, notes, name, report);
    files(&chapters, &stubs, source, name)
}

/// Puts each note's mark into the last paragraph before the note that
/// carries it, and the note's text at the end of that chapter.
fn place_notes(
    chapters: &mut [Chapter],
    items: &[Item],
    notes: &[Note],
    name: &str,
    report: &mut Report,
) {
    // The (chapter, body index, first input line) of each body block.
    let mut places = Vec::new();
    let mut ch = usize::MAX;
    let mut idx = 0;
    for item in items {
        match item {
            Item::Heading { level: 1, .. } => {
                ch = ch.wrapping_add(1);
                idx = 0;
            }
            Item::Heading { line, .. } => {
                places.push((ch, idx, *line));
                idx += 1;
            }
            Item::Paragraph(l) | Item::Bullet(l) => {
                places.push((ch, idx, l[0].no));
                idx += 1;
            }
        }
    }
    if ch == usize::MAX {
        ch = 0;
        for p in &mut places {
            p.0 = ch;
        }
    }
    for note in notes {
        let label = format!("n{}", note.number);
        let target = places
            .iter()
            .rev()
            .filter(|&&(_, _, line)| line < note.line)
            .find_map(|&(c, i, _)| {
                let block = chapters.get(c)?.body.get(i)?;
                mark_position(block, &note.number).map(|at| (c, i, at))
            });
        let text = wrap(&escape(&note.text), 4);
        match target {
            Some((c, i, at)) => {
                let block = &mut chapters[c].body[i];
                block.replace_range(at..at + note.number.len(), &format!("[^{label}]"));
                chapters[c].notes.push(format!("[^{label}]: {text}"));
            }
            None => {
                report.guess(
                    name,
                    note.line,
                    "note",
                    format!(
                        "footnote {} marks no text found: kept as a paragraph",
                        note.number
                    ),
                );
                if let Some(c) = chapters.last_mut() {
                    c.body.push(text);
                }
            }
        }
    }
}

/// Joins a paragraph's lines, rejoining words broken at line ends.
fn join_lines(lines: &[Line], vocab: &Vocabulary, name: &str, report: &mut Report) -> String {
    let mut text = String::new();
    for (i, l) in lines.iter().enumerate() {
        let piece = l.text.trim();
        if i == 0 {
            text.push_str(piece);
            continue;
        }
        let broken = text.ends_with('-') && !text.ends_with(" -") && !text.ends_with("--");
        if !broken {
            text.push(' ');
            text.push_str(piece);
            continue;
        }
        let left = hyphens::words(&text).next_back().unwrap_or("").to_string();
        let right = hyphens::words(piece).next().unwrap_or("");
        let (decision, evidence) = hyphens::decide(vocab, &left, right);
        if decision == Decision::Join {
            text.pop();
        }
        let noted = matches!(evidence, Evidence::HalvesSeen | Evidence::Default);
        if decision == Decision::Keep || noted {
            let shown = if decision == Decision::Join {
                "joined"
            } else {
                "kept the hyphen in"
            };
            report.guess(
                name,
                lines[i - 1].no,
                "hyphen",
                format!("{shown} {left}-{right} ({evidence:?})"),
            );
        }
        text.push_str(piece);
    }
    // Extraction doubles spaces where the print justified the line.
    let mut out = String::with_capacity(text.len());
    for w in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Replaces author-date citations with keys, recording stubs.
pub(crate) fn cite(
    text: &str,
    line: usize,
    stubs: &mut Stubs,
    name: &str,
    report: &mut Report,
) -> String {
    let found = cites::find(text);
    let mut out = String::new();
    let mut from = 0;
    for f in found {
        if f.range.start < from {
            continue;
        }
        let original = &text[f.range.clone()];
        let (author, year) = stub_of(&f.key, original);
        stubs.entry(f.key.clone()).or_insert(Stub { author, year });
        report.guess(
            name,
            line,
            "citation",
            format!(
                "{original} → {}: a stub reference {} to fill in",
                f.markdown, f.key
            ),
        );
        // The citation replaces the parenthesis and the space before it
        // stays: `“ [@snow1961, 96].`
        out.push_str(&text[from..f.range.start]);
        out.push_str(&f.markdown);
        from = f.range.end;
    }
    out.push_str(&text[from..]);
    out
}

fn stub_of(key: &str, original: &str) -> (String, Option<String>) {
    let inner = original.trim_matches(['(', ')']).trim();
    let author: String = inner
        .chars()
        .take_while(|c| c.is_alphabetic() || matches!(c, '\'' | '-' | '’'))
        .collect();
    let year: String = key.chars().filter(|c| c.is_ascii_digit()).collect();
    (author, (!year.is_empty()).then_some(year))
}

/// Backslashes what Markdown would read as markup in plain text.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        // Citations and note marks made here stay markup.
        if c == '[' && matches!(chars.peek(), Some('@') | Some('^')) {
            out.push(c);
            for d in chars.by_ref() {
                out.push(d);
                if d == ']' {
                    break;
                }
            }
            continue;
        }
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '^' | '$'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Wraps at about 100 characters, never starting a line with what
/// Markdown would read as a list item, a heading or a quotation.
fn wrap(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    let mut len = 0;
    let starts_block = |w: &str| {
        let digits = w.chars().take_while(|c| c.is_ascii_digit()).count();
        matches!(w, "-" | "+" | "*" | "=" | ">")
            || w.starts_with(['-', '+', '*', '#', '>', '=', '|'])
            || (digits > 0 && w[digits..].starts_with(['.', ')']))
    };
    for w in text.split(' ') {
        let wlen = w.chars().count();
        if len > 0 && len + 1 + wlen > 100 && !starts_block(w) {
            out.push('\n');
            out.push_str(&pad);
            len = indent;
        } else if len > 0 {
            out.push(' ');
            len += 1;
        }
        out.push_str(w);
        len += wlen;
    }
    out
}

fn stem(name: &str) -> String {
    name.rsplit_once('.').map_or(name, |(s, _)| s).to_string()
}

/// A chapter's file name: its number and its title in Latin letters.
pub(crate) fn chapter_file_name(i: usize, title: &str) -> String {
    let mut slug = String::new();
    for w in title.split_whitespace().take(4) {
        let key = cites::key_for(w, None);
        if key != "ref" {
            if !slug.is_empty() {
                slug.push('-');
            }
            slug.push_str(&key);
        }
    }
    if slug.is_empty() {
        slug.push_str("chapter");
    }
    format!("{:02}-{slug}.md", i + 1)
}

fn files(chapters: &[Chapter], stubs: &Stubs, source: &str, name: &str) -> Files {
    let mut out: Files = Vec::new();
    let mut names = Vec::new();
    for (i, c) in chapters.iter().enumerate() {
        let file = chapter_file_name(i, &c.title);
        let mut md = format!("# {}\n", escape(&c.title));
        for b in &c.body {
            md.push('\n');
            md.push_str(b);
            md.push('\n');
        }
        for n in &c.notes {
            md.push('\n');
            md.push_str(n);
            md.push('\n');
        }
        names.push(file.clone());
        out.push((file, md.into_bytes()));
    }
    out.push((
        "book.toml".into(),
        book_toml(&names, source, name).into_bytes(),
    ));
    out.push(("references.yaml".into(), references(stubs).into_bytes()));
    out
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn book_toml(chapters: &[String], source: &str, name: &str) -> String {
    let georgian = source
        .chars()
        .filter(|&c| crate::hyphenate::is_georgian(c))
        .count();
    let latin = source.chars().filter(char::is_ascii_alphabetic).count();
    let language = if georgian >= latin { "ka" } else { "en" };
    let list: Vec<String> = chapters.iter().map(|c| toml_string(c)).collect();
    format!(
        "# Imported from {name} by `tsigni import`. The text gives no title, author or date:\n\
         # the title below is the file's name; replace it, and fill in what you know.\n\
         [book]\n\
         title = {title}\n\
         language = \"{language}\"\n\
         identifier = \"{id}\"\n\
         authors = []\n\
         chapters = [{list}]\n\
         \n\
         [bibliography]\n\
         references = \"references.yaml\"\n\
         # style and locale: tsigni's built-in Georgian ones unless you name files here\n",
        title = toml_string(&stem(name)),
        id = crate::new::fresh_uuid(),
        list = list.join(", "),
    )
}

/// Stub references: the author and year the citation gave, and nothing
/// invented; tsigni warns about each missing title.
fn references(stubs: &Stubs) -> String {
    let mut out = String::from(
        "# Stub references made by `tsigni import` from the citations in the text:\n\
         # each gives only the author and year the citation named. Fill in title,\n\
         # publisher and the rest (see the README for examples).\n",
    );
    for (key, stub) in stubs {
        out.push_str(&format!(
            "{key}:\n  type: misc\n  author: {}\n",
            yaml_string(&stub.author)
        ));
        if let Some(y) = &stub.year {
            out.push_str(&format!("  date: {y}\n"));
        }
    }
    if stubs.is_empty() {
        out.push_str("{}\n");
    }
    out
}

fn yaml_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}
