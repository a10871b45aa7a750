use super::*;
use serde_json::json;

#[test]
fn thrive_error_body_becomes_code_status_and_message() {
    let e = Error::from_response(
        404,
        &json!({"status": 404, "error": "Not Found", "message": "Audience not found"}),
    );
    assert_eq!(e.code(), ErrorCode::NotFound);
    assert_eq!(e.status(), Some(404));
    assert_eq!(e.message(), "Audience not found");
    assert!(!e.is_retryable());
}

#[test]
fn object_message_is_summarised_and_kept() {
    let body = json!({"status": 422, "error": "Unprocessable Content",
        "message": {"parentId": "cannot move audience to this parent"}});
    let e = Error::from_response(422, &body);
    assert_eq!(e.code(), ErrorCode::Unprocessable);
    assert_eq!(e.message(), "parentId: cannot move audience to this parent");
    assert_eq!(
        e.details(),
        Some(&json!({"parentId": "cannot move audience to this parent"}))
    );
}

#[test]
fn missing_message_falls_back_to_reason_then_status() {
    assert_eq!(
        Error::from_response(500, &json!({"error": "Internal Server Error"})).message(),
        "Internal Server Error"
    );
    let e = Error::from_response(502, &Value::Null);
    assert_eq!(e.message(), "Thrive answered HTTP 502");
    assert!(e.is_retryable());
}

#[test]
fn invalid_input_lists_every_violation() {
    let e = Error::invalid_input(vec![
        Violation::new("/ref", "is required"),
        Violation::new("/users", "must hold a JSON array"),
    ]);
    assert_eq!(
        e.to_string(),
        "invalid_input: invalid input (2 problems): /ref: is required; /users: must hold a JSON array"
    );
    assert_eq!(e.violations().len(), 2);
    assert_eq!(e.to_json()["error"]["details"][1]["pointer"], "/users");
    // A message that names its field is not prefixed with the pointer.
    let e = Error::invalid_input(vec![
        Violation::new("/perPage", "perPage must be a whole number"),
        Violation::new("/users/0", "users[0]: must be a string"),
    ]);
    assert_eq!(
        e.to_string(),
        "invalid_input: invalid input (2 problems): perPage must be a whole number; users[0]: must be a string"
    );
}

#[test]
fn typed_details_render_as_hosts_saw_them() {
    let e = Error::invalid_input(vec![
        Violation::new("/ref", "ref is required"),
        Violation::new("/users/0", "users[0]: not an email"),
    ]);
    assert_eq!(
        e.typed_details(),
        Some(&Details::Violations(e.violations()))
    );
    assert_eq!(
        e.to_json()["error"]["details"],
        json!([{"pointer": "/ref", "message": "ref is required"},
               {"pointer": "/users/0", "message": "users[0]: not an email"}])
    );

    let e = Error::from_response(503, &json!({"status": 503})).with_partial_progress(100, 250);
    assert_eq!(
        e.typed_details(),
        Some(&Details::Partial {
            items_applied: 100,
            items_total: 250
        })
    );
    assert_eq!(
        e.details(),
        Some(&json!({"itemsApplied": 100, "itemsTotal": 250}))
    );
    assert!(
        !e.is_retryable(),
        "a partly applied step is not safe to resend"
    );
    assert_eq!(e.delivery(), Delivery::Answered);
    assert!(e.violations().is_empty());

    let e = Error::from_response(422, &json!({"message": {"parentId": "cannot move"}}));
    assert_eq!(
        e.typed_details(),
        Some(&Details::Thrive(json!({"parentId": "cannot move"})))
    );
    assert_eq!(e.message(), "parentId: cannot move");
}
