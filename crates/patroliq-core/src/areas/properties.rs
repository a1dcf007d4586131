//! Which properties of a boundary file carry the area's number and name, found by their values
//! rather than a fixed list of spellings: portals, GIS tools and hand edits name them `dist_num`,
//! `District`, `DIST_NUM`, `area_numbe`, `AREA_NUMBER`, `community`, `COMMUNITY_AREA_NAME`, …
//!
//! A number column is one whose values are small whole numbers (0–65,535) on nearly every
//! feature and tell features apart; a name column is text that is mostly letters. The kind of
//! area comes from the number column's name when it says (`beat`, `dist`, `comm`/`area`), else
//! from how many areas there are and how large the numbers get (Chicago: 22–25 districts,
//! 77 community areas, ~280 beats).

use serde_json::{Map, Value};

use super::AreaKind;

/// The keys chosen, and the kind of area they describe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Keys {
    pub kind: AreaKind,
    pub id: String,
    pub name: Option<String>,
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// "017", "17", 17 and 17.0 are area 17; "17TH" and "1.5" are not numbers.
pub(super) fn area_number(v: &Value) -> Option<u16> {
    let s = as_text(v)?;
    let s = s.strip_suffix(".0").unwrap_or(&s);
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn kind_from_key(key: &str) -> Option<AreaKind> {
    let k = key.to_ascii_lowercase();
    if k.contains("beat") {
        Some(AreaKind::Beat)
    } else if k.contains("dist") {
        Some(AreaKind::District)
    } else if k.contains("comm") || k.contains("area_num") || k.starts_with("area_no") || k == "ca" {
        Some(AreaKind::CommunityArea)
    } else {
        None
    }
}

/// Keys that number the features or measure them, never an area's number.
fn bookkeeping(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    ["objectid", "fid", "gid", "ogc_fid", "shape", "perimeter", "length", "len", "acres", "sqmi"]
        .iter()
        .any(|b| k == *b || k.starts_with(&format!("{b}_")) || k.ends_with(&format!("_{b}")))
        || k.contains("shape_")
}

/// The number, name and kind keys of `features`' properties; `None` when no property numbers
/// the areas.
pub(super) fn detect(features: &[&Map<String, Value>]) -> Option<Keys> {
    let n = features.len();
    if n == 0 {
        return None;
    }
    let mut keys: Vec<&String> = features.iter().flat_map(|p| p.keys()).collect();
    keys.sort();
    keys.dedup();

    // Number columns, best first: named for an area kind, then the most distinct values.
    let mut numbers: Vec<(i32, &String, AreaKind)> = Vec::new();
    for key in &keys {
        let values: Vec<u16> = features.iter().filter_map(|p| p.get(*key).and_then(area_number)).collect();
        // Nearly every feature (a district split in two pieces repeats its number).
        if values.len() * 10 < n * 9 || bookkeeping(key) {
            continue;
        }
        let mut distinct = values.clone();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() * 2 < values.len() || (n > 1 && distinct.len() < 2) {
            continue;
        }
        let max = *distinct.last().unwrap_or(&0);
        let named = kind_from_key(key);
        // Too few features to tell a number column from any other by its values alone.
        if named.is_none() && n < 3 {
            continue;
        }
        let kind = named.or(match (distinct.len(), max) {
            (_, m) if m >= 100 && distinct.len() > 100 => Some(AreaKind::Beat),
            (d, m) if d <= 35 && m <= 35 => Some(AreaKind::District),
            (d, m) if (36..=100).contains(&d) && m <= 100 => Some(AreaKind::CommunityArea),
            _ => None,
        });
        let Some(kind) = kind else { continue };
        // A bare running number (1…n on n features) is only trusted when its name says what it is.
        let running = distinct.len() == n && max as usize == n && distinct[0] == 1;
        let mut score = distinct.len() as i32;
        if named.is_some() {
            score += 10_000;
        }
        if running && named.is_none() && key.to_ascii_lowercase().contains("id") {
            score -= 5_000;
        }
        numbers.push((score, key, kind));
    }
    numbers.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let &(_, id, kind) = numbers.first()?;

    // The name: mostly letters, on most features; named like a name if several qualify.
    let mut names: Vec<(i32, &String)> = Vec::new();
    for key in &keys {
        if *key == id {
            continue;
        }
        let values: Vec<String> = features.iter().filter_map(|p| p.get(*key).and_then(as_text)).collect();
        let wordy = values
            .iter()
            .filter(|v| {
                v.chars().filter(|c| c.is_alphabetic()).count() * 2 > v.chars().count() && v.len() > 1
            })
            .count();
        if wordy * 10 < n * 8 {
            continue;
        }
        let mut distinct = values.clone();
        distinct.sort();
        distinct.dedup();
        let k = key.to_ascii_lowercase();
        let mut score = distinct.len() as i32;
        if k.contains("name") || k == "community" || k.contains("label") {
            score += 10_000;
        }
        // A file's type or date columns repeat one value.
        if distinct.len() < 2 && n > 1 {
            continue;
        }
        names.push((score, key));
    }
    names.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    Some(Keys { kind, id: id.clone(), name: names.first().map(|(_, k)| (*k).clone()) })
}
