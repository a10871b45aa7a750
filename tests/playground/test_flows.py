"""Invalid input shown next to the field with nothing sent, a multi-step
flow ending in a partial result, the connection kept out of URLs, and
screenshots of one form and one result."""

import json

from playwright.sync_api import expect

from helpers import Ui
from test_tools import make_audience, members_of, unique, user_emails


def test_a_missing_required_field_is_marked_and_nothing_is_sent(page, api, artifacts):
    ui = Ui(page).open("thrive_create_user")
    ref = unique("pg-invalid")
    ui.fill("ref", ref).fill("firstName", "No")
    page.screenshot(path=str(artifacts / "form-create-user.png"), full_page=True)
    page.get_by_test_id("btn-run").click()
    expect(page.locator("#root_lastName").locator("xpath=ancestor::*[contains(@class,'form-group')][1]")).to_contain_text("required")
    assert ui.action_posts() == [], "an invalid form must not be sent"
    status, answer = api.call("POST", "/tools/thrive_get_user_by_ref/run", {"ref": ref})
    assert status == 502 and answer["error"]["code"] == "not_found"


def test_a_bad_timestamp_is_marked_next_to_its_field(page, api):
    before = len(api.items("thrive_list_completions"))
    ui = Ui(page).open("thrive_create_completion")
    ui.choose("userId")
    ui.choose("contentId")
    ui.fill("completedAt", "yesterday")
    page.get_by_test_id("btn-run").click()
    group = page.locator("#root_completedAt").locator("xpath=ancestor::*[contains(@class,'form-group')][1]")
    expect(group.locator(".error-detail")).not_to_have_count(0)
    assert len(api.items("thrive_list_completions")) == before, "nothing may reach the sandbox"


def test_a_date_in_the_wrong_layout_is_marked(page, api):
    ui = Ui(page).open("thrive_query_cpd_user_summaries")
    ui.fill("entryDateFrom", "2020-11-17")
    ui.fill("entryDateTo", "2030-01-01T00:00:00")
    page.get_by_test_id("btn-validate").click()
    group = page.locator("#root_entryDateFrom").locator("xpath=ancestor::*[contains(@class,'form-group')][1]")
    expect(group.locator(".error-detail")).not_to_have_count(0)
    to = page.locator("#root_entryDateTo").locator("xpath=ancestor::*[contains(@class,'form-group')][1]")
    expect(to.locator(".error-detail")).to_have_count(0)


def test_an_empty_member_list_is_refused_and_nothing_changes(page, api):
    audience_id, _ = make_audience(api)
    ui = Ui(page).open("thrive_add_audience_members")
    ui.choose("audienceId", audience_id)
    ui.fill_list("users", [])
    page.get_by_test_id("btn-run").click()
    group = page.locator("#root_users").locator("xpath=ancestor::*[contains(@class,'form-group')][1]")
    expect(group.locator(".error-detail")).not_to_have_count(0)
    assert members_of(api, audience_id) == []


def test_an_unknown_id_shows_thrives_message(page, api):
    ui = Ui(page).open("thrive_get_audience")
    ui.fill("audienceId", "no-such-audience-0000")
    ui.press("run")
    box = page.get_by_test_id("error-box")
    expect(box).to_contain_text("not_found")
    expect(box).to_contain_text("404")


def test_structure_child_audience_and_members_with_an_unknown_user(page, api, artifacts):
    ui = Ui(page).open("thrive_create_audience")
    parent = unique("PG region")
    ui.fill("name", parent).fill("category", "Structure")
    ui.ok("run")
    parent_id = ui.result()["audience"]["id"]

    ui.open("thrive_create_audience")
    child = unique("PG team")
    ui.fill("name", child).fill("category", "Audience")
    ui.choose("parentId", parent_id)
    ui.ok("run")
    child_id = ui.result()["audience"]["id"]
    stored = api.run("thrive_get_audience", {"audienceId": child_id})["audience"]
    assert stored["name"] == child and stored["parent"] is not None, stored

    ui.open("thrive_add_audience_members")
    ui.choose("audienceId", child_id)
    known = user_emails(api, 2)
    unknown = "nobody-here@unknown.example"
    ui.fill_list("users", [*known, unknown])
    body = ui.ok("run")
    assert body["users"] in ([*known, unknown], json.dumps([*known, unknown]))
    expect(page.get_by_test_id("result-status")).to_contain_text("partly done")
    failed = page.get_by_test_id("failed-items")
    expect(failed).to_contain_text(unknown)
    assert failed.locator("tbody tr").count() == 1
    page.screenshot(path=str(artifacts / "result-partial-members.png"), full_page=True)
    assert len(members_of(api, child_id)) == 2


def test_the_connection_stays_out_of_urls_and_a_requests_own_connection_wins(page, server, api):
    ui = Ui(page).open("thrive_list_audiences")
    expect(page.get_by_test_id("connection-status")).to_contain_text("default connection")
    page.get_by_test_id("connection-toggle").click()
    page.locator("#conn_tenantId").fill("someone-else")
    page.locator("#conn_apiKey").fill("wrong-key-NOT-IN-URLS")
    ui.press("run")
    box = page.get_by_test_id("error-box")
    expect(box).to_be_visible()
    assert "wrong-key-NOT-IN-URLS" not in page.url
    assert all("wrong-key-NOT-IN-URLS" not in url for url, _ in ui.posts)
    stored = page.evaluate("() => sessionStorage.getItem('thrive-blocks.connection')")
    assert "wrong-key-NOT-IN-URLS" in stored
    # Forgetting it goes back to the default connection.
    page.get_by_test_id("connection-forget").click()
    ui.ok("run")
