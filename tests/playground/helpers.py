"""Driving the playground page like a person: pick a tool, fill its form
(through the dropdowns where there is one), press a button, read the result."""

import json
import re

from playwright.sync_api import expect


class Ui:
    def __init__(self, page):
        self.page = page
        self.posts = []
        page.on(
            "request",
            lambda r: self.posts.append((r.url.split("/", 3)[-1], r.post_data))
            if r.method == "POST"
            else None,
        )

    # ---- navigation ----------------------------------------------------
    def open(self, tool):
        page = self.page
        if "/ui" not in page.url:
            page.goto("/ui")
        page.get_by_test_id("tool-search").fill(tool)
        page.get_by_test_id(f"tool-{tool}").click()
        expect(page.locator(f'[data-testid="tool-panel"][data-tool="{tool}"]')).to_be_visible()
        self.tool = tool
        return self

    # ---- fields --------------------------------------------------------
    def field(self, name):
        return self.page.locator(f"#root_{name}")

    def has_dropdown(self, name):
        return self.page.locator(f'[data-options-field="{name}"] #root_{name}').count() > 0

    def fill(self, name, value):
        el = self.field(name)
        tag = el.evaluate("e => e.tagName")
        if tag == "SELECT":
            # RJSF's options carry indexes as values: choose by the shown
            # title; a yes/no field is a choice of "Yes", "No" or blank.
            if value is True or value is False or value is None:
                label = {True: "Yes", False: "No", None: "Leave blank"}[value]
            else:
                label = str(value)
            el.select_option(label=label)
        elif el.get_attribute("type") == "checkbox":
            el.set_checked(bool(value))
        elif el.get_attribute("type") == "datetime-local":
            # A `format: date-time` field is the browser's date-time picker,
            # which takes local minutes ("2024-04-02T13:45"), as a person
            # picking from it would; RJSF sends it on as an ISO instant.
            el.fill(str(value)[:16])
        else:
            el.fill(value if isinstance(value, str) else json.dumps(value))
        return self

    def pick(self, name, value=None, q=None):
        """Chooses an option of the field's dropdown: the one with `value`
        (searched for by `q` or the value itself), else the first. Returns
        the value chosen."""
        page = self.page
        el = self.field(name)
        el.click()
        search = q if q is not None else value
        if search:
            el.fill(search)
        box = page.locator(f'[data-options-field="{name}"]')
        if value is not None:
            option = box.locator(f'[role="option"][data-value="{value}"]')
        else:
            option = box.locator('[role="option"]').first
        option.wait_for()
        chosen = option.get_attribute("data-value")
        option.click()
        expect(el).to_have_value(chosen)
        return chosen

    def choose(self, name, value=None):
        """Through the dropdown when the field has one, else typed."""
        if self.has_dropdown(name):
            return self.pick(name, value)
        assert value is not None, f"{name} has no dropdown; give a value"
        self.fill(name, value)
        return value

    def fill_list(self, name, items):
        """A list field: a JSON text box, or an RJSF array (one row per item)."""
        el = self.field(name)
        if el.count() and el.evaluate("e => e.tagName") in ("TEXTAREA", "INPUT"):
            el.fill(json.dumps(items))
            return self
        add = self.page.locator(f"#root_{name} .rjsf-array-item-add button").first
        rows = self.page.locator(f"#root_{name} .rjsf-array-item")
        for i, item in enumerate(items):
            # RJSF starts a list with minItems rows already there.
            if rows.count() <= i:
                add.click()
            if isinstance(item, dict):
                for k, v in item.items():
                    if not isinstance(v, dict):
                        self.fill(f"{name}_{i}_{k}", v)
            else:
                self.fill(f"{name}_{i}", item)
        return self

    # ---- actions -------------------------------------------------------
    def press(self, action):
        """validate, dry-run or run; waits for the page to show the answer."""
        page = self.page
        before = len(self.posts)
        page.get_by_test_id(f"btn-{action}").click()
        title = {"validate": "Validation", "dry-run": "Dry run", "run": "Run"}[action]
        expect(page.get_by_test_id("result-status")).to_contain_text(title + ":", timeout=30000)
        expect(page.get_by_test_id("busy")).to_have_count(0)
        sent = [p for p in self.posts[before:] if re.search(r"tools/[^/]+/(validate|dry-run|run)$", p[0])]
        assert sent, f"{action} sent nothing"
        return json.loads(sent[-1][1] or "null")

    def status(self):
        return self.page.get_by_test_id("result-status").inner_text()

    def result(self):
        return json.loads(self.page.get_by_test_id("result-json").inner_text())

    def ok(self, action="run"):
        body = self.press(action)
        status = self.status()
        assert re.search(r": (valid|done|partly done)$", status), f"{self.tool} {action}: {status}\n{self.result()}"
        return body

    def field_errors(self, name):
        """The messages RJSF shows next to the field."""
        group = self.page.locator(f"#root_{name}").locator(
            "xpath=ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' form-group ')][1]"
        )
        return group.locator(".error-detail li, .text-danger").all_inner_texts()

    def action_posts(self):
        return [p for p in self.posts if re.search(r"tools/[^/]+/(validate|dry-run|run)$", p[0])]
