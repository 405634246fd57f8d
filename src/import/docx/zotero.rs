//! Zotero and Mendeley citation fields (`ADDIN ZOTERO_ITEM CSL_CITATION
//! {…}`, `ADDIN CSL_CITATION {…}`): the CSL-JSON they carry becomes real
//! entries of the references file, the field a `[@key, locator]`.

use serde_json::Value;
use serde_yaml::{Mapping, Value as Y};
use std::collections::BTreeMap;

/// The works cited through fields, by key, as hayagriva YAML values.
#[derive(Default)]
pub struct Library {
    pub entries: BTreeMap<String, Y>,
    /// The field item's id (Zotero's URI or number) → key, so that one work
    /// cited twice has one entry.
    ids: BTreeMap<String, String>,
}

impl Library {
    /// The Markdown for one field's instruction, or `None` when it carries
    /// no readable CSL-JSON.
    pub fn cite(&mut self, instr: &str) -> Option<String> {
        let json_start = instr.find('{')?;
        let json: Value = serde_json::from_str(instr[json_start..].trim_end()).ok()?;
        let items = json.get("citationItems")?.as_array()?;
        let mut parts = Vec::new();
        for item in items {
            let data = item.get("itemData")?;
            let id = item
                .get("uris")
                .and_then(|u| u.get(0))
                .or_else(|| item.get("id"))
                .map(|v| v.to_string())
                .unwrap_or_default();
            let key = match self.ids.get(&id) {
                Some(k) => k.clone(),
                None => {
                    let key = self.fresh_key(data);
                    self.entries.insert(key.clone(), entry(data));
                    self.ids.insert(id, key.clone());
                    key
                }
            };
            match item
                .get("locator")
                .and_then(Value::as_str)
                .filter(|l| !l.is_empty())
            {
                Some(l) => parts.push(format!("@{key}, {l}")),
                None => parts.push(format!("@{key}")),
            }
        }
        (!parts.is_empty()).then(|| format!("[{}]", parts.join("; ")))
    }

    fn fresh_key(&self, data: &Value) -> String {
        let family = data
            .get("author")
            .and_then(|a| a.get(0))
            .and_then(|a| a.get("family").or_else(|| a.get("literal")))
            .and_then(Value::as_str)
            .unwrap_or("anon");
        let base = crate::import::cites::key_for(family, year(data).as_deref());
        let mut key = base.clone();
        let mut suffix = b'a';
        while self.entries.contains_key(&key) && suffix <= b'z' {
            key = format!("{base}{}", suffix as char);
            suffix += 1;
        }
        key
    }
}

fn year(data: &Value) -> Option<String> {
    let parts = data.get("issued")?.get("date-parts")?.get(0)?.as_array()?;
    let nums: Vec<String> = parts
        .iter()
        .filter_map(|p| p.as_i64().or_else(|| p.as_str()?.parse().ok()))
        .map(|n| n.to_string())
        .collect();
    nums.first().cloned()
}

fn date(data: &Value) -> Option<String> {
    let parts = data.get("issued")?.get("date-parts")?.get(0)?.as_array()?;
    let nums: Vec<i64> = parts
        .iter()
        .filter_map(|p| p.as_i64().or_else(|| p.as_str()?.parse().ok()))
        .collect();
    match nums.as_slice() {
        [y] => Some(format!("{y:04}")),
        [y, m] => Some(format!("{y:04}-{m:02}")),
        [y, m, d, ..] => Some(format!("{y:04}-{m:02}-{d:02}")),
        [] => None,
    }
}

fn s(data: &Value, key: &str) -> Option<Y> {
    let v = data.get(key)?;
    let text = match v {
        Value::String(t) => t.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!text.trim().is_empty()).then_some(Y::String(text))
}

fn names(data: &Value, key: &str) -> Option<Y> {
    let list: Vec<Y> = data
        .get(key)?
        .as_array()?
        .iter()
        .filter_map(|n| {
            if let Some(l) = n.get("literal").and_then(Value::as_str) {
                return Some(Y::String(l.to_string()));
            }
            let family = n.get("family").and_then(Value::as_str)?;
            Some(Y::String(match n.get("given").and_then(Value::as_str) {
                Some(g) => format!("{family}, {g}"),
                None => family.to_string(),
            }))
        })
        .collect();
    (!list.is_empty()).then_some(Y::Sequence(list))
}

fn put(m: &mut Mapping, key: &str, v: Option<Y>) {
    if let Some(v) = v {
        m.insert(Y::String(key.into()), v);
    }
}

/// One CSL-JSON item as a hayagriva entry: only the fields it has.
fn entry(data: &Value) -> Y {
    let csl_type = data.get("type").and_then(Value::as_str).unwrap_or("");
    let (kind, parent_kind) = match csl_type {
        "book" => ("book", None),
        "article-journal" | "article-magazine" | "article-newspaper" => {
            ("article", Some("periodical"))
        }
        "chapter" | "entry-encyclopedia" | "entry-dictionary" => ("chapter", Some("book")),
        "thesis" => ("thesis", None),
        "report" => ("report", None),
        "webpage" | "post-weblog" => ("web", None),
        _ => ("misc", None),
    };
    let mut m = Mapping::new();
    put(&mut m, "type", Some(Y::String(kind.into())));
    put(&mut m, "title", s(data, "title"));
    put(&mut m, "author", names(data, "author"));
    put(&mut m, "date", date(data).map(Y::String));
    put(&mut m, "edition", s(data, "edition"));
    put(&mut m, "language", s(data, "language"));
    put(&mut m, "url", s(data, "URL"));
    if let Some(doi) = s(data, "DOI") {
        let mut sn = Mapping::new();
        sn.insert(Y::String("doi".into()), doi);
        m.insert(Y::String("serial-number".into()), Y::Mapping(sn));
    }
    let publisher = {
        let mut p = Mapping::new();
        put(&mut p, "name", s(data, "publisher"));
        put(&mut p, "location", s(data, "publisher-place"));
        (!p.is_empty()).then_some(Y::Mapping(p))
    };
    put(&mut m, "page-range", s(data, "page"));
    match parent_kind {
        Some(pk) => {
            let mut parent = Mapping::new();
            put(&mut parent, "type", Some(Y::String(pk.into())));
            put(&mut parent, "title", s(data, "container-title"));
            put(&mut parent, "volume", s(data, "volume"));
            put(&mut parent, "issue", s(data, "issue"));
            put(&mut parent, "editor", names(data, "editor"));
            put(&mut parent, "publisher", publisher);
            m.insert(Y::String("parent".into()), Y::Mapping(parent));
        }
        None => {
            put(&mut m, "volume", s(data, "volume"));
            put(&mut m, "publisher", publisher);
        }
    }
    Y::Mapping(m)
}
