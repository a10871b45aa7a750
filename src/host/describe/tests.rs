use super::*;

#[test]
fn sentences_defaults_and_examples_from_descriptions() {
    assert_eq!(
        first_sentence("Page number (default 1). A whole number."),
        "Page number (default 1)."
    );
    assert_eq!(
        first_sentence("Filter, e.g. active. More."),
        "Filter, e.g. active."
    );
    assert_eq!(
        stated_default("Number per page (1-1000, default 100)."),
        Some("100".into())
    );
    assert_eq!(stated_default("No such thing."), None);
    assert_eq!(
        stated_example("A date, e.g. 2024-01-01T00:00:00Z."),
        Some("2024-01-01T00:00:00Z".into())
    );
}
