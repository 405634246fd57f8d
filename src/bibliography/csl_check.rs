//! A pass over a CSL style's XML before citationberg and hayagriva read it.
//! Both recurse without bound: citationberg over nested elements, hayagriva
//! into every macro a macro calls, so a macro calling itself or 3,000 nested
//! `<group>`s overflow the stack. Neither reports a macro that is never
//! defined. This pass finds those at their line and column.

use super::Problem;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::HashMap;
use std::ops::Range;

/// Deepest element nesting in a style or locale file; real styles nest
/// about ten deep.
pub const MAX_ELEMENT_DEPTH: usize = 64;
/// Deepest nesting hayagriva follows while rendering: elements, plus those
/// of every macro called, plus theirs.
pub const MAX_RENDER_DEPTH: usize = 128;

/// A macro's definition: where it stands and what it calls, with the
/// element depth of each call inside it.
struct Macro {
    at: Range<usize>,
    depth: usize,
    calls: Vec<Call>,
}

struct Call {
    name: String,
    at: Range<usize>,
    /// Element depth of the call below the macro (or the style root).
    depth: usize,
}

/// Problems of a style (`macros` true) or a locale file.
pub fn check(src: &str, macros: bool) -> Vec<Problem> {
    let mut reader = Reader::from_str(src);
    let mut defs: HashMap<String, Macro> = HashMap::new();
    let mut outside: Vec<Call> = Vec::new();
    // The open elements; the macro being defined and the depth it opened at.
    let mut depth = 0usize;
    let mut current: Option<(String, usize)> = None;
    let mut problems = Vec::new();
    loop {
        let start = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let at = reader.error_position() as usize;
                problems.push(Problem::new(
                    at..at + 1,
                    format!("not well-formed XML: {e}"),
                ));
                return problems;
            }
        };
        let end = reader.buffer_position() as usize;
        let (element, empty) = match &event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if current.as_ref().is_some_and(|(_, d)| *d == depth) {
                    current = None;
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        depth += 1;
        if depth > MAX_ELEMENT_DEPTH {
            problems.push(Problem::new(
                start..end,
                format!("elements nested deeper than {MAX_ELEMENT_DEPTH} levels"),
            ));
            return problems;
        }
        if macros {
            note_macro(
                element,
                start..end,
                depth,
                &mut current,
                &mut defs,
                &mut outside,
            );
        }
        if empty {
            depth -= 1;
        }
    }
    if macros {
        check_calls(&defs, &outside, &mut problems);
    }
    problems
}

/// Records a `<macro name>` definition or a `macro="…"` call.
fn note_macro(
    element: &BytesStart,
    at: Range<usize>,
    depth: usize,
    current: &mut Option<(String, usize)>,
    defs: &mut HashMap<String, Macro>,
    outside: &mut Vec<Call>,
) {
    let attr = |name: &str| {
        element
            .try_get_attribute(name)
            .ok()
            .flatten()
            .map(|a| String::from_utf8_lossy(&a.value).into_owned())
    };
    if element.local_name().as_ref() == b"macro" {
        if let Some(name) = attr("name") {
            defs.entry(name.clone()).or_insert(Macro {
                at,
                depth: 1,
                calls: Vec::new(),
            });
            *current = Some((name, depth - 1));
        }
        return;
    }
    let (caller, below) = match current {
        Some((name, base)) => (defs.get_mut(name.as_str()), depth - *base),
        None => (None, depth),
    };
    let call = attr("macro").map(|name| Call {
        name,
        at,
        depth: below,
    });
    match caller {
        Some(m) => {
            m.depth = m.depth.max(below);
            m.calls.extend(call);
        }
        None => outside.extend(call),
    }
}

/// Undefined macros, recursion, and render depth, walked with an explicit
/// stack so a long chain of macros cannot overflow this check.
fn check_calls(defs: &HashMap<String, Macro>, outside: &[Call], problems: &mut Vec<Problem>) {
    for call in outside.iter().chain(defs.values().flat_map(|m| &m.calls)) {
        if !defs.contains_key(&call.name) {
            problems.push(Problem::new(
                call.at.clone(),
                format!("macro {:?} is called but never defined", call.name),
            ));
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.range.start);
        return;
    }
    // Per macro: None open, Some(depth) done.
    let mut done: HashMap<&str, Option<usize>> = HashMap::new();
    let mut names: Vec<&String> = defs.keys().collect();
    names.sort_by_key(|n| defs[n.as_str()].at.start);
    for root in names {
        if done.contains_key(root.as_str()) {
            continue;
        }
        let mut stack: Vec<(&str, usize, usize)> = vec![(root, 0, defs[root.as_str()].depth)];
        done.insert(root, None);
        while let Some(top) = stack.last_mut() {
            let m = &defs[top.0];
            let Some(call) = m.calls.get(top.1) else {
                let (name, _, depth) = *top;
                stack.pop();
                done.insert(name, Some(depth));
                if let Some(caller) = stack.last_mut() {
                    let at = defs[caller.0].calls[caller.1 - 1].depth;
                    caller.2 = caller.2.max(at + depth);
                }
                continue;
            };
            top.1 += 1;
            match done.get(call.name.as_str()).copied() {
                Some(Some(depth)) => top.2 = top.2.max(call.depth + depth),
                Some(None) => {
                    let message = if call.name == top.0 {
                        format!("macro {:?} calls itself", call.name)
                    } else {
                        let from = stack.iter().position(|f| f.0 == call.name).unwrap_or(0);
                        let path: Vec<&str> = stack[from..].iter().map(|f| f.0).collect();
                        format!(
                            "macros call each other in a cycle: {} → {}",
                            path.join(" → "),
                            call.name
                        )
                    };
                    problems.push(Problem::new(call.at.clone(), message));
                    return;
                }
                None => {
                    let (name, def) = defs
                        .get_key_value(call.name.as_str())
                        .map(|(k, v)| (k.as_str(), v))
                        .unwrap_or(("", &EMPTY));
                    done.insert(name, None);
                    stack.push((name, 0, def.depth));
                }
            }
        }
    }
    for call in outside {
        let depth = call.depth + done.get(call.name.as_str()).copied().flatten().unwrap_or(0);
        if depth > MAX_RENDER_DEPTH {
            problems.push(Problem::new(
                call.at.clone(),
                format!(
                    "rendering goes {depth} elements deep through macro {:?}; at most {MAX_RENDER_DEPTH}",
                    call.name
                ),
            ));
            return;
        }
    }
}

/// The element a citationberg error path names (`bibliography.layout.
/// $value[0].group.$value[1].text`, below the root element), or the
/// deepest one of the path that exists.
pub fn locate(src: &str, path: &str) -> Option<Range<usize>> {
    enum Step<'p> {
        Name(&'p str),
        Nth(usize),
    }
    let mut steps = Vec::new();
    let mut after_nth = false;
    for segment in path.split('.') {
        if let Some(n) = segment
            .strip_prefix("$value[")
            .and_then(|r| r.strip_suffix(']'))
        {
            steps.push(Step::Nth(n.parse().ok()?));
            after_nth = true;
        } else if !segment.is_empty() && !segment.starts_with('$') && !after_nth {
            steps.push(Step::Name(segment));
        } else {
            // The name after `$value[i]` is the kind of that same child.
            after_nth = false;
        }
    }
    let mut reader = Reader::from_str(src);
    let (mut depth, mut matched, mut seen) = (0usize, 0usize, 0usize);
    let mut found = None;
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader.read_event().ok()?;
        let end = reader.buffer_position() as usize;
        let (element, empty) = match &event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth < matched + 1 {
                    return found;
                }
                continue;
            }
            Event::Eof => return found,
            _ => continue,
        };
        depth += 1;
        if depth == matched + 2 {
            let hit = match steps.get(matched) {
                Some(Step::Name(n)) => element.local_name().as_ref() == n.as_bytes(),
                Some(Step::Nth(i)) => {
                    seen += 1;
                    seen - 1 == *i
                }
                None => false,
            };
            if hit {
                found = Some(start..end);
                matched += 1;
                seen = 0;
                if matched == steps.len() {
                    return found;
                }
            }
        }
        if empty {
            depth -= 1;
        }
    }
}

static EMPTY: Macro = Macro {
    at: 0..0,
    depth: 0,
    calls: Vec::new(),
};

#[cfg(test)]
mod tests {
    use super::*;

    fn style(macros: &str, layout: &str) -> String {
        format!(
            "<style xmlns=\"http://purl.org/net/xbiblio/csl\" class=\"in-text\" version=\"1.0\">\n{macros}\n<citation><layout>{layout}</layout></citation>\n</style>"
        )
    }

    fn messages(src: &str) -> Vec<(usize, String)> {
        check(src, true)
            .into_iter()
            .map(|p| (p.range.start, p.message))
            .collect()
    }

    #[test]
    fn the_manuscript_style_passes() {
        let src = include_str!("../../manuscript/style.csl");
        assert!(messages(src).is_empty());
    }

    #[test]
    fn recursion_is_found_at_the_call() {
        let own = style(
            "<macro name=\"a\"><text macro=\"a\"/></macro>",
            "<text macro=\"a\"/>",
        );
        let m = messages(&own);
        assert_eq!(m[0].1, "macro \"a\" calls itself");
        assert_eq!(m[0].0, own.find("<text macro=\"a\"/></macro>").unwrap());
        let pair = style(
            "<macro name=\"a\"><group><text macro=\"b\"/></group></macro><macro name=\"b\"><text macro=\"a\"/></macro>",
            "<text macro=\"a\"/>",
        );
        assert!(messages(&pair)[0].1.contains("a → b → a"));
    }

    #[test]
    fn an_undefined_macro_is_an_error() {
        let src = style("", "<text macro=\"nowhere\"/>");
        let m = messages(&src);
        assert_eq!(m[0].1, "macro \"nowhere\" is called but never defined");
        assert_eq!(m[0].0, src.find("<text macro").unwrap());
    }

    #[test]
    fn an_error_path_is_found_in_the_xml() {
        let src = "<style><citation/><bibliography><layout><group/><group><text a=\"1\"/><text b=\"2\"/></group></layout></bibliography></style>";
        let at = locate(src, "bibliography.layout.$value[1].group.$value[1].text");
        assert_eq!(at.map(|r| &src[r]), Some("<text b=\"2\"/>"));
        let partial = locate(src, "bibliography.nothing");
        assert_eq!(partial.map(|r| &src[r]), Some("<bibliography>"));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let groups = format!("{}{}", "<group>".repeat(3000), "</group>".repeat(3000));
        assert!(messages(&style("", &groups))[0]
            .1
            .contains("deeper than 64"));
        let mut chain = String::new();
        for i in 0..40 {
            chain.push_str(&format!(
                "<macro name=\"m{i}\"><group><group><text macro=\"m{}\"/></group></group></macro>",
                i + 1
            ));
        }
        chain.push_str("<macro name=\"m40\"><text value=\"x\"/></macro>");
        let m = messages(&style(&chain, "<text macro=\"m0\"/>"));
        assert!(m[0].1.contains("rendering goes"), "{m:?}");
    }
}
