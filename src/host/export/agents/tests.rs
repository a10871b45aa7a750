use super::{AgentFormat, export, function, select};
use crate::catalogue::{Catalogue, CatalogueTool};
use crate::error::ErrorCode;
use crate::flavours::Flavour;
use serde_json::{Value, json};

fn ids(tools: &[&CatalogueTool]) -> Vec<&'static str> {
    tools.iter().map(|t| t.meta().id).collect()
}

fn owned(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

#[test]
fn no_filter_selects_every_tool_in_id_order() {
    let catalogue = Catalogue::global();
    let all = select(catalogue, &[], &[]).unwrap();
    assert_eq!(all.len(), catalogue.len());
    let mut sorted = ids(&all);
    sorted.sort_unstable();
    assert_eq!(ids(&all), sorted);
}

#[test]
fn tools_and_resources_select_the_tools_of_either_once() {
    let chosen = select(
        Catalogue::global(),
        &owned(&["thrive_list_audiences", "thrive_search_users"]),
        &owned(&["users"]),
    )
    .unwrap();
    assert_eq!(
        ids(&chosen),
        [
            "thrive_create_user",
            "thrive_delete_user",
            "thrive_get_user_by_id",
            "thrive_get_user_by_ref",
            "thrive_list_audiences",
            "thrive_search_users",
            "thrive_suspend_user",
            "thrive_update_user",
        ]
    );
}

#[test]
fn an_unknown_tool_is_named_with_the_closest_id() {
    let Err(e) = select(Catalogue::global(), &owned(&["thrive_creat_user"]), &[]) else {
        panic!("an unknown id was accepted");
    };
    assert_eq!(e.code(), ErrorCode::UnknownTool);
    assert_eq!(
        e.message(),
        "no tool has the id \"thrive_creat_user\" (did you mean `thrive_create_user`?); \
         `thrive-blocks list` shows them all"
    );
}

#[test]
fn an_unknown_resource_lists_the_resources() {
    let Err(e) = select(Catalogue::global(), &[], &owned(&["tag", "users"])) else {
        panic!("an unknown resource was accepted");
    };
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    let violations = e.violations();
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0].pointer, "/resource");
    assert_eq!(
        violations[0].message,
        "no tool belongs to the resource \"tag\" (did you mean `tags`?); resources: activities, \
         assignments, audiences, completions, connection, content, cpd, enrolments, managers, \
         members, provisioning, tags, users"
    );
}

#[test]
fn openai_takes_the_strict_flavour_with_the_rules_in_the_description() {
    let tool = Catalogue::global().get("thrive_create_user").unwrap();
    let f = function(AgentFormat::OpenAi, tool);
    let mut parameters = tool.schema(Flavour::Strict);
    let root = parameters.as_object_mut().unwrap();
    root.remove("title");
    root.remove("description");
    assert_eq!(
        f,
        json!({
            "type": "function",
            "function": {
                "name": "thrive_create_user",
                "description": "Create a new user in Thrive. email is required unless loginMethod \
                                is 'ref'. Thrive endpoint: POST /rest/v2/users.",
                "parameters": parameters,
                "strict": true,
            }
        })
    );
    let params = &f["function"]["parameters"];
    assert_eq!(params["additionalProperties"], false);
    assert_eq!(
        params["properties"]["email"]["type"],
        json!(["string", "null"])
    );
    assert!(params["properties"].get("apiKey").is_none());
    assert!(params["properties"].get("tenantId").is_none());
}

#[test]
fn gemini_and_anthropic_take_the_portable_flavour() {
    let tool = Catalogue::global()
        .get("thrive_add_audience_members")
        .unwrap();
    let mut parameters = tool.schema(Flavour::Portable);
    let root = parameters.as_object_mut().unwrap();
    root.remove("title");
    root.remove("description");
    let description = "Add members to a Thrive audience by email, ref, or id. \
                       Thrive endpoint: POST /rest/v1/audiences/{audienceId}/members.";
    assert_eq!(
        function(AgentFormat::Gemini, tool),
        json!({"name": "thrive_add_audience_members", "description": description,
               "parameters": parameters})
    );
    assert_eq!(
        function(AgentFormat::Anthropic, tool),
        json!({"name": "thrive_add_audience_members", "description": description,
               "input_schema": parameters})
    );
    assert_eq!(parameters["required"], json!(["audienceId", "users"]));
}

#[test]
fn a_tool_without_inputs_has_no_gemini_parameters_but_an_empty_object_elsewhere() {
    let tool = Catalogue::global().get("thrive_get_skill_levels").unwrap();
    let description = "Get the available skill levels configured in Thrive. Thrive endpoint: GET /rest/v1/skills/levels.";
    assert_eq!(
        function(AgentFormat::Gemini, tool),
        json!({"name": "thrive_get_skill_levels", "description": description})
    );
    assert_eq!(
        function(AgentFormat::Anthropic, tool)["input_schema"],
        json!({"type": "object", "properties": {}, "required": []})
    );
    assert_eq!(
        function(AgentFormat::OpenAi, tool)["function"]["parameters"],
        json!({"type": "object", "properties": {}, "required": [], "additionalProperties": false})
    );
}

#[test]
fn export_lists_one_function_per_selected_tool() {
    let catalogue = Catalogue::global();
    let tools = select(catalogue, &[], &owned(&["tags"])).unwrap();
    for format in [
        AgentFormat::OpenAi,
        AgentFormat::Gemini,
        AgentFormat::Anthropic,
    ] {
        let list = export(format, &tools);
        let names: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                f.get("function")
                    .unwrap_or(f)
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap()
            })
            .collect();
        assert_eq!(names, ids(&tools), "{format:?}");
    }
}
