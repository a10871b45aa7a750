use super::scan::top_level_id;
use super::{INVALID_REQUEST, LineTransport, MAX_LINE_BYTES};
use rmcp::transport::Transport;
use serde_json::{Value, json};

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

#[tokio::test]
async fn a_line_over_the_limit_is_answered_with_the_id_of_its_head() {
    use tokio::io::AsyncBufReadExt;
    let mut input =
        br#"{"jsonrpc":"2.0","id":"big","method":"tools/call","params":{"name":"x","arguments":{"pad":""#
            .to_vec();
    input.resize(input.len() + MAX_LINE_BYTES, b'a');
    input.extend_from_slice(b"\"}}}\n");
    input.extend_from_slice(b"{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}\n");
    let (write, read) = tokio::io::duplex(1 << 16);
    let mut transport = LineTransport::new(std::io::Cursor::new(input), write);
    let next = transport.receive().await.expect("the next message");
    let next = serde_json::to_value(&next).unwrap();
    assert_eq!(next["id"], 2, "the line after it is read as usual: {next}");
    let mut answers = tokio::io::BufReader::new(read).lines();
    let answer: Value = serde_json::from_str(&answers.next_line().await.unwrap().unwrap()).unwrap();
    assert_eq!(answer["id"], "big", "{answer}");
    assert_eq!(answer["error"]["code"], INVALID_REQUEST);
    let message = answer["error"]["message"].as_str().unwrap();
    assert!(message.contains("longer than 16777216 bytes"), "{message}");
}
