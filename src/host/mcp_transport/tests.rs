use super::*;

#[test]
fn top_level_ids_are_read_at_any_depth() {
    let deep = format!(
        "{{\"jsonrpc\":\"2.0\",\"params\":{}{},\"id\":42,\"method\":\"x\"}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert_eq!(top_level_id(deep.as_bytes()), Some(json!(42)));
    assert_eq!(
        top_level_id(br#"{"id": "a\"b", "x": [1, {"id": 2}]"#),
        Some(json!("a\"b"))
    );
    assert_eq!(
        top_level_id(br#"{"x": {"id": 2}, "id": 7, oops"#),
        Some(json!(7))
    );
    assert_eq!(top_level_id(br#"{"x": {"id": 2}} "#), None);
    assert_eq!(top_level_id(br#"{"id": 1.5}"#), None);
    assert_eq!(top_level_id(b"not json"), None);
    assert_eq!(top_level_id(br#"{"id": [1"#), None);
}
