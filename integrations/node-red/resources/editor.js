// The editor side of the Thrive palette, shared by every generated node
// type: the generated `nodes/thrive-blocks.html` calls registerConfig,
// registerTool (once per resource, with its operations) and registerTrigger.
// Hand-written; `thrive-blocks export node-red` leaves it in place.
/* global RED, $ */
(function () {
    "use strict";
    if (window.ThriveBlocksEditor) return;

    var COLOR = "#A6D5E6";
    var TYPED = ["msg", "flow", "global", "env"];

    function titleOf(prop, name) {
        return (prop && prop.title) || name;
    }

    /** Titled choices of a field, or null: oneOf consts, enums, booleans. */
    function choicesOf(prop) {
        if (!prop) return null;
        if (Array.isArray(prop.oneOf) && prop.oneOf.every(function (o) { return o && o.const !== undefined; })) {
            return prop.oneOf.map(function (o) { return { value: String(o.const), label: o.title || String(o.const) }; });
        }
        if (Array.isArray(prop.enum)) return prop.enum.map(function (v) { return { value: String(v), label: String(v) }; });
        if (prop.type === "boolean") return [{ value: "true", label: "true" }, { value: "false", label: "false" }];
        return null;
    }

    /** The typedInput types of one form field. */
    function typesOf(prop, withMsg) {
        var base;
        var choices = choicesOf(prop);
        var itemChoices = prop && prop.type === "array" ? choicesOf(prop.items) : null;
        if (choices) {
            base = [{ value: "choice", label: "value", options: [{ value: "", label: "(not set)" }].concat(choices) }];
        } else if (itemChoices) {
            base = [{ value: "choices", label: "values", multiple: true, options: itemChoices }];
        } else if (prop && (prop.type === "integer" || prop.type === "number")) {
            base = ["num"];
        } else if (prop && (prop.type === "array" || prop.type === "object")) {
            base = ["json"];
        } else {
            base = ["str"];
        }
        return withMsg ? base.concat(TYPED) : base;
    }

    /** The field order: the uiSchema's, then the rest; paging last. */
    function orderOf(form, ui) {
        var props = Object.keys((form && form.properties) || {});
        var order = (ui && ui["ui:order"]) || [];
        var out = [];
        order.forEach(function (k) { if (k !== "*" && props.indexOf(k) >= 0) out.push(k); });
        props.forEach(function (k) { if (out.indexOf(k) < 0) out.push(k); });
        return out;
    }

    function optionsSource(ui, name) {
        var u = ui && ui[name];
        if (!u) return null;
        var o = (u["ui:options"] && u["ui:options"]["x-options"]) || (u.items && u.items["ui:options"] && u.items["ui:options"]["x-options"]);
        return o || null;
    }

    /**
     * Draws the fields of `form` into `container`, with typedInputs holding
     * `values` ({name: {type, value}}). `dropdown(name)` fills a datalist
     * for fields with a source.
     */
    function drawFields(container, form, ui, values, withMsg, dropdown) {
        container.empty();
        var required = (form && form.required) || [];
        orderOf(form, ui).forEach(function (name) {
            var prop = form.properties[name];
            var id = "thrive-field-" + name;
            var row = $('<div class="form-row thrive-field-row"></div>').appendTo(container);
            $('<label></label>').attr("for", id).attr("title", name)
                .text(titleOf(prop, name) + (required.indexOf(name) >= 0 ? " *" : ""))
                .appendTo(row);
            var input = $('<input type="text" class="thrive-field" style="width:70%">').attr("id", id).attr("data-name", name).appendTo(row);
            var types = typesOf(prop, withMsg);
            var saved = values && values[name];
            var first = typeof types[0] === "string" ? types[0] : types[0].value;
            input.typedInput({ types: types, default: first });
            if (saved && saved.type) {
                input.typedInput("type", saved.type);
                input.typedInput("value", saved.value === undefined ? "" : saved.value);
            }
            if (prop && prop.description) {
                $('<div class="thrive-field-help" style="margin:2px 0 0 104px;max-width:70%;font-size:0.85em;color:#777"></div>').text(prop.description).appendTo(row);
            }
            var source = optionsSource(ui, name);
            if (source && dropdown) dropdown(name, input, source);
        });
    }

    function collectFields(container) {
        var values = {};
        container.find("input.thrive-field").each(function () {
            var el = $(this);
            var type = el.typedInput("type");
            var value = el.typedInput("value");
            if (value === "" || value === undefined || value === null) return;
            values[el.attr("data-name")] = { type: type, value: value };
        });
        return values;
    }

    /** A searchable dropdown: the field's datalist, filled from the tenant as the user types. */
    function searchable(nodeType, toolId) {
        return function (name, input, source) {
            var listId = "thrive-options-" + name;
            $('<datalist></datalist>').attr("id", listId).insertAfter(input.closest(".red-ui-typedInput-container"));
            input.attr("list", listId).attr("placeholder", "type to search " + source.tool.replace(/^thrive_/, "").replace(/_/g, " "));
            var timer = null;
            function load() {
                var config = $("#node-input-server").val();
                if (!config || config === "_ADD_") return;
                $.ajax({
                    url: "thrive-blocks/options/" + encodeURIComponent(config) + "/" + encodeURIComponent(toolId()) + "/" + encodeURIComponent(name),
                    method: "POST",
                    contentType: "application/json",
                    data: JSON.stringify({ q: input.typedInput("type") === "str" ? input.typedInput("value") : "" }),
                }).done(function (answer) {
                    var list = $("#" + listId).empty();
                    ((answer && answer.options) || []).forEach(function (o) {
                        $("<option></option>").attr("value", o.value).text(o.label).appendTo(list);
                    });
                });
            }
            input.on("focus input", function () {
                clearTimeout(timer);
                timer = setTimeout(load, 250);
            });
        };
    }

    function registerConfig(RED, regions) {
        RED.nodes.registerType("thrive-config", {
            category: "config",
            defaults: {
                name: { value: "" },
                mode: { value: "managed" },
                hostChoice: { value: "public.api.learn.link" },
                host: { value: "" },
                url: { value: "" },
                bin: { value: "" },
            },
            credentials: {
                tenantId: { type: "text" },
                apiKey: { type: "password" },
                clientId: { type: "text" },
                scope: { type: "text" },
                token: { type: "password" },
                webhookSecret: { type: "password" },
            },
            label: function () {
                if (this.name) return this.name;
                if (this.mode === "sandbox") return "Thrive demo sandbox";
                return "Thrive " + (this.mode === "external" ? this.url || "server" : (this.credentials && this.credentials.tenantId) || "connection");
            },
            oneditprepare: function () {
                var node = this;
                var select = $("#node-config-input-hostChoice");
                regions.forEach(function (r) { $("<option></option>").val(r.const).text(r.title).appendTo(select); });
                $("<option></option>").val("custom").text("Custom host").appendTo(select);
                select.val(node.hostChoice || "public.api.learn.link");
                function toggle() {
                    var mode = $("#node-config-input-mode").val();
                    $(".thrive-mode-external").toggle(mode === "external");
                    $(".thrive-mode-managed").toggle(mode === "managed");
                    $(".thrive-conn").toggle(mode !== "sandbox");
                    $(".thrive-custom-host").toggle(mode !== "sandbox" && select.val() === "custom");
                }
                $("#node-config-input-mode").on("change", toggle);
                select.on("change", toggle);
                toggle();
                var base = location.origin + (RED.settings.httpNodeRoot || "/").replace(/\/?$/, "/");
                $("#thrive-webhook-url").text("Webhook URL for Thrive's team (one per subscription): " + base + "thrive-blocks/webhooks/" + node.id + "/completion_subscription (also user_subscription, assignment_subscription, content_subscription, notification_subscription)");
                $("#thrive-test-connection").on("click", function () {
                    var out = $("#thrive-test-result").text("testing…");
                    var body = { id: node.id };
                    ["mode", "url", "token", "bin", "tenantId", "apiKey", "hostChoice", "host", "clientId", "scope"].forEach(function (k) {
                        body[k] = $("#node-config-input-" + k).val();
                    });
                    $.ajax({ url: "thrive-blocks/test-connection", method: "POST", contentType: "application/json", data: JSON.stringify(body) })
                        .done(function (a) {
                            if (a.ok) out.text("✓ connected" + (a.result && a.result.authMethod ? " (" + a.result.authMethod + ")" : ""));
                            else out.text("✗ " + ((a.error && (a.error.code + ": " + a.error.message)) || (a.result && (a.result.reason || a.result.code)) || "failed"));
                        })
                        .fail(function (x) { out.text("✗ " + (x.responseJSON && x.responseJSON.error ? x.responseJSON.error.message : x.statusText)); });
                });
            },
        });
    }

    function registerTool(RED, type, data) {
        var byId = {};
        data.tools.forEach(function (t) { byId[t.id] = t; });
        RED.nodes.registerType(type, {
            category: "Thrive",
            color: COLOR,
            icon: "font-awesome/fa-graduation-cap",
            paletteLabel: data.label,
            inputs: 1,
            outputs: 1,
            defaults: {
                name: { value: "" },
                server: { value: "", type: "thrive-config", required: true },
                operation: { value: data.tools[0].id, required: true },
                params: { value: {} },
                outputMode: { value: "one" },
            },
            label: function () {
                return this.name || (byId[this.operation] && byId[this.operation].title) || data.label;
            },
            labelStyle: function () { return this.name ? "node_label_italic" : ""; },
            oneditprepare: function () {
                var node = this;
                var select = $("#node-input-operation");
                data.tools.forEach(function (t) { $("<option></option>").val(t.id).text(t.title).appendTo(select); });
                select.val(node.operation);
                var container = $(".thrive-fields");
                function draw() {
                    var tool = byId[select.val()];
                    if (!tool) return;
                    $(".thrive-operation-help").text(tool.description);
                    var values = select.val() === node.operation ? node.params : {};
                    drawFields(container, tool.form, tool.ui, values, true, searchable(type, function () { return select.val(); }));
                    $(".thrive-paged").toggle(!!tool.paginated);
                }
                select.on("change", draw);
                draw();
            },
            oneditsave: function () {
                this.params = collectFields($(".thrive-fields"));
            },
        });
    }

    function registerTrigger(RED, triggers) {
        var byId = {};
        triggers.forEach(function (t) { byId[t.id] = t; });
        RED.nodes.registerType("thrive-trigger", {
            category: "Thrive",
            color: COLOR,
            icon: "font-awesome/fa-bolt",
            paletteLabel: "Thrive trigger",
            inputs: 0,
            outputs: 1,
            defaults: {
                name: { value: "" },
                server: { value: "", type: "thrive-config", required: true },
                trigger: { value: triggers[0] ? triggers[0].id : "", required: true },
                filters: { value: {} },
                interval: { value: 60, validate: function (v) { return Number(v) > 0; } },
            },
            label: function () {
                return this.name || (byId[this.trigger] && byId[this.trigger].title) || "Thrive trigger";
            },
            oneditprepare: function () {
                var node = this;
                var select = $("#node-input-trigger");
                triggers.forEach(function (t) { $("<option></option>").val(t.id).text(t.title).appendTo(select); });
                select.val(node.trigger);
                var container = $(".thrive-fields");
                function draw() {
                    var t = byId[select.val()];
                    if (!t) return;
                    $(".thrive-operation-help").text(t.description);
                    drawFields(container, t.form, t.ui, select.val() === node.trigger ? node.filters : {}, false, null);
                    $(".thrive-polling").toggle(!!(t.source && t.source.kind === "polling"));
                }
                select.on("change", draw);
                draw();
            },
            oneditsave: function () {
                this.filters = collectFields($(".thrive-fields"));
            },
        });
    }

    window.ThriveBlocksEditor = { registerConfig: registerConfig, registerTool: registerTool, registerTrigger: registerTrigger };
})();
