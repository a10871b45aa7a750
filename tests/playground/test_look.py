"""How the page looks to a person: `/` leads to it with no console error and
no 404 (the icon included), the home page offers the common tasks, read
tools come first and destructive ones are marked, list buttons show words
(not the blank boxes of an unloaded icon font), yes/no filters can be left
blank, nested records read as text, and messages are in words. Screenshots
of the create-user and add-managers forms are kept for a person to look at."""

import json
import urllib.request

from playwright.sync_api import expect

from helpers import Ui


def test_the_root_leads_to_the_page_with_no_console_error_and_no_404(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    icons = []
    page.on("response", lambda r: icons.append((r.url, r.status, r.headers.get("content-type"))) if "favicon" in r.url else None)
    page.goto("/")
    assert page.url == f"{server}/ui", page.url
    expect(page.get_by_test_id("home")).to_be_visible()
    page.wait_for_load_state("networkidle")
    context.close()
    assert problems == []
    assert (f"{server}/ui/assets/favicon.svg", 200, "image/svg+xml") in icons, icons
    # A client that asks for /favicon.ico by itself is led to the same icon.
    with urllib.request.urlopen(f"{server}/favicon.ico", timeout=10) as r:
        assert r.status == 200 and r.headers["content-type"] == "image/svg+xml"
        assert r.url == f"{server}/ui/assets/favicon.svg"


def test_the_home_page_offers_the_common_tasks(page):
    home = page.get_by_test_id("home")
    expect(home).to_contain_text("without writing code")
    tasks = home.locator(".task")
    expect(tasks).to_have_count(3)
    assert [t.locator("strong").inner_text() for t in tasks.all()] == [
        "Find people",
        "Add a new person",
        "Put people in an audience",
    ]
    page.get_by_test_id("task-thrive_create_user").click()
    expect(page.locator('[data-testid="tool-panel"][data-tool="thrive_create_user"]')).to_be_visible()
    page.get_by_test_id("home-link").click()
    expect(page.get_by_test_id("home")).to_be_visible()


def test_read_tools_come_first_and_destructive_ones_are_marked(page, api):
    rank = {"read": 0, "change": 1, "danger": 2}
    groups = page.locator(".group")
    first = groups.first.locator("button").first
    assert first.locator(".badge").get_attribute("class") == "badge read", "the first entry only reads"
    for group in groups.all():
        badges = [b.get_attribute("class").split()[-1] for b in group.locator("button .badge").all()]
        assert badges == sorted(badges, key=rank.get), f"{group.get_attribute('data-resource')}: {badges}"
    status, tools = api.call("GET", "/tools")
    assert status == 200
    destructive = sorted(t["id"] for t in tools if t["hints"].get("destructive"))
    marked = sorted(
        b.get_attribute("data-testid")[len("tool-"):]
        for b in page.locator("nav.tools button").all()
        if b.locator('[data-testid="badge-destructive"]').count()
    )
    assert marked == destructive and destructive
    Ui(page).open("thrive_delete_user")
    expect(page.get_by_test_id("destructive-warning")).to_contain_text("Dry run")


BUTTON_LOOKS = r"""bs => bs.map(b => ({
    title: b.title,
    text: b.innerText.split(/\s+/).filter(Boolean).join(' '),
    width: b.getBoundingClientRect().width,
    textWidth: [...b.children].reduce((w, c) => w + c.getBoundingClientRect().width, 0),
}))"""


def button_looks(page, field):
    """Text and computed widths of the buttons of a list field; none may be blank."""
    looks = page.locator(f"#root_{field} button.btn").evaluate_all(BUTTON_LOOKS)
    blank = [b for b in looks if not b["text"] or b["width"] < 24 or b["textWidth"] < 6]
    assert blank == [], looks
    return looks


def test_list_buttons_show_words_not_blank_boxes(page, artifacts):
    ui = Ui(page).open("thrive_add_audience_managers")
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.locator("#root_managers .rjsf-array-item-add button").click()
    expect(page.locator("#root_managers .rjsf-array-item")).to_have_count(2)
    ui.fill("managers_0_reference", "jane@example.com")
    looks = button_looks(page, "managers")
    assert len(looks) >= 3 and {b["text"] for b in looks} >= {"+ Add row", "✕ Remove"}, looks
    assert page.locator(".glyphicon").count() == 0
    page.screenshot(path=str(artifacts / "form-add-managers.png"), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})
    # A list whose entries can be moved: the arrows show too.
    Ui(page).open("thrive_add_audience_members")
    page.locator("#root_users .rjsf-array-item-add button").click()
    page.locator("#root_users .rjsf-array-item-add button").click()
    looks = button_looks(page, "users")
    assert {b["text"] for b in looks} >= {"↑", "↓", "✕ Remove"}, looks
    assert {b["title"] for b in looks} >= {"Move up", "Move down", "Remove"}, looks


def test_the_create_user_form_as_a_person_sees_it(page, artifacts):
    Ui(page).open("thrive_create_user")
    page.set_viewport_size({"width": 1400, "height": 2000})
    page.locator("#root_additionalFields .btn-add").click()
    # A new custom field starts empty, not as {"newKey": "New Value"}.
    expect(page.locator("#root_additionalFields_0_name")).to_have_value("")
    expect(page.locator("#root_additionalFields .rjsf-array-item")).to_contain_text("Field name")
    page.get_by_test_id("btn-validate").click()
    # In words, and listed in the order of the fields on the page.
    expect(page.locator(".errors li")).to_have_text(
        [
            "“User reference” is required.",
            "“First name” is required.",
            "“Last name” is required.",
            "“Email” is required.",
            "“Field name” (Custom fields, entry 1) is required.",
            "“Value” (Custom fields, entry 1) is required.",
        ]
    )
    page.screenshot(path=str(artifacts / "form-create-user-errors.png"), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})


def test_messages_are_in_words_and_nothing_is_sent(page):
    ui = Ui(page).open("thrive_create_user")
    ui.fill("ref", "pg-words").fill("firstName", "Ada").fill("lastName", "Lovelace").fill("email", "not an email")
    page.get_by_test_id("btn-validate").click()
    assert ui.field_errors("email") == ["“Email” must be an email address, for example jane@example.com."]
    assert ui.action_posts() == []


def test_an_optional_yes_no_filter_can_be_left_blank(page):
    ui = Ui(page).open("thrive_search_users")
    page.locator("details[data-group='Advanced'] > summary").click()
    field = ui.field("returnAll")
    assert field.locator("option").all_inner_texts() == ["Leave blank", "Yes", "No"]
    ui.fill("returnAll", False)
    assert ui.ok("validate")["returnAll"] is False
    ui.fill("returnAll", None)
    assert "returnAll" not in ui.ok("validate")
    ui.fill("returnAll", True)
    assert ui.ok("validate")["returnAll"] is True


def test_nested_records_read_as_text_in_the_table(page, api):
    ui = Ui(page).open("thrive_list_audiences")
    ui.ok("run")
    table = page.get_by_test_id("result-table")
    headers = table.locator("th").all_inner_texts()
    column = headers.index("parent")
    cells = [row.locator("td").nth(column).inner_text() for row in table.locator("tbody tr").all()]
    audiences = {a["id"]: a for a in api.items("thrive_list_audiences")}
    expected = [
        f"{a['parent']['name']} ({a['parent']['id']})" if a.get("parent") else ""
        for a in json.loads(page.get_by_test_id("result-json").inner_text())["results"]
        if a["id"] in audiences
    ]
    assert cells == expected
    assert any(cells) and not any(c.startswith("{") for c in cells)
