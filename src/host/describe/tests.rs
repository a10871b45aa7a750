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
        stated_default("Optional (Thrive defaults them to false)."),
        None
    );
    assert_eq!(stated_default("Default: api/all."), Some("api/all".into()));
    assert_eq!(
        stated_example("A date, e.g. 2024-01-01T00:00:00Z."),
        Some("2024-01-01T00:00:00Z".into())
    );
}

#[test]
fn every_example_passes_validation_as_printed() {
    let catalogue = crate::Catalogue::global();
    let mut refused = Vec::new();
    for tool in catalogue.tools() {
        let mut input = example_params(tool);
        input["tenantId"] = "eu-west-2_SandboxDemo".into();
        input["apiKey"] = "sandbox".into();
        if let Err(e) = catalogue.validate(tool.meta().id, input) {
            refused.push(format!("{}: {}", tool.meta().id, e.message()));
        }
    }
    assert!(refused.is_empty(), "{refused:#?}");
}

#[test]
fn a_list_of_objects_gets_an_object_with_its_required_fields() {
    let tool = crate::Catalogue::global()
        .get("thrive_add_audience_managers")
        .expect("in the catalogue");
    assert_eq!(
        example_params(tool)["managers"],
        r#"[{"reference":"EMP-00001"}]"#
    );
    let managers = inputs(tool)
        .into_iter()
        .find(|r| r.name == "managers")
        .expect("a managers input");
    assert_eq!(managers.default, None);
}
