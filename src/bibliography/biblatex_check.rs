//! Limits checked on a BibLaTeX file before hayagriva and the biblatex crate
//! resolve it: both follow `@string` abbreviations and `crossref`/`xdata`
//! links recursively and without bound, so a cycle overflows the stack and a
//! chain of doubling strings fills memory. The raw parse used here does
//! neither (it is one linear pass), so the links can be measured first.

use super::Problem;
use biblatex::{Pair, RawBibliography, RawChunk};
use std::collections::HashMap;
use std::ops::Range;

/// Longest chain of `crossref`/`xdata` links followed; biblatex's own
/// documentation uses one or two levels.
pub const MAX_LINK_DEPTH: usize = 32;
/// Entries one entry may inherit from, counting each path: `xdata` lists
/// can fan out, and biblatex copies the whole tree for every entry.
pub const MAX_INHERITED: u64 = 1_000;
/// Deepest chain of `@string` abbreviations referring to one another.
pub const MAX_STRING_DEPTH: usize = 32;
/// Largest value of one field once its abbreviations are expanded.
pub const MAX_FIELD_BYTES: u64 = 1 << 20;
/// Most pieces (text between braces or `$`) in one field: the biblatex crate
/// merges them with a quadratic loop, so 100,000 nested braces took minutes.
/// A title protecting every word in braces has a few dozen.
pub const MAX_FIELD_PIECES: u64 = 256;
/// Largest sum of every expanded field.
pub const MAX_TOTAL_BYTES: u64 = 16 << 20;

/// Every problem that would make resolving `src` crash or blow up; empty
/// when it is safe (syntax errors are left to the real parser to report).
pub fn check(src: &str) -> Vec<Problem> {
    let Ok(raw) = RawBibliography::parse(src) else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    // As in biblatex: the last definition of a name wins.
    let strings: HashMap<&str, &Pair> = raw.abbreviations.iter().map(|p| (p.key.v, p)).collect();
    let measures = measure_strings(&raw.abbreviations, &strings, &mut problems);
    if !problems.is_empty() {
        return problems;
    }
    check_fields(&raw, &measures, &mut problems);
    if !problems.is_empty() {
        return problems;
    }
    check_links(&raw, &strings, &mut problems);
    problems
}

/// Expanded size and nesting depth of an abbreviation.
#[derive(Clone, Copy)]
struct Measure {
    bytes: u64,
    depth: usize,
    pieces: u64,
}

/// Size and pieces of a chunk of literal text.
fn literal(s: &str) -> Measure {
    let pieces = s
        .bytes()
        .filter(|b| matches!(b, b'{' | b'}' | b'$'))
        .count() as u64;
    Measure {
        bytes: s.len() as u64,
        depth: 0,
        pieces: pieces + 1,
    }
}

impl Measure {
    const ZERO: Measure = Measure {
        bytes: 0,
        depth: 0,
        pieces: 0,
    };

    /// Adds a part that sits `nested` levels below this one.
    fn add(&mut self, part: Measure, nested: usize) {
        self.bytes = self.bytes.saturating_add(part.bytes);
        self.pieces = self.pieces.saturating_add(part.pieces);
        self.depth = self.depth.max(part.depth + nested);
    }
}

#[derive(Clone, Copy)]
enum State {
    Open,
    Done(Measure),
}

/// Measures every `@string` without expanding it (sizes add up, so a chain
/// of doublings is counted in linear time), walking the references with an
/// explicit stack so a long chain cannot overflow this check either.
fn measure_strings<'s>(
    order: &'s [Pair<'s>],
    strings: &HashMap<&'s str, &'s Pair<'s>>,
    problems: &mut Vec<Problem>,
) -> HashMap<&'s str, Measure> {
    let mut state: HashMap<&str, State> = HashMap::new();
    for root in order {
        if state.contains_key(root.key.v) {
            continue;
        }
        // (name, next chunk, measure so far)
        let mut stack: Vec<(&str, usize, Measure)> = vec![(root.key.v, 0, Measure::ZERO)];
        state.insert(root.key.v, State::Open);
        while let Some(top) = stack.last_mut() {
            let (name, next) = (top.0, top.1);
            let chunks = strings.get(name).map_or(&[][..], |p| &p.value.v[..]);
            let Some(chunk) = chunks.get(next) else {
                let (name, _, m) = *top;
                stack.pop();
                state.insert(name, State::Done(m));
                if m.depth > MAX_STRING_DEPTH {
                    problems.push(Problem::new(
                        strings.get(name).map_or(0..0, |p| p.key.span.clone()),
                        format!(
                            "@string {name} is built from strings nested {} deep; at most {MAX_STRING_DEPTH}",
                            m.depth
                        ),
                    ));
                }
                if let Some(parent) = stack.last_mut() {
                    parent.2.add(m, 1);
                }
                continue;
            };
            top.1 += 1;
            match chunk.v {
                RawChunk::Normal(s) => top.2.add(literal(s), 0),
                RawChunk::Abbreviation(a) => match state.get(a).copied() {
                    Some(State::Done(m)) => top.2.add(m, 1),
                    Some(State::Open) => problems.push(Problem::new(
                        chunk.span.clone(),
                        format!("@string {name} refers to {a}, which refers back to it: the string never ends"),
                    )),
                    // A month name or an unknown string (reported by the parser).
                    None if !strings.contains_key(a) => top.2.add(literal(a), 0),
                    None => {
                        state.insert(a, State::Open);
                        stack.push((a, 0, Measure::ZERO));
                    }
                },
            }
        }
    }
    state
        .into_iter()
        .filter_map(|(k, s)| match s {
            State::Done(m) => Some((k, m)),
            State::Open => None,
        })
        .collect()
}

/// Expanded size of every field, against the per-field and total limits.
fn check_fields(
    raw: &RawBibliography,
    measures: &HashMap<&str, Measure>,
    problems: &mut Vec<Problem>,
) {
    let mut total: u64 = 0;
    for entry in &raw.entries {
        for field in &entry.v.fields {
            let mut m = Measure::ZERO;
            for c in &field.value.v {
                match c.v {
                    RawChunk::Normal(s) => m.add(literal(s), 0),
                    RawChunk::Abbreviation(a) => {
                        m.add(measures.get(a).copied().unwrap_or(literal(a)), 1)
                    }
                }
            }
            let bytes = m.bytes;
            if bytes > MAX_FIELD_BYTES {
                problems.push(Problem::new(
                    field.value.span.clone(),
                    format!(
                        "field {} of {} expands to {} through @string abbreviations; a field may hold at most {}",
                        field.key.v,
                        entry.v.key.v,
                        size(bytes),
                        size(MAX_FIELD_BYTES)
                    ),
                ));
                return;
            }
            if m.pieces > MAX_FIELD_PIECES {
                problems.push(Problem::new(
                    field.value.span.clone(),
                    format!(
                        "field {} of {} has {} pieces between braces; at most {MAX_FIELD_PIECES}",
                        field.key.v, entry.v.key.v, m.pieces
                    ),
                ));
                return;
            }
            total = total.saturating_add(bytes);
            if total > MAX_TOTAL_BYTES {
                problems.push(Problem::new(
                    field.value.span.clone(),
                    format!(
                        "the references expand to more than {} through @string abbreviations (reached here)",
                        size(MAX_TOTAL_BYTES)
                    ),
                ));
                return;
            }
        }
    }
}

/// A byte count for messages, in the units the limits are set in.
pub fn size(bytes: u64) -> String {
    const MIB: u64 = 1 << 20;
    if bytes >= MIB {
        if bytes.is_multiple_of(MIB) {
            format!("{} MiB", bytes / MIB)
        } else {
            format!("{:.1} MiB ({bytes} bytes)", bytes as f64 / MIB as f64)
        }
    } else {
        format!("{bytes} bytes")
    }
}

/// Where an entry's links stand: the keys it inherits from and the span of
/// the field naming them.
struct Links<'s> {
    key: &'s str,
    parents: Vec<(String, Range<usize>)>,
}

/// `crossref` and `xdata` links: no cycle, no chain deeper than
/// [`MAX_LINK_DEPTH`], no entry inheriting through more than
/// [`MAX_INHERITED`] paths.
fn check_links(raw: &RawBibliography, strings: &HashMap<&str, &Pair>, problems: &mut Vec<Problem>) {
    let entries: Vec<Links> = raw.entries.iter().map(|e| links(&e.v, strings)).collect();
    let index: HashMap<&str, usize> = entries
        .iter()
        .enumerate()
        .rev()
        .map(|(i, e)| (e.key, i))
        .collect();
    // Per entry: None unvisited, Some(None) open, Some(Some((depth, paths))).
    let mut done: Vec<Option<Option<(usize, u64)>>> = vec![None; entries.len()];
    for root in 0..entries.len() {
        if done[root].is_some() {
            continue;
        }
        let mut stack: Vec<(usize, usize, usize, u64)> = vec![(root, 0, 0, 1)];
        done[root] = Some(None);
        while let Some(top) = stack.last_mut() {
            let (i, next) = (top.0, top.1);
            let Some((parent_key, span)) = entries[i].parents.get(next) else {
                let (i, _, depth, paths) = *top;
                stack.pop();
                done[i] = Some(Some((depth, paths)));
                if let Some(child) = stack.last_mut() {
                    child.2 = child.2.max(depth + 1);
                    child.3 = child.3.saturating_add(paths);
                    if let Some(p) = too_far(child, &entries) {
                        problems.push(p);
                        return;
                    }
                }
                continue;
            };
            top.1 += 1;
            let Some(&p) = index.get(parent_key.as_str()) else {
                continue;
            };
            match done[p] {
                Some(Some((depth, paths))) => {
                    top.2 = top.2.max(depth + 1);
                    top.3 = top.3.saturating_add(paths);
                    if let Some(p) = too_far(top, &entries) {
                        problems.push(p);
                        return;
                    }
                }
                Some(None) => {
                    let path = cycle_path(&stack, p, &entries);
                    problems.push(Problem::new(
                        span.clone(),
                        format!("crossref/xdata cycle: {path}"),
                    ));
                    return;
                }
                None => {
                    done[p] = Some(None);
                    stack.push((p, 0, 0, 1));
                }
            }
        }
    }
}

/// A frame (entry, next link, depth, paths) whose inheritance passes a
/// limit, reported at the link just followed.
fn too_far(frame: &(usize, usize, usize, u64), entries: &[Links]) -> Option<Problem> {
    let (i, next, depth, paths) = *frame;
    let key = entries[i].key;
    let span = entries[i]
        .parents
        .get(next.saturating_sub(1))
        .map_or(0..0, |(_, s)| s.clone());
    if depth > MAX_LINK_DEPTH {
        Some(Problem::new(
            span,
            format!(
                "{key} inherits through a chain of more than {MAX_LINK_DEPTH} crossref/xdata links"
            ),
        ))
    } else if paths > MAX_INHERITED {
        Some(Problem::new(
            span,
            format!("{key} inherits from more than {MAX_INHERITED} entries through crossref/xdata"),
        ))
    } else {
        None
    }
}

/// `a → b → a`, from where the cycle starts on the stack.
fn cycle_path(stack: &[(usize, usize, usize, u64)], to: usize, entries: &[Links]) -> String {
    let from = stack.iter().position(|f| f.0 == to).unwrap_or(0);
    let mut keys: Vec<&str> = stack[from..].iter().map(|f| entries[f.0].key).collect();
    keys.push(entries[to].key);
    keys.join(" → ")
}

fn links<'s>(entry: &biblatex::RawEntry<'s>, strings: &HashMap<&str, &Pair>) -> Links<'s> {
    let mut parents = Vec::new();
    for field in &entry.fields {
        let name = field.key.v.to_ascii_lowercase();
        if name != "crossref" && name != "xdata" {
            continue;
        }
        let text = flat_text(&field.value.v, strings);
        let keys: Vec<&str> = if name == "xdata" {
            text.split(',').collect()
        } else {
            vec![text.as_str()]
        };
        for k in keys {
            let k = k.trim();
            if !k.is_empty() {
                parents.push((k.to_string(), field.value.span.clone()));
            }
        }
    }
    Links {
        key: entry.key.v,
        parents,
    }
}

/// The text of a field with its abbreviations expanded one level deep: keys
/// are plain words, and the sizes were checked before this is called.
fn flat_text(chunks: &[biblatex::Spanned<RawChunk>], strings: &HashMap<&str, &Pair>) -> String {
    let mut out = String::new();
    for c in chunks {
        match c.v {
            RawChunk::Normal(s) => out.push_str(s),
            RawChunk::Abbreviation(a) => match strings.get(a) {
                Some(p) => {
                    for inner in &p.value.v {
                        if let RawChunk::Normal(s) = inner.v {
                            out.push_str(s);
                        }
                    }
                }
                None => out.push_str(a),
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(src: &str) -> Vec<String> {
        check(src).into_iter().map(|p| p.message).collect()
    }

    #[test]
    fn a_plain_crossref_passes() {
        let src = "@book{b, title={B}}\n@inbook{a, crossref={b}, title={A}}\n";
        assert!(messages(src).is_empty());
    }

    #[test]
    fn cycles_are_found() {
        let own = messages("@book{a, crossref={a}}");
        assert!(own[0].contains("cycle: a → a"), "{own:?}");
        let two = messages("@book{a, crossref={b}}\n@book{b, xdata={c, a}}\n@xdata{c, title={C}}");
        assert!(two[0].contains("a → b → a"), "{two:?}");
    }

    #[test]
    fn long_chains_and_fans_are_refused() {
        let mut src = String::new();
        for i in 0..100 {
            src.push_str(&format!("@book{{e{i}, crossref={{e{}}}}}\n", i + 1));
        }
        assert!(messages(&src)[0].contains("chain of more than 32"));
        let mut fan = String::new();
        for i in 0..20 {
            fan.push_str(&format!(
                "@xdata{{x{i}, xdata={{x{0}, x{0}, x{0}}}}}\n",
                i + 1
            ));
        }
        assert!(messages(&fan)[0].contains("more than 1000 entries"));
    }

    #[test]
    fn doubling_strings_are_measured_not_expanded() {
        let mut src = String::from("@string{s0 = \"abcdefgh\"}\n");
        for i in 1..60 {
            src.push_str(&format!("@string{{s{i} = s{0} # s{0}}}\n", i - 1));
        }
        src.push_str("@book{a, title = s59}\n");
        let m = messages(&src);
        assert!(m.iter().any(|m| m.contains("nested 33 deep")), "{m:?}");
        let mut shallow = String::from("@string{s0 = \"abcdefgh\"}\n");
        for i in 1..30 {
            shallow.push_str(&format!("@string{{s{i} = s{0} # s{0}}}\n", i - 1));
        }
        shallow.push_str("@book{a, title = s29}\n");
        let m = messages(&shallow);
        assert!(m[0].contains("expands to 4096 MiB"), "{m:?}");
        assert!(
            messages("@string{a = b}\n@string{b = a}\n@book{x, title = a}")[0]
                .contains("refers back")
        );
    }
}
