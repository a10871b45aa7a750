use super::lines::{LineRead, read_line};
use super::step::parse_step;
use serde_json::{Map, Value, json};

fn defaults() -> Map<String, Value> {
    let Value::Object(m) = json!({"tenantId": "t", "apiKey": "k"}) else {
        unreachable!()
    };
    m
}

#[tokio::test]
async fn lines_over_the_limit_are_skipped_whole_and_reported() {
    let text = format!("{}\nshort\r\n\n{}", "x".repeat(100), "y".repeat(50));
    let mut input = tokio::io::BufReader::with_capacity(16, text.as_bytes());
    let mut line = Vec::new();
    let mut seen = Vec::new();
    loop {
        let read = read_line(&mut input, &mut line, 20).await.unwrap();
        if read == LineRead::End {
            break;
        }
        assert!(line.len() <= 20);
        seen.push((read, String::from_utf8(line.clone()).unwrap()));
    }
    assert_eq!(
        seen,
        [
            (LineRead::TooLong, String::new()),
            (LineRead::Line, "short".into()),
            (LineRead::Line, String::new()),
            (LineRead::TooLong, String::new()),
        ]
    );
}

#[test]
fn a_step_gets_the_defaults_it_does_not_set() {
    let (id, step) = parse_step(
        r#"{"tool": "thrive_get_user", "params": {"tenantId": "mine", "userId": "u1"}, "id": [1]}"#,
        4,
        &defaults(),
    );
    let (tool, params) = step.unwrap();
    assert_eq!(id, json!([1]));
    assert_eq!(tool, "thrive_get_user");
    assert_eq!(
        params,
        json!({"tenantId": "mine", "userId": "u1", "apiKey": "k"})
    );
}

#[test]
fn malformed_steps_name_the_field_and_keep_the_id() {
    let err = |line: &str| {
        let (id, step) = parse_step(line, 7, &defaults());
        let e = step.unwrap_err();
        let v = &e.violations()[0];
        (id, v.pointer.clone(), v.message.clone())
    };
    assert_eq!(
        err(r#"{"id": "a"}"#),
        (json!("a"), "/tool".into(), "tool is required".into())
    );
    assert_eq!(
        err(r#"{"tool": 3}"#),
        (
            json!(7),
            "/tool".into(),
            "tool must be a tool id string, got a number".into()
        )
    );
    assert_eq!(
        err(r#"{"tool": "x", "params": [], "id": 1}"#),
        (
            json!(1),
            "/params".into(),
            "params must be an object, got an array".into()
        )
    );
    assert_eq!(
        err(r#"{"tool": "x", "parms": {}}"#),
        (
            json!(7),
            "/parms".into(),
            "parms is not a step field (expected tool, params, id)".into()
        )
    );
    let (id, pointer, message) = err("{not json");
    assert_eq!((id, pointer), (json!(7), String::new()));
    assert!(message.starts_with("line 7 is not valid JSON"), "{message}");
}
