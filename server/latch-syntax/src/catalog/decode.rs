//! Decodes the embedded catalogue file (`data/iam-catalog.tsv`, written by
//! `scripts/catalog/generate.js`) into the [`Catalog`]. Every string is a slice of the
//! embedded text and comma lists stay unsplit until asked for, so decoding allocates little
//! and takes a few milliseconds. The format is described in `scripts/catalog/README.md`.

use std::sync::OnceLock;

use super::{AccessLevel, Action, Catalog, ConditionKey, KeyType, List, ResourceType, Service};
use super::{ActionExtra, cmp_ignore_case};

/// The header fields: package name, version, data date and licence.
pub(super) fn header(text: &'static str) -> [&'static str; 4] {
    let mut out = [""; 4];
    for line in text.lines().take(8) {
        let mut f = line.split('\t');
        if f.next() != Some("P") {
            continue;
        }
        let (Some(name), Some(value)) = (f.next(), f.next()) else {
            continue;
        };
        let slot = match name {
            "package" => 0,
            "version" => 1,
            "date" => 2,
            "license" => 3,
            _ => continue,
        };
        out[slot] = value;
    }
    out
}

fn field<'a>(fields: &[&'a str], i: usize) -> &'a str {
    fields.get(i).copied().unwrap_or("")
}

/// The line that separates the index (services, resource types, keys) from the actions.
const ACTIONS_MARK: &str = "\n#actions\n";

/// Builds the catalogue's index: services, resource types and condition keys. Each
/// service's actions stay undecoded until first asked for ([`actions`]). Lines that do not
/// fit the format are skipped: the freshness test guarantees the embedded file is the
/// generator's output, so a skip means a format bug, which the unit tests would show as
/// missing data.
pub(super) fn decode(text: &'static str) -> Catalog {
    let [package, version, date, license] = header(text);
    let (index, bodies) = match text.find(ACTIONS_MARK) {
        Some(i) => (&text[..i + 1], &text[i + ACTIONS_MARK.len()..]),
        None => (text, ""),
    };
    let mut services: Vec<Service> = Vec::with_capacity(460);
    let mut keys: Vec<ConditionKey> = Vec::with_capacity(2700);
    let mut unassociated = Vec::new();
    let mut fields: Vec<&'static str> = Vec::with_capacity(8);
    for line in index.lines() {
        fields.clear();
        fields.extend(line.split('\t'));
        match field(&fields, 0) {
            "G" => keys.push(ConditionKey {
                name: field(&fields, 1),
                key_type: KeyType::parse(field(&fields, 2)),
                description: "",
                service: None,
                category: field(&fields, 3),
            }),
            "U" => unassociated.push((field(&fields, 1), List(field(&fields, 2)))),
            "S" => {
                let number = |i: usize| field(&fields, i).parse::<usize>().unwrap_or(0);
                let body = bodies.get(number(4)..number(5)).unwrap_or("");
                services.push(Service {
                    prefix: field(&fields, 1),
                    name: field(&fields, 2),
                    action_count: number(3),
                    body,
                    actions: OnceLock::new(),
                    resource_types: Vec::new(),
                    keys: keys.len()..keys.len(),
                });
            }
            "R" => {
                if let Some(s) = services.last_mut() {
                    s.resource_types.push(ResourceType {
                        service: s.prefix,
                        name: field(&fields, 1),
                        arn: field(&fields, 2),
                        condition_keys: List(field(&fields, 3)),
                    });
                }
            }
            "K" => {
                if let Some(s) = services.last_mut() {
                    keys.push(ConditionKey {
                        name: field(&fields, 1),
                        key_type: KeyType::parse(field(&fields, 2)),
                        description: field(&fields, 3),
                        service: Some(s.prefix),
                        category: "",
                    });
                    s.keys.end = keys.len();
                }
            }
            _ => {}
        }
    }
    // The generator sorts by lower-case name. Check with the comparison the lookups use
    // (linear) and sort only if the collations ever disagree, so that a difference can
    // never break a binary search.
    if !services.is_sorted_by(|a, b| cmp_ignore_case(a.prefix, b.prefix).is_le()) {
        services.sort_by(|a, b| cmp_ignore_case(a.prefix, b.prefix));
    }
    for s in &mut services {
        if !s
            .resource_types
            .is_sorted_by(|a, b| cmp_ignore_case(a.name, b.name).is_le())
        {
            s.resource_types
                .sort_by(|a, b| cmp_ignore_case(a.name, b.name));
        }
    }
    let mut exact: Vec<u32> = Vec::with_capacity(keys.len());
    let mut templated: Vec<u32> = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        if super::pattern::is_template(k.name) {
            templated.push(i);
        } else {
            exact.push(i);
        }
    }
    // Global keys come first in `keys`, so the whole list is not in name order.
    exact.sort_by(|&a, &b| {
        let (a, b) = (&keys[a as usize], &keys[b as usize]);
        cmp_ignore_case(a.name, b.name)
    });
    Catalog {
        package,
        version,
        date,
        license,
        services,
        keys,
        exact_keys: exact,
        templated_keys: templated,
        unassociated,
    }
}

/// Decodes the actions of the service `prefix` from its block of `A` and `T` lines.
pub(super) fn actions(prefix: &'static str, body: &'static str) -> Vec<Action> {
    let mut out: Vec<Action> = Vec::new();
    let mut fields: Vec<&'static str> = Vec::with_capacity(8);
    for line in body.lines() {
        fields.clear();
        fields.extend(line.split('\t'));
        match field(&fields, 0) {
            "A" => out.push(Action {
                service: prefix,
                name: field(&fields, 1),
                access: AccessLevel::parse(field(&fields, 2)),
                raw_description: field(&fields, 3),
                raw_resource_types: List(field(&fields, 4)),
                condition_keys: List(field(&fields, 5)),
                dependent_actions: List(field(&fields, 6)),
                extras: Vec::new(),
            }),
            "T" => {
                if let Some(a) = out.last_mut() {
                    a.extras.push(ActionExtra {
                        resource_type: field(&fields, 1),
                        condition_keys: List(field(&fields, 2)),
                        dependent_actions: List(field(&fields, 3)),
                    });
                }
            }
            _ => {}
        }
    }
    if !out.is_sorted_by(|a, b| cmp_ignore_case(a.name, b.name).is_le()) {
        out.sort_by(|a, b| cmp_ignore_case(a.name, b.name));
    }
    out
}
