use super::*;
use serde_json::json;

type Users = JsonList<String, 1, 100>;

fn problems<T: ListItem, const A: usize, const B: usize>(field: &str, v: Value) -> Vec<Violation> {
    let list: JsonList<T, A, B> = serde_json::from_value(v).unwrap();
    let mut out = Vec::new();
    list.check(field, &mut out);
    out
}

#[test]
fn string_and_real_arrays_parse_alike() {
    let a: Users = serde_json::from_value(json!("[\"a\",\"b\"]")).unwrap();
    let b: Users = serde_json::from_value(json!(["a", "b"])).unwrap();
    assert_eq!(a.items("users").unwrap(), ["a", "b"]);
    assert_eq!(a, b);
    let single: Users = serde_json::from_value(json!("\"solo\"")).unwrap();
    assert_eq!(single.items("users").unwrap(), ["solo"]);
}

/// Unreadable text never reaches the items: reading them names the field
/// and gives every problem `check` gives, never an empty list.
#[test]
fn items_cannot_be_read_past_a_problem() {
    for bad in [
        json!("[\"a\","),
        json!("[\"a\", 7, {}]"),
        json!("[]"),
        json!(["a", " "]),
    ] {
        let list: Users = serde_json::from_value(bad.clone()).unwrap();
        let err = list.items("users").expect_err("a problem");
        let mut checked = Vec::new();
        list.check("users", &mut checked);
        assert!(!checked.is_empty(), "{bad}");
        assert_eq!(err.violations(), checked, "{bad}");
        assert!(list.trimmed("users").is_err(), "{bad}");
    }
    let p = problems::<String, 1, 100>("users", json!("[\"a\", 7, {}]"));
    let pointers: Vec<&str> = p.iter().map(|v| v.pointer.as_str()).collect();
    assert_eq!(pointers, ["/users/1", "/users/2"]);
    let p = problems::<String, 1, 100>("users", json!(["a", " "]));
    assert_eq!(
        (p[0].pointer.as_str(), p[0].message.as_str()),
        ("/users/1", "users[1] must not be empty")
    );
    // Unreadable text is not written as an empty list either.
    let list: Users = serde_json::from_value(json!("[\"a\",")).unwrap();
    assert!(serde_json::to_value(&list).is_err());
    let ok: Users = serde_json::from_value(json!([" a "])).unwrap();
    assert_eq!(ok.trimmed("users").unwrap(), [json!("a")]);
    assert_eq!(serde_json::to_value(&ok).unwrap(), json!([" a "]));
}

#[test]
fn malformed_shapes_and_counts_are_named() {
    let p = problems::<String, 1, 100>("users", json!("[\"a\","));
    assert_eq!(p[0].pointer, "/users");
    assert!(
        p[0].message.starts_with("users: is not valid JSON"),
        "{}",
        p[0].message
    );

    let p = problems::<String, 1, 100>("users", json!("[\"a\", 7]"));
    assert_eq!(p[0].pointer, "/users/1");
    assert!(
        p[0].message
            .starts_with("users[1]: invalid type: integer `7`"),
        "{}",
        p[0].message
    );

    let p = problems::<String, 1, 100>("users", json!("[]"));
    assert_eq!(
        p[0].message,
        "users must not be an empty list (at least 1 item(s))"
    );

    let many: Vec<String> = (0..101).map(|i| format!("u{i}")).collect();
    let p = problems::<String, 1, 100>("users", json!(many));
    assert_eq!(p[0].message, "users must have at most 100 items, got 101");
    assert!(problems::<String, 1, 0>("users", json!(many)).is_empty());
}

#[test]
fn json_object_must_be_an_object() {
    let o: JsonObject = serde_json::from_value(json!("{\"department\":\"Sales\"}")).unwrap();
    assert_eq!(o.map("additionalFields").unwrap()["department"], "Sales");
    let rows: JsonObject =
        serde_json::from_value(json!([{"name": " department ", "value": "Sales"}])).unwrap();
    assert_eq!(rows.map("f").unwrap(), o.map("f").unwrap());
    let mut out = Vec::new();
    for bad in [
        json!("[1]"),
        json!(7),
        json!([{"name": "a", "value": 1}, {"name": "a", "value": 2}]),
    ] {
        let bad: JsonObject = serde_json::from_value(bad).unwrap();
        // Never read or written past a problem.
        let err = bad.map("additionalFields").expect_err("refused");
        assert!(serde_json::to_value(&bad).is_err());
        let before = out.len();
        bad.check("additionalFields", &mut out);
        assert_eq!(err.violations(), out[before..]);
    }
    let messages: Vec<&str> = out.iter().map(|v| v.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "additionalFields row 1 needs a name and a value, e.g. {\"name\": \"department\", \"value\": \"Sales\"}",
            "additionalFields must hold custom fields such as {\"department\":\"Sales\"}, got a number",
            "additionalFields has the field \"a\" twice; give each field once",
        ]
    );
}

#[test]
fn dates() {
    let ok = |v: &str, f| {
        let mut out = Vec::new();
        check_date("d", Some(v), f, &mut out);
        out.is_empty()
    };
    assert!(ok("2024-04-02", DateFormat::Iso8601));
    assert!(ok("2021-08-19T18:00:00.000Z", DateFormat::Iso8601));
    assert!(ok("2021-08-19T18:00:00+01:00", DateFormat::Iso8601));
    assert!(ok("2024-02-29T00:00:00Z", DateFormat::Iso8601));
    assert!(!ok("2023-02-29", DateFormat::Iso8601));
    assert!(!ok("yesterday", DateFormat::Iso8601));
    assert!(!ok("2024-13-01", DateFormat::Iso8601));
    assert!(ok("2020-01-01 00:00:00", DateFormat::SpaceSeparated));
    assert!(ok("2020-09-25", DateFormat::SpaceSeparated));
    assert!(!ok("2020-01-01T00:00:00", DateFormat::SpaceSeparated));
    assert!(ok("2020-11-17T09:50:00", DateFormat::LocalDateTime));
    assert!(!ok("2020-11-17 09:50:00", DateFormat::LocalDateTime));
}

#[test]
fn secrets_do_not_debug() {
    let c = Connection::basic("eu-west-2_Abc", "s3cr3t-value");
    let dbg = format!("{c:?}");
    assert!(!dbg.contains("s3cr3t"), "{dbg}");
    assert!(dbg.contains("eu-west-2_Abc"));
}
