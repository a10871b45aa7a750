//! The wire carries exactly what the offline checks see.
//!
//! The other modules check request shapes offline ([`Offline`]: the
//! catalogue's dry run). This sends every tool of the catalogue once through
//! a loopback server and checks that what arrives is the dry run's request
//! (method, path, query, body), with the documented headers, and that the
//! output read from the same answer is the same either way.

use crate::common::*;
use serde_json::json;
use thrive_blocks::Catalogue;
use thrive_blocks::host::cli::describe::example_params;

#[tokio::test]
async fn every_tool_sends_what_its_dry_run_shows() {
    let srv = CaptureServer::start().await;
    let mut checked = Vec::new();
    let mut skipped = Vec::new();
    for tool in Catalogue::global().tools() {
        let id = tool.meta().id;
        if !runs_offline(id) {
            // The connection test's output reads the call's metadata and a
            // composite makes several calls: both are tested on loopback
            // servers where they are defined.
            skipped.push(id);
            continue;
        }
        // A provisioning event's id is left out: derived from the event, it
        // must be the same in the dry run and on the wire.
        let params = example_params(tool);
        let answer = json!({"id": "64b6f4a8c2e4a1b9d3f2c4b0", "success": true});
        let offline = Offline::new();
        offline.reply(200, answer.clone());
        let pure = offline.run(id, params.clone());
        let sent_offline = offline.requests();
        assert_eq!(
            sent_offline.len(),
            1,
            "{id}: the example {params} gave {pure:?} offline"
        );
        let expected = &sent_offline[0];

        let before = srv.requests().len();
        srv.reply(200, answer);
        let wired = srv.run(id, params.clone()).await;
        let seen = srv.requests();
        assert_eq!(seen.len(), before + 1, "{id}: one request for {params}");
        let sent = &seen[before];
        assert_eq!(sent.line(), expected.line(), "{id}: request line");
        assert_eq!(sent.body, expected.body, "{id}: body");
        assert_headers(sent);
        match (pure, wired) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{id}: output"),
            (Err(a), Err(b)) => assert_eq!(
                (a.code(), a.message().to_owned()),
                (b.code(), b.message().to_owned()),
                "{id}: error"
            ),
            (a, b) => panic!("{id}: offline gave {a:?}, the wire gave {b:?}"),
        }
        checked.push(id);
    }
    assert_eq!(
        checked.len() + skipped.len(),
        Catalogue::global().len(),
        "{checked:?}"
    );
    skipped.sort_unstable();
    assert_eq!(
        skipped,
        ["thrive_sync_audience_members", "thrive_test_connection"]
    );
}

/// The encodings the offline tests assert (path segments with `/ ? # %`,
/// `..`, spaces, `@` and non-ASCII; queries with spaces, colons and
/// commas) arrive on the wire exactly as the dry run writes them.
#[tokio::test]
async fn awkward_values_are_encoded_on_the_wire_as_in_the_dry_run() {
    let rows = [
        (
            "thrive_get_assignment",
            json!({"assignmentId": "a/b?c#d%e"}),
        ),
        (
            "thrive_get_enrolment",
            json!({"assignmentId": "a/b?c#d%e", "enrolmentId": "../x"}),
        ),
        (
            "thrive_remove_audience_manager",
            json!({"audienceId": "struct tech", "userId": "test@thrivelearning.com"}),
        ),
        ("thrive_get_user_by_ref", json!({"ref": "José Ñ+1 ~ü"})),
        (
            "thrive_query_activities",
            json!({
                "actions": "viewed,completed", "omitActions": "loggedin, loggedout",
                "timestampFrom": "2020-01-01 00:00:00", "timestampTo": "2020-10-01 00:00:00"
            }),
        ),
        (
            "thrive_list_assignments",
            json!({"audienceId": "tech team/eu", "updatedSince": "2024-01-01T00:00:00Z"}),
        ),
    ];
    let srv = CaptureServer::start().await;
    for (i, (id, params)) in rows.iter().enumerate() {
        let offline = Offline::new();
        offline.run(id, params.clone()).expect(id);
        srv.run(id, params.clone()).await.expect(id);
        let sent = &srv.requests()[i];
        assert_eq!(sent.line(), offline.single().line(), "{id} {params}");
        assert_eq!(sent.body, offline.single().body, "{id} {params}");
    }
    assert_eq!(srv.requests().len(), rows.len());
}
