"""`thrive-blocks export openai|gemini|anthropic` loaded as-is through each
vendor SDK's own types (no network): every tool of the catalogue, the
`--tools`/`--resource` filters, `--out`, and a model's tool call, as each SDK
hands it to the program, run against the embedded sandbox."""

import copy
import json
import os
import re
import subprocess
import warnings
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from pydantic import TypeAdapter

ROOT = Path(__file__).resolve().parents[3]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
BLOCKS = str(TARGET / "debug" / "thrive-blocks")
MANIFESTS = ROOT / "manifests"


def blocks(*args, check=True):
    env = {k: v for k, v in os.environ.items() if not k.startswith("THRIVE_")}
    proc = subprocess.run(
        [BLOCKS, *args], capture_output=True, text=True, timeout=120, env=env
    )
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def export(target, *flags):
    return json.loads(blocks("export", target, *flags).stdout)


def manifest(tool_id):
    return json.loads((MANIFESTS / f"{tool_id}.json").read_text())


def catalogue_ids():
    index = json.loads((MANIFESTS / "index.json").read_text())
    return [t["id"] for t in index["tools"]]


def without_root_title(schema):
    schema = dict(schema)
    schema.pop("title", None)
    schema.pop("description", None)
    return schema


def description_of(tool_id):
    m = manifest(tool_id)
    return m["portableSchema"].get("description", m["description"])


# --- OpenAI ------------------------------------------------------------------


def test_openai_export_loads_through_the_openai_types_for_every_tool():
    from openai.lib._parsing._completions import validate_input_tools
    from openai.lib._pydantic import _ensure_strict_json_schema
    from openai.types.chat import ChatCompletionToolParam

    tools = export("openai")
    assert [t["function"]["name"] for t in tools] == catalogue_ids()
    adapter = TypeAdapter(list[ChatCompletionToolParam])
    # Validation drops keys the types do not know: equality means none.
    assert adapter.validate_python(tools) == tools
    # What `client.chat.completions.parse(tools=...)` checks before sending.
    assert validate_input_tools(tools) == tools
    for tool in tools:
        f = tool["function"]
        assert tool["type"] == "function"
        assert f["strict"] is True
        # FunctionDefinition.name: a-z, A-Z, 0-9, underscores and dashes, at most 64.
        assert re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", f["name"]), f["name"]
        params = f["parameters"]
        assert params == without_root_title(manifest(f["name"])["strictSchema"])
        # openai's own strictness pass (what `openai.pydantic_function_tool`
        # applies to a model's schema) has nothing left to change.
        again = copy.deepcopy(params)
        assert _ensure_strict_json_schema(again, path=(), root=again) == params, f["name"]
        Draft202012Validator.check_schema(params)
        assert "apiKey" not in params["properties"]
        assert "tenantId" not in params["properties"]
        assert f["description"].endswith(f"Thrive endpoint: {manifest(f['name'])['endpoint']}.")


def test_an_openai_strict_tool_call_runs_as_the_sdk_parses_it():
    from openai.lib._parsing._completions import parse_chat_completion
    from openai.types.chat import ChatCompletion

    tools = export("openai", "--tools", "thrive_create_user")
    properties = tools[0]["function"]["parameters"]["properties"]
    # In strict mode the model gives every property, null for those it leaves out.
    arguments = {name: None for name in properties}
    arguments.update(
        {"ref": "AGENT-001", "firstName": "Grace", "lastName": "Hopper",
         "email": "grace@example.com", "role": "learner"}
    )
    completion = ChatCompletion.model_validate(
        {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 0,
            "model": "any",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "tool_calls",
                    "message": {
                        "role": "assistant",
                        "content": None,
                        "tool_calls": [
                            {
                                "id": "call_1",
                                "type": "function",
                                "function": {
                                    "name": "thrive_create_user",
                                    "arguments": json.dumps(arguments),
                                },
                            }
                        ],
                    },
                }
            ],
        }
    )
    parsed = parse_chat_completion(
        response_format=None, input_tools=tools, chat_completion=completion
    )
    call = parsed.choices[0].message.tool_calls[0].function
    assert call.parsed_arguments == arguments
    out = blocks("run", call.name, "--sandbox", "--params", json.dumps(call.parsed_arguments))
    created = json.loads(out.stdout)["user"]
    assert (created["ref"], created["email"], created["role"]) == (
        "AGENT-001", "grace@example.com", "learner")
    # The nulls meant "not given": Thrive's defaults apply.
    assert created["loginMethod"] == "email"


# --- Gemini ------------------------------------------------------------------


def schema_types(schema, found):
    found.add(schema.type)
    for prop in (schema.properties or {}).values():
        schema_types(prop, found)
    if schema.items is not None:
        schema_types(schema.items, found)
    return found


def test_gemini_export_loads_through_the_google_genai_types_for_every_tool():
    from google.genai import types

    declarations = export("gemini")
    assert [d["name"] for d in declarations] == catalogue_ids()
    with warnings.catch_warnings():
        # google-genai only warns about an unknown type name: make it fail.
        warnings.simplefilter("error")
        loaded = [types.FunctionDeclaration.model_validate(d) for d in declarations]
        tool = types.Tool(function_declarations=declarations)
        types.GenerateContentConfig(tools=[tool])
    assert len(tool.function_declarations) == len(declarations)
    known = set(types.Type) - {types.Type.TYPE_UNSPECIFIED}
    for raw, decl in zip(declarations, loaded):
        # Gemini names: letters, digits, underscores, dots, colons, dashes; at most 128.
        assert re.fullmatch(r"[a-zA-Z_][a-zA-Z0-9_.:-]{0,127}", decl.name)
        assert decl.description == raw["description"]
        portable = manifest(decl.name)["portableSchema"]
        if not portable["properties"]:
            # Gemini refuses an object schema without properties.
            assert decl.parameters is None and "parameters" not in raw
            continue
        assert raw["parameters"] == without_root_title(portable)
        assert decl.parameters.type == types.Type.OBJECT
        assert sorted(decl.parameters.properties) == sorted(portable["properties"])
        assert (decl.parameters.required or []) == portable.get("required", [])
        assert schema_types(decl.parameters, set()) <= known, decl.name


def test_a_gemini_function_call_runs_as_the_sdk_hands_it_over():
    from google.genai import types

    response = types.GenerateContentResponse.model_validate(
        {
            "candidates": [
                {
                    "content": {
                        "role": "model",
                        "parts": [
                            {
                                "functionCall": {
                                    "name": "thrive_add_audience_members",
                                    "args": {"audienceId": "aud-finance",
                                             "users": ["EMP-00003"]},
                                }
                            }
                        ],
                    }
                }
            ]
        }
    )
    call = response.function_calls[0]
    declarations = export("gemini", "--resource", "members")
    assert call.name in [d["name"] for d in declarations]
    out = json.loads(blocks("run", call.name, "--sandbox", "--params", json.dumps(call.args)).stdout)
    assert out["partial"] is False, out


# --- Anthropic ---------------------------------------------------------------


def test_anthropic_export_loads_through_the_anthropic_types_for_every_tool():
    from anthropic.types import ToolParam

    tools = export("anthropic")
    assert [t["name"] for t in tools] == catalogue_ids()
    adapter = TypeAdapter(list[ToolParam])
    assert adapter.validate_python(tools) == tools
    for tool in tools:
        assert set(tool) == {"name", "description", "input_schema"}
        assert re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", tool["name"])
        schema = tool["input_schema"]
        assert schema["type"] == "object"
        assert schema == without_root_title(manifest(tool["name"])["portableSchema"])
        # input_schema is JSON Schema 2020-12.
        Draft202012Validator.check_schema(schema)
        assert tool["description"] == (
            f"{description_of(tool['name'])} Thrive endpoint: {manifest(tool['name'])['endpoint']}."
        )


def test_an_anthropic_tool_use_runs_as_the_sdk_hands_it_over():
    from anthropic.types import Message

    message = Message.model_validate(
        {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": "any",
            "stop_reason": "tool_use",
            "stop_sequence": None,
            "usage": {"input_tokens": 1, "output_tokens": 1},
            "content": [
                {
                    "type": "tool_use",
                    "id": "toolu_1",
                    "name": "thrive_search_users",
                    "input": {"perPage": 3},
                }
            ],
        }
    )
    use = message.content[0]
    tools = export("anthropic", "--tools", "thrive_search_users")
    validator = Draft202012Validator(tools[0]["input_schema"])
    assert list(validator.iter_errors(use.input)) == []
    out = json.loads(blocks("run", use.name, "--sandbox", "--params", json.dumps(use.input)).stdout)
    assert len(out["results"]) == 3


# --- Filters and output --------------------------------------------------------


@pytest.mark.parametrize("target", ["openai", "gemini", "anthropic"])
def test_tools_and_resource_filters(target):
    def names(tools):
        return [t["function"]["name"] if "function" in t else t["name"] for t in tools]

    picked = export(target, "--tools", "thrive_search_users,thrive_list_audiences")
    assert names(picked) == ["thrive_list_audiences", "thrive_search_users"]
    users = [i for i in catalogue_ids() if manifest(i)["resource"] == "users"]
    assert len(users) >= 5
    assert names(export(target, "--resource", "users")) == users
    both = export(target, "--resource", "users", "--tools", "thrive_list_audiences")
    assert names(both) == sorted(users + ["thrive_list_audiences"])
    # Filtered entries are the same as in the full export.
    full = {n: t for n, t in zip(names(export(target)), export(target))}
    assert picked == [full["thrive_list_audiences"], full["thrive_search_users"]]


def test_unknown_filters_exit_2_naming_the_closest_name():
    proc = blocks("export", "openai", "--tools", "thrive_serch_users", check=False)
    assert proc.returncode == 2
    assert proc.stdout == ""
    error = json.loads(proc.stderr)["error"]
    assert error["code"] == "unknown_tool"
    assert "did you mean `thrive_search_users`?" in error["message"]

    proc = blocks("export", "gemini", "--resource", "user", check=False)
    assert proc.returncode == 2
    error = json.loads(proc.stderr)["error"]
    assert error["code"] == "invalid_input"
    assert error["details"][0]["pointer"] == "/resource"
    assert "did you mean `users`?" in error["details"][0]["message"]

    proc = blocks("export", "langchain", check=False)
    assert proc.returncode == 2
    assert "langchain" in json.loads(proc.stderr)["error"]["message"]


def test_out_writes_the_same_list_to_a_file(tmp_path):
    out = tmp_path / "tools.json"
    proc = blocks("export", "anthropic", "--resource", "tags", "--out", str(out))
    assert proc.stdout == ""
    assert json.loads(out.read_text()) == export("anthropic", "--resource", "tags")


def test_the_readme_export_commands_work_as_written():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Use from an agent framework", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in block.splitlines()]
    commands = [c for c in commands if c]
    assert len(commands) == 3
    targets = set()
    for command in commands:
        words = command.split(">", 1)[0].split()
        assert words[:2] == ["thrive-blocks", "export"], command
        tools = json.loads(blocks(*words[1:]).stdout)
        assert 2 <= len(tools) <= 12, (command, len(tools))
        targets.add(words[2])
    assert targets == {"openai", "gemini", "anthropic"}
