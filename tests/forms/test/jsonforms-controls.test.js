// JSON Forms (vanilla renderers, with the manifest's `uischema`) draws a
// control for every property of the manager and user forms, nested ones
// included (a manager's permissions, custom fields), and marks required
// fields as required. The data holds one list entry and one custom field,
// so the controls inside them are drawn.
import '../lib/dom.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { createRoot } from 'react-dom/client';
import { JsonForms } from '@jsonforms/react';
import { vanillaCells, vanillaRenderers } from '@jsonforms/vanilla-renderers';
import { container, withConsoleSpy } from '../lib/dom.js';
import { byId, loadManifests } from '../lib/manifests.js';

const { act, createElement: h } = React;
const manifests = byId(loadManifests());

const MANAGER = {
  reference: 'jane@example.com',
  permissions: {
    audienceManager: { manageContent: true, assignments: false },
    peopleManager: { canViewLearnPage: true, insights: false, manage: false },
    administrator: { canAddAudienceManagers: false },
  },
};
const CASES = {
  thrive_add_audience_managers: { audienceId: 'grads-2026', managers: [MANAGER] },
  thrive_replace_audience_managers: { audienceId: 'grads-2026', managers: [MANAGER] },
  thrive_create_user: { ref: 'NEW-001', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', additionalFields: [{ name: 'department', value: 'Sales' }] },
  thrive_update_user: { ref: 'NEW-001', additionalFields: [{ name: 'department', value: 'Sales' }] },
};

/** [name, title, schema, required] of every property, nested ones too. */
function properties(schema, required = schema.required ?? []) {
  const out = [];
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    out.push([name, sub.title ?? name, sub, required.includes(name)]);
    if (sub.type === 'object') out.push(...properties(sub));
    if (sub.type === 'array' && sub.items?.type === 'object') out.push(...properties(sub.items));
  }
  return out;
}

/**
 * The control of property `name`: the element JSON Forms gives the id of
 * its scope, or (a list, which has no id) the class `..._properties_<name>`,
 * or (a field of a list drawn as a table) the input in the column headed
 * by its title.
 */
function control(el, name, title) {
  const byId = el.querySelector(`[id$="properties/${name}"], [id$="properties/${name}-input"]`);
  if (byId) return byId;
  const byClass = [...el.querySelectorAll('.control')].find((c) => [...c.classList].some((k) => k.endsWith(`_properties_${name}`)));
  if (byClass) return byClass;
  for (const table of el.querySelectorAll('table')) {
    const column = [...table.querySelectorAll('thead th')].findIndex((th) => th.textContent.trim().replace(/\*$/, '') === title);
    const cell = column >= 0 ? table.querySelector(`tbody tr td:nth-child(${column + 1})`) : null;
    if (cell?.querySelector('input, select, textarea')) return cell;
  }
  return undefined;
}

for (const [id, data] of Object.entries(CASES)) {
  const manifest = manifests.get(id);
  describe(id, { skip: !manifest && 'no such manifest' }, () => {
    it('JSON Forms draws a control for every property, and required marks', async () => {
      // JSON Forms keeps element ids unique across the page ("...ref2" for a
      // second form), so each form is unmounted before the next is drawn.
      const el = container();
      const root = createRoot(el);
      try {
        await check(el, root, manifest, data);
      } finally {
        await act(async () => root.unmount());
      }
    });
  });
}

/** Draws the form into `el` and checks its controls and required marks. */
async function check(el, root, manifest, data) {
  const { logged } = await withConsoleSpy(async () => {
    await act(async () => {
      root.render(h(JsonForms, { schema: manifest.formSchema, uischema: manifest.uischema, data, renderers: vanillaRenderers, cells: vanillaCells }));
    });
    await act(async () => { await new Promise((r) => setTimeout(r, 50)); });
  });
  // A group of fields (a manager's permissions) is drawn as its fields.
  const missing = properties(manifest.formSchema)
    .filter(([, , sub]) => !(sub.type === 'object' && sub.properties))
    .filter(([name, title]) => !control(el, name, title))
    .map(([name, title]) => `${name} (${title})`);
  const unmarked = properties(manifest.formSchema)
    .filter(([, , , required]) => required)
    .map(([name, title]) => [title, control(el, name, title)])
    // Vanilla JSON Forms heads a table column with the bare title: no mark to look for.
    .filter(([title, box]) => !box || (box.tagName !== 'TD' && !box.textContent.includes(`${title}*`)))
    .map(([title]) => title);
  assert.deepEqual(logged, [], 'no console error or warning (a missing cell is one)');
  assert.ok(!el.textContent.includes('No applicable'), 'no "No applicable renderer"');
  assert.deepEqual(missing, [], 'properties without a control');
  assert.deepEqual(unmarked, [], 'required fields whose label has no required mark (*)');
}
