//! Reading a JSON-RPC line just enough to answer it: its top-level id and
//! whether a tool call is well formed, without parsing the whole line.

use serde_json::Value;

/// What is wrong with the params of a `tools/call`, if anything.
pub(super) fn tool_call_problem(params: Option<&Value>) -> Option<String> {
    let params = params?;
    match params.get("name") {
        Some(Value::String(_)) => {}
        Some(_) => return Some("\"name\" must be a string".into()),
        None => return Some("\"name\" is required".into()),
    }
    match params.get("arguments") {
        None | Some(Value::Null) | Some(Value::Object(_)) => None,
        Some(_) => Some("\"arguments\" must be an object of the tool's inputs".into()),
    }
}

/// JSON-RPC ids are strings or integers.
pub(super) fn is_valid_id(id: &Value) -> bool {
    match id {
        Value::String(_) => true,
        Value::Number(n) => n.is_i64() || n.is_u64(),
        _ => false,
    }
}

/// The top-level `"id"` of a JSON object text that cannot be parsed whole
/// (too deep, or broken after the id), when it is a string or an integer.
/// Scans without recursion, so any depth is safe.
pub(crate) fn top_level_id(text: &[u8]) -> Option<Value> {
    let mut s = Scanner { text, at: 0 };
    s.ws();
    s.eat(b'{')?;
    loop {
        s.ws();
        let key_start = s.at;
        s.skip_string()?;
        let key = &text[key_start..s.at];
        s.ws();
        s.eat(b':')?;
        s.ws();
        let value_start = s.at;
        s.skip_value()?;
        if key == b"\"id\"" {
            let id: Value = serde_json::from_slice(&text[value_start..s.at]).ok()?;
            return is_valid_id(&id).then_some(id);
        }
        s.ws();
        s.eat(b',')?;
    }
}

pub(super) struct Scanner<'a> {
    pub(super) text: &'a [u8],
    pub(super) at: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    fn skip_string(&mut self) -> Option<()> {
        self.eat(b'"')?;
        loop {
            match self.peek()? {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                _ => self.at += 1,
            }
        }
    }

    /// Skips one value of any depth (nesting is counted, not recursed),
    /// stopping at the `,` or `}` after it.
    fn skip_value(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'"' => self.skip_string()?,
                b'{' | b'[' => {
                    depth += 1;
                    self.at += 1;
                }
                b'}' | b']' if depth == 0 => return Some(()),
                b'}' | b']' => {
                    depth -= 1;
                    self.at += 1;
                }
                b',' if depth == 0 => return Some(()),
                _ => self.at += 1,
            }
        }
    }
}
