"""Every tool from the playground page, against `serve --sandbox`: open /ui,
pick the tool, fill its required fields (through the dropdowns where there
is one), validate, run, and check the page shows the expected output —
for read-only tools exactly what the block server answers for the same
input, for writes the change read back from the sandbox."""

import itertools

import pytest

from helpers import Ui

_seq = itertools.count(1)


def unique(prefix):
    return f"{prefix}-{next(_seq)}"


def same_as_api(ui, api, body):
    """The page shows what the server answers for the body the page sent."""
    assert ui.result() == api.run(ui.tool, body)


def make_user(api):
    ref = unique("pg-user")
    api.run("thrive_create_user", {"ref": ref, "firstName": "Play", "lastName": "Ground", "email": f"{ref}@example.com"})
    return ref


def make_audience(api, **extra):
    name = unique("PG audience")
    out = api.run("thrive_create_audience", {"name": name, **extra})
    return out["audience"]["id"], name


def user_emails(api, n):
    users = [u for u in api.items("thrive_search_users") if u.get("email") and not u.get("deleted")]
    return [u["email"] for u in users[:n]]


def first_tag(api):
    return api.items("thrive_list_tags")[0]


def run_status(api, tool, body):
    return api.call("POST", f"/tools/{tool}/run", body)


def enrolled_assignment(api):
    for a in api.items("thrive_list_assignments"):
        enrolments = api.items("thrive_list_enrolments", {"assignmentId": a["id"]})
        if enrolments:
            return a["id"], enrolments[0]
    raise AssertionError("no assignment with enrolments in the sandbox")


# ---- one plan per tool ---------------------------------------------------


def p_test_connection(ui, api):
    ui.ok("validate")
    ui.ok("run")
    assert ui.result()


def p_create_user(ui, api):
    ref = unique("pg-new")
    ui.fill("ref", ref).fill("firstName", "Ada").fill("lastName", "Lovelace")
    ui.fill("email", f"{ref}@example.com")
    ui.ok("validate")
    ui.ok("run")
    status, user = api.call("POST", "/tools/thrive_get_user_by_ref/run", {"ref": ref})
    assert status == 200 and user["user"]["firstName"] == "Ada", user
    assert ref in ui.page.get_by_test_id("result-json").inner_text()


def p_get_user_by_ref(ui, api):
    ref = ui.choose("ref")
    ui.ok("validate")
    body = ui.ok("run")
    assert body["ref"] == ref
    same_as_api(ui, api, body)


def p_get_user_by_id(ui, api):
    user = api.items("thrive_search_users")[0]
    ui.choose("id", user["id"])
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)
    assert user["id"] in ui.page.get_by_test_id("result-json").inner_text()


def p_search_users(ui, api):
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)
    assert ui.page.get_by_test_id("result-table").locator("tbody tr").count() > 0


def p_update_user(ui, api):
    ref = make_user(api)
    ui.choose("ref", ref)
    ui.fill("lastName", "Renamed")
    ui.ok("validate")
    ui.ok("run")
    user = api.run("thrive_get_user_by_ref", {"ref": ref})
    assert user["user"]["lastName"] == "Renamed", user


def p_suspend_user(ui, api):
    ref = make_user(api)
    ui.choose("ref", ref)
    ui.ok("validate")
    ui.ok("run")
    user = api.run("thrive_get_user_by_ref", {"ref": ref})
    assert user["user"]["status"] == "inactive", user


def p_delete_user(ui, api):
    ref = make_user(api)
    ui.choose("ref", ref)
    ui.ok("validate")
    ui.ok("run")
    status, answer = run_status(api, "thrive_get_user_by_ref", {"ref": ref})
    assert status == 502 and answer["error"]["code"] == "not_found", answer


def p_add_user_tags(ui, api):
    tag = first_tag(api)
    user = ui.choose("userId")
    ui.fill_list("tags", [tag["tag"]])
    ui.ok("validate")
    ui.ok("run")
    assert user


def p_remove_user_tags(ui, api):
    tag = first_tag(api)
    ui.choose("userId")
    ui.fill_list("tags", [tag["tag"]])
    ui.ok("validate")
    ui.ok("run")


def p_update_user_skills(ui, api):
    tag = first_tag(api)
    ui.choose("userId")
    ui.fill_list("skills", [{"tagName": tag["tag"], "level": 1}])
    ui.ok("validate")
    ui.ok("run")


def p_get_skill_levels(ui, api):
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)


def p_create_audience(ui, api):
    name = unique("PG made in the page")
    ui.fill("name", name).fill("category", "Structure")
    ui.ok("validate")
    ui.ok("run")
    assert any(a["name"] == name for a in api.items("thrive_list_audiences"))


def p_get_audience(ui, api):
    chosen = ui.choose("audienceId")
    ui.ok("validate")
    body = ui.ok("run")
    assert body["audienceId"] == chosen
    same_as_api(ui, api, body)


def p_list_audiences(ui, api):
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)
    assert ui.page.get_by_test_id("result-table").locator("tbody tr").count() > 0


def p_update_audience(ui, api):
    audience_id, _ = make_audience(api)
    ui.choose("audienceId", audience_id)
    ui.fill("name", "PG renamed")
    ui.ok("validate")
    ui.ok("run")
    assert api.run("thrive_get_audience", {"audienceId": audience_id})["audience"]["name"] == "PG renamed"


def p_delete_audience(ui, api):
    audience_id, _ = make_audience(api)
    ui.choose("audienceId", audience_id)
    ui.ok("validate")
    ui.ok("run")
    status, answer = run_status(api, "thrive_get_audience", {"audienceId": audience_id})
    assert status == 502 and answer["error"]["code"] == "not_found", answer


def members_of(api, audience_id):
    return api.items("thrive_list_audience_members", {"audienceId": audience_id})


def p_add_audience_members(ui, api):
    audience_id, _ = make_audience(api)
    emails = user_emails(api, 2)
    ui.choose("audienceId", audience_id)
    ui.fill_list("users", emails)
    ui.ok("validate")
    ui.ok("run")
    assert len(members_of(api, audience_id)) == 2


def p_list_audience_members(ui, api):
    audience_id, _ = make_audience(api)
    api.run("thrive_add_audience_members", {"audienceId": audience_id, "users": user_emails(api, 3)})
    ui.choose("audienceId", audience_id)
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)
    assert ui.page.get_by_test_id("result-table").locator("tbody tr").count() == 3


def p_remove_audience_member(ui, api):
    audience_id, _ = make_audience(api)
    ref = make_user(api)
    api.run("thrive_add_audience_members", {"audienceId": audience_id, "users": [ref]})
    assert len(members_of(api, audience_id)) == 1
    ui.choose("audienceId", audience_id)
    ui.choose("userRef", ref)
    ui.ok("validate")
    ui.ok("run")
    assert members_of(api, audience_id) == []


def p_replace_audience_members(ui, api):
    audience_id, _ = make_audience(api)
    api.run("thrive_add_audience_members", {"audienceId": audience_id, "users": user_emails(api, 3)})
    ref = make_user(api)
    ui.choose("audienceId", audience_id)
    ui.fill_list("users", [ref])
    ui.ok("validate")
    ui.ok("run")
    assert len(members_of(api, audience_id)) == 1


def p_sync_audience_members(ui, api):
    audience_id, _ = make_audience(api)
    api.run("thrive_add_audience_members", {"audienceId": audience_id, "users": user_emails(api, 3)})
    keep = user_emails(api, 1)
    ref = make_user(api)
    ui.choose("audienceId", audience_id)
    ui.fill_list("users", keep + [ref])
    ui.ok("validate")
    ui.ok("run")
    out = ui.result()
    assert out["added"] == 1 and out["removed"] == 2, out
    assert len(members_of(api, audience_id)) == 2


def managers_of(api, audience_id):
    return api.items("thrive_list_audience_managers", {"audienceId": audience_id})


def p_add_audience_managers(ui, api):
    audience_id, _ = make_audience(api)
    email = user_emails(api, 1)[0]
    ui.choose("audienceId", audience_id)
    ui.fill_list("managers", [{"reference": email}])
    ui.ok("validate")
    ui.ok("run")
    assert len(managers_of(api, audience_id)) == 1


def p_list_audience_managers(ui, api):
    audience_id, _ = make_audience(api)
    api.run("thrive_add_audience_managers", {"audienceId": audience_id, "managers": [{"reference": user_emails(api, 1)[0]}]})
    ui.choose("audienceId", audience_id)
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)


def p_remove_audience_manager(ui, api):
    audience_id, _ = make_audience(api)
    ref = make_user(api)
    api.run("thrive_add_audience_managers", {"audienceId": audience_id, "managers": [{"reference": ref}]})
    user_id = api.run("thrive_get_user_by_ref", {"ref": ref})["user"]["id"]
    ui.choose("audienceId", audience_id)
    ui.choose("userId", user_id)
    ui.ok("validate")
    ui.ok("run")
    assert managers_of(api, audience_id) == []


def p_replace_audience_managers(ui, api):
    audience_id, _ = make_audience(api)
    emails = user_emails(api, 2)
    api.run("thrive_add_audience_managers", {"audienceId": audience_id, "managers": [{"reference": emails[0]}]})
    ui.choose("audienceId", audience_id)
    ui.fill_list("managers", [{"reference": emails[1]}])
    ui.ok("validate")
    ui.ok("run")
    assert len(managers_of(api, audience_id)) == 1


def assignments(api):
    return api.items("thrive_list_assignments")


def p_create_assignment(ui, api):
    audience_id, _ = make_audience(api)
    before = len(assignments(api))
    ui.choose("audienceId", audience_id)
    ui.choose("contentId")
    ui.ok("validate")
    ui.ok("run")
    assert len(assignments(api)) == before + 1


def p_get_assignment(ui, api):
    chosen = ui.choose("assignmentId")
    ui.ok("validate")
    body = ui.ok("run")
    assert body["assignmentId"] == chosen
    same_as_api(ui, api, body)


def p_list_assignments(ui, api):
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)


def new_assignment(api):
    audience_id, _ = make_audience(api)
    content_id = api.items("thrive_query_content")[0]["id"]
    before = {a["id"] for a in assignments(api)}
    api.run("thrive_create_assignment", {"audienceId": audience_id, "contentId": content_id})
    (made,) = [a for a in assignments(api) if a["id"] not in before]
    return made["id"], audience_id


def p_update_assignment(ui, api):
    assignment_id, audience_id = new_assignment(api)
    ui.choose("assignmentId", assignment_id)
    ui.choose("audienceId", audience_id)
    ui.ok("validate")
    ui.ok("run")


def p_delete_assignment(ui, api):
    assignment_id, audience_id = new_assignment(api)
    ui.choose("assignmentId", assignment_id)
    ui.choose("audienceId", audience_id)
    ui.ok("validate")
    ui.ok("run")
    assert assignment_id not in {a["id"] for a in assignments(api)}


def p_list_enrolments(ui, api):
    assignment_id, _ = enrolled_assignment(api)
    ui.choose("assignmentId", assignment_id)
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)


def p_get_enrolment(ui, api):
    assignment_id, enrolment = enrolled_assignment(api)
    ui.choose("assignmentId", assignment_id)
    ui.choose("enrolmentId", enrolment["id"])
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)


def p_create_completion(ui, api):
    before = len(api.items("thrive_list_completions"))
    ui.choose("userId")
    ui.choose("contentId")
    ui.fill("completedAt", "2024-04-02T13:45:00.000Z")
    ui.ok("validate")
    ui.ok("run")
    assert len(api.items("thrive_list_completions")) == before + 1


def p_get_completion(ui, api):
    completion = api.items("thrive_list_completions")[0]
    ui.choose("id", completion["id"])
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)


def p_list_completions(ui, api):
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)


def p_get_content(ui, api):
    content = api.items("thrive_query_content")[0]
    ui.choose("id", content["id"])
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)


def p_query_content(ui, api):
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)


def p_get_activity(ui, api):
    activity = api.items("thrive_query_activities")[0]
    ui.choose("id", activity["id"])
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)


def p_query_activities(ui, api):
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)


def p_get_cpd_category(ui, api):
    ui.choose("categoryId")
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)


def p_query_cpd_categories(ui, api):
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)


def p_get_cpd_entry(ui, api):
    entry = api.items("thrive_query_cpd_entries")[0]
    ui.choose("logEntryId", entry.get("logEntryId") or entry.get("id"))
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)


def p_query_cpd_entries(ui, api):
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)


def p_get_cpd_requirement(ui, api):
    ui.choose("audienceRequirementId")
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)


def p_query_cpd_requirements(ui, api):
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)


def p_query_cpd_user_summaries(ui, api):
    ui.fill("entryDateFrom", "2020-01-01T00:00:00")
    ui.fill("entryDateTo", "2030-01-01T00:00:00")
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)


def p_get_tag(ui, api):
    ui.choose("tagId")
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)


def p_list_tags(ui, api):
    ui.ok("validate")
    body = ui.ok("run")
    same_as_api(ui, api, body)



def p_provision_user_joined(ui, api):
    ref = unique("pg-joined")
    ui.fill("ref", ref).fill("email", f"{ref}@example.com").fill("firstName", "Grace").fill("lastName", "Hopper")
    ui.fill("timestamp", "2026-04-01T09:00:00.000Z")
    ui.ok("validate")
    ui.ok("run")
    user = api.run("thrive_get_user_by_ref", {"ref": ref})
    assert user["user"]["firstName"] == "Grace" and user["user"]["email"] == f"{ref}@example.com", user


def p_provision_user_updated(ui, api):
    ref = make_user(api)
    ui.choose("ref", ref)
    ui.fill("lastName", "Provisioned")
    ui.fill("timestamp", "2026-04-01T09:00:00.000Z")
    ui.ok("validate")
    ui.ok("run")
    user = api.run("thrive_get_user_by_ref", {"ref": ref})
    assert user["user"]["lastName"] == "Provisioned", user


def p_provision_user_suspended(ui, api):
    ref = make_user(api)
    ui.choose("ref", ref)
    ui.fill("timestamp", "2026-04-01T09:00:00.000Z")
    ui.ok("validate")
    ui.ok("run")
    user = api.run("thrive_get_user_by_ref", {"ref": ref})
    assert user["user"]["status"] == "inactive", user


def p_provision_user_deleted(ui, api):
    ref = make_user(api)
    ui.choose("ref", ref)
    ui.fill("timestamp", "2026-04-01T09:00:00.000Z")
    ui.ok("validate")
    ui.ok("run")
    status, _ = api.call("POST", "/tools/thrive_get_user_by_ref/run", {"ref": ref})
    assert status != 200, f"{ref} still readable after user_deleted"


PLANS = {f"thrive_{name[2:]}": fn for name, fn in list(globals().items()) if name.startswith("p_")}


def test_every_tool_has_a_plan(api):
    status, tools = api.call("GET", "/tools")
    assert status == 200
    # One plan per tool the server lists, no more and no fewer.
    assert sorted(PLANS) == sorted(t["id"] for t in tools)


@pytest.mark.parametrize("tool", sorted(PLANS))
def test_tool_from_the_page(page, api, tool):
    ui = Ui(page).open(tool)
    PLANS[tool](ui, api)
    # The dry run shows the request with the credentials masked.
    ui.press("dry-run")
    if "valid" in ui.status() or "done" in ui.status():
        text = page.get_by_test_id("result-json").inner_text()
        assert "***" in text
