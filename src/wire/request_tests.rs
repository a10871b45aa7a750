//! Unit tests of `wire::request`.

use super::*;

#[test]
fn segment_encodes_everything_that_could_escape() {
    assert_eq!(segment("id", "a/b?c#d%e").unwrap(), "a%2Fb%3Fc%23d%25e");
    assert_eq!(segment("id", "../x").unwrap(), "..%2Fx");
    assert_eq!(
        segment("id", "jane@example.com").unwrap(),
        "jane%40example.com"
    );
    assert_eq!(segment("id", " struct-tech ").unwrap(), "struct-tech");
}

#[test]
fn segment_refuses_dot_segments_and_empty() {
    assert_eq!(
        segment("audienceId", "..").unwrap_err().violations()[0].message,
        "audienceId must not be '.' or '..'"
    );
    assert_eq!(
        segment("ref", "  ").unwrap_err().violations()[0].pointer,
        "/ref"
    );
}

#[test]
fn query_is_encoded_in_order() {
    let r = ApiRequest::get(&["users"])
        .query("page", Some(2))
        .query("statuses", Some("active,new"))
        .query("omit", None::<&str>)
        .query("updatedSince", Some("2024-01-01 00:00:00"));
    assert_eq!(
        r.path_and_query(),
        "/rest/v1/users?page=2&statuses=active%2Cnew&updatedSince=2024-01-01%2000%3A00%3A00"
    );
}

#[test]
fn endpoint_templates_fill_encode_and_check_their_segments() {
    let r = ApiRequest::endpoint("PATCH /rest/v2/users/ref/{ref}/suspend", &["a/b"]).unwrap();
    assert_eq!((r.method, r.version), (Method::Patch, ApiVersion::V2));
    assert_eq!(r.path, "/users/ref/a%2Fb/suspend");
    let r = ApiRequest::endpoint("GET /rest/v1/audiences?page=1&perPage=1", &[]).unwrap();
    assert_eq!(r.path_and_query(), "/rest/v1/audiences?page=1&perPage=1");
    let r = ApiRequest::endpoint("POST /webhooks (user API host)", &[]).unwrap();
    assert_eq!(
        (r.version, r.full_path()),
        (ApiVersion::UserApi, "/webhooks".into())
    );
    let template = "DELETE /rest/v1/audiences/{audienceId}/members/{userRef}";
    let e = ApiRequest::endpoint(template, &[" ", ".."]).unwrap_err();
    let pointers: Vec<String> = e.violations().into_iter().map(|v| v.pointer).collect();
    assert_eq!(
        pointers,
        ["/audienceId", "/userRef"],
        "every bad value, at once"
    );
    assert!(ApiRequest::endpoint("GET /rest/v1/tags/{tagId}", &[]).is_err());
    assert!(ApiRequest::endpoint("GET /rest/v1/tags", &["x"]).is_err());
    assert!(ApiRequest::endpoint("FETCH /x", &[]).is_err());
}
