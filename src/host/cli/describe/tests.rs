use super::tables::{first_sentence, stated_default, stated_example};
use super::{example_params, inputs, tables, text, trigger_json, trigger_text};

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

#[test]
fn describe_takes_a_trigger_id_and_offers_its_own_event_types() {
    let cat = crate::Catalogue::global();
    let trigger = cat.trigger("thrive_on_user_changed").unwrap();
    let text = trigger_text(trigger);
    assert!(text.starts_with(
        "thrive_on_user_changed: When a user is created, activated, deactivated or updated\n"
    ));
    assert!(
        text.contains("Starts on: user.created, user.activated, user.deactivated, user.updated\n")
    );
    let row = text
        .lines()
        .find(|l| l.trim_start().starts_with("eventTypes"))
        .unwrap();
    assert!(row.contains("user.created|"), "{row}");
    assert!(text.contains("user.deactivated|"), "{text}");
    assert!(row.ends_with("[\"user.created\"]"), "{row}");
    let json = trigger_json(trigger);
    assert_eq!(
        json["filters"][0]["example"],
        serde_json::json!(["user.created"])
    );
    // The example passes the trigger's own validation as printed.
    trigger
        .validate(&serde_json::json!({"eventTypes": json["filters"][0]["example"]}))
        .unwrap();
}

#[test]
fn every_description_fits_100_columns() {
    let cat = crate::Catalogue::global();
    let mut wide = Vec::new();
    for tool in cat.tools() {
        for line in text(tool).lines().filter(|l| l.starts_with("  ")) {
            // The example line is a command to copy, not a table row.
            if line.chars().count() > tables::TABLE_WIDTH && !line.contains("thrive-blocks run") {
                wide.push(format!("{}: {line}", tool.meta().id));
            }
        }
    }
    assert!(wide.is_empty(), "{}", wide.join("\n"));
    let create = text(cat.get("thrive_create_user").unwrap());
    let zone = create
        .lines()
        .find(|l| l.trim_start().starts_with("timeZone"))
        .unwrap();
    assert!(!zone.contains(" if "), "{zone}");
    let language = create
        .lines()
        .find(|l| l.trim_start().starts_with("languageCode"))
        .unwrap();
    assert!(language.ends_with("\"en-gb\""), "{language}");
}
