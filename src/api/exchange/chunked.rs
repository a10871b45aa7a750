//! Sending a long item list in chunks, in order, and merging the answers.
//! A failure after the first chunk says how many items were already applied.

use super::merge::BulkMerge;
use super::send::send;
use crate::api::{ApiResponse, Context, Origin, Prepared, Progress};
use crate::error::Result;
use serde_json::Value;

/// Sends the array at `pointer` of the request body in chunks of `size`.
pub(super) async fn send_chunked(
    ctx: &Context,
    origin: &Origin,
    prepared: &Prepared,
    pointer: &str,
    size: usize,
) -> Result<ApiResponse> {
    let body = prepared.request.body.clone().unwrap_or(Value::Null);
    let items = body
        .pointer(pointer)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let total = items.len() as u64;
    let mut merged = BulkMerge::default();
    let mut sent = 0u64;
    for chunk in items.chunks(size) {
        let mut request = prepared.request.clone();
        let mut chunk_body = body.clone();
        if let Some(slot) = chunk_body.pointer_mut(pointer) {
            *slot = Value::Array(chunk.to_vec());
        }
        request.body = Some(chunk_body);
        let response = send(ctx, origin, &prepared.connection, &request)
            .await
            .map_err(|e| {
                if sent > 0 {
                    let message = format!(
                        "{} (the first {sent} of {total} items were already sent and applied)",
                        e.message()
                    );
                    // Part of the step took effect: sending the same step
                    // again as is would send those items twice.
                    e.with_message(message).with_partial_progress(sent, total)
                } else {
                    e
                }
            })?;
        merged.add(response);
        sent += chunk.len() as u64;
        ctx.report(Progress {
            done: sent,
            total: Some(total),
        });
    }
    Ok(merged.finish())
}
