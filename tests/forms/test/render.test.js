// Every form drawn as a builder would: RJSF (@rjsf/core with the ajv8
// validator) and JSON Forms (vanilla renderers) in jsdom, with any console
// error or warning failing the test. A valid value is submitted through the
// RJSF form, and what the form hands over is then checked by the catalogue.
import '../lib/dom.js';
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { createRoot } from 'react-dom/client';
import Form from '@rjsf/core';
import { customizeValidator } from '@rjsf/validator-ajv8';
import { JsonForms } from '@jsonforms/react';
import { vanillaCells, vanillaRenderers } from '@jsonforms/vanilla-renderers';
import { withConsoleSpy, container } from '../lib/dom.js';
import { loadManifests } from '../lib/manifests.js';
import { formAjv } from '../lib/ajv.js';
import { validValueFor } from '../lib/values.js';
import { catalogueValidate, CLI_SKIP } from '../lib/cli.js';
import { RJSF_SETTINGS } from '../../../ui/form-helpers/index.js';

const { act, createElement: h } = React;
const validator = customizeValidator();
// The settings the playground runs with and the README asks RJSF hosts
// for (ui/form-helpers): among them `constAsDefaults: 'skipOneOf'`, without
// which RJSF would pre-select the first option of every optional dropdown
// (e.g. a role) that nobody chose.
const RJSF_PROPS = RJSF_SETTINGS;
const roots = [];

after(async () => {
  await act(async () => { for (const root of roots) root.unmount(); });
});

/** Renders `element` into a fresh container; returns the container. */
async function render(element) {
  const el = container();
  const root = createRoot(el);
  roots.push(root);
  await act(async () => { root.render(element); });
  // JSON Forms reports changes from an effect; let it run.
  await act(async () => { await new Promise((r) => setTimeout(r, 0)); });
  return el;
}

/** Titles of the root fields that a form should show as labels. */
function shownTitles(schema, uiSchema) {
  return Object.entries(schema.properties ?? {})
    .filter(([name]) => uiSchema?.[name]?.['ui:widget'] !== 'hidden')
    .map(([, sub]) => sub.title)
    .filter(Boolean);
}

for (const { id, manifest } of loadManifests()) {
  const form = manifest.formSchema;
  describe(id, () => {
    it('RJSF draws the form and submits a valid value without errors', { skip: !form && 'no formSchema' }, async () => {
      const { value, errors } = validValueFor(form, formAjv().compile(form));
      assert.deepEqual(errors, [], 'the test value is valid for formSchema');
      const ref = React.createRef();
      const submitted = [];
      const refused = [];
      const { result: el, logged } = await withConsoleSpy(async () => {
        const node = await render(h(Form, {
          ...RJSF_PROPS,
          schema: form,
          uiSchema: manifest.uiSchema ?? {},
          validator,
          formData: value,
          ref,
          onSubmit: ({ formData }) => submitted.push(formData),
          onError: (errs) => refused.push(...errs),
        }));
        await act(async () => { ref.current.submit(); });
        return node;
      });
      assert.deepEqual(logged, [], 'no console error or warning');
      assert.deepEqual(refused.map((e) => e.stack), [], 'RJSF found no validation errors');
      if (submitted.length === 0) {
        // The browser's own constraint validation (RJSF sets `required`,
        // `min`, ... on inputs) blocks a submit without telling RJSF.
        const blocked = [...el.querySelectorAll('input, select, textarea')]
          .filter((e) => e.willValidate && !e.checkValidity())
          .map((e) => `${e.id} (${e.validationMessage}, value ${JSON.stringify(e.value)})`);
        assert.fail(`onSubmit was not called for ${JSON.stringify(value)}; the browser refused ${blocked.join(', ') || 'nothing'}; the form held ${JSON.stringify(ref.current?.state?.formData)}`);
      }
      assert.equal(submitted.length, 1, 'onSubmit called once');
      // The form sends what the person entered plus documented defaults,
      // nothing it chose itself (RJSF pre-selects the first choice of a
      // oneOf, and fills arrays up to minItems, unless the schema says
      // otherwise).
      const invented = Object.entries(submitted[0] ?? {})
        // A blank string is absent to the catalogue too.
        .filter(([k, v]) => v !== undefined && v !== '' && !(k in value))
        .filter(([k, v]) => JSON.stringify(form.properties?.[k]?.default) !== JSON.stringify(v))
        .map(([k, v]) => `${k} = ${JSON.stringify(v)}`);
      assert.deepEqual(invented, [], 'the form filled in values nobody chose');
      const text = el.textContent;
      assert.deepEqual(shownTitles(form, manifest.uiSchema).filter((t) => !text.includes(t)), [], 'every field label is shown');

      if (!CLI_SKIP) {
        const { status, stderr } = catalogueValidate(id, submitted[0]);
        assert.equal(status, 0, `the catalogue accepts what the form submitted: ${JSON.stringify(submitted[0])}\n${stderr}`);
      }
    });

    it('RJSF draws the connection form with the API key as a password', { skip: !manifest.connectionSchema && 'no connectionSchema' }, async () => {
      const { result: el, logged } = await withConsoleSpy(() => render(h(Form, {
        schema: manifest.connectionSchema,
        uiSchema: manifest.connectionUiSchema ?? {},
        validator,
      })));
      assert.deepEqual(logged, [], 'no console error or warning');
      const apiKey = el.querySelector('input[id$="apiKey"]');
      assert.ok(apiKey, 'an input for apiKey');
      assert.equal(apiKey.getAttribute('type'), 'password');
    });

    it('JSON Forms draws the form with its layout, no console error, no validation errors', { skip: !form && 'no formSchema' }, async () => {
      const { value } = validValueFor(form, formAjv().compile(form));
      const changes = [];
      const { result: el, logged } = await withConsoleSpy(() => render(h(JsonForms, {
        schema: form,
        uischema: manifest.uischema,
        data: value,
        renderers: vanillaRenderers,
        cells: vanillaCells,
        onChange: ({ errors }) => changes.push(errors ?? []),
      })));
      // JSON Forms reports its state through a 10 ms debounce.
      for (let i = 0; i < 100 && changes.length === 0; i += 1) {
        await act(async () => { await new Promise((r) => setTimeout(r, 20)); });
      }
      // Vanilla JSON Forms has no table cell for an object nested in an array
      // item or for a free-form object, and warns about it; that is a
      // limit of the vanilla cell set, not an error in the schema.
      assert.deepEqual(logged.filter((l) => !l.startsWith('warn: No applicable cell found')), [], 'no console error');
      assert.ok(!el.textContent.includes('No applicable renderer found'), `every control has a renderer:\n${el.innerHTML.slice(0, 2000)}`);
      assert.ok(changes.length > 0, 'JSON Forms reported its state');
      assert.deepEqual(changes.at(-1).map((e) => `${e.instancePath} ${e.message}`), [], 'JSON Forms validation found no errors');
      const controls = el.querySelectorAll('.control');
      const expected = JSON.stringify(manifest.uischema).match(/"type":"Control"/g)?.length ?? 0;
      assert.ok(controls.length >= expected, `${controls.length} controls drawn for ${expected} in the layout`);
    });
  });
}
