// Each manifest's schema flavours, checked as the hosts that use them would:
// the form flavour with Ajv 8 defaults and RJSF's validator, the validation
// flavour with Ajv2020, and the manifest contract (titles, connection apart,
// dropdown hints that point at real list tools, layouts that cover every field).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { customizeValidator } from '@rjsf/validator-ajv8';
import {
  loadManifests, byId, CONNECTION_FIELDS, FLAVOUR_KEYS, PAGING_FIELDS,
} from '../lib/manifests.js';
import { formAjv, inputAjv, collectingLogger } from '../lib/ajv.js';
import { findKeys, walkSchema } from '../lib/walk.js';

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
const DRAFT_2020 = 'https://json-schema.org/draft/2020-12/schema';
const REGIONS = [
  'public.api.learn.link', 'public.api.mea.learn.tech',
  'public.api.learnstaging.link', 'public.api.meastaging.learn.tech',
];
// Thrive's API scopes, and api/webhooks for the inbound provisioning endpoint.
const SCOPES = ['api/read', 'api/write', 'api/all', 'api/webhooks'];

const entries = loadManifests();
const manifests = byId(entries);

/** Compiles with Ajv (form or input set-up); fails on a throw or a logged warning. */
function assertCompiles(makeAjv, schema) {
  const { warnings, logger } = collectingLogger();
  const ajv = makeAjv(logger);
  assert.doesNotThrow(() => ajv.compile(schema));
  assert.deepEqual(warnings, [], 'Ajv logged strict-mode warnings');
}

/** RJSF's validator compiles the schema (a compile failure shows up as validationError). */
function assertRjsfCompiles(schema) {
  const validator = customizeValidator();
  const { validationError } = validator.rawValidation(schema, {});
  assert.equal(validationError, undefined, `RJSF validator: ${validationError?.message}`);
}

/** The item schema of a list tool's output: `results[]`, a bare array, or its one array field. */
function listItems(output) {
  if (!output || typeof output !== 'object') return undefined;
  if (output.type === 'array' || (Array.isArray(output.type) && output.type.includes('array'))) return output.items;
  const props = output.properties ?? {};
  if (props.results?.items) return props.results.items;
  const arrays = Object.values(props).filter((p) => p?.items && [p.type].flat().includes('array'));
  return arrays.length === 1 ? arrays[0].items : undefined;
}

/** Problems with one `x-options` hint. */
function checkHint(hint, where) {
  const problems = [];
  const source = manifests.get(hint?.tool);
  if (!source) return [`${where}: x-options names tool "${hint?.tool}", which is not in the catalogue`];
  const items = listItems(source.outputSchema);
  if (!items) return [`${where}: ${hint.tool}'s output has no list of items`];
  const fields = items.properties ?? {};
  for (const k of ['value', 'label']) {
    if (!(hint[k] in fields)) problems.push(`${where}: x-options ${k} "${hint[k]}" is not a field of ${hint.tool}'s items (${Object.keys(fields).join(', ')})`);
  }
  return problems;
}

for (const { id, manifest, tool } of entries) {
  const present = FLAVOUR_KEYS.filter((k) => manifest[k] !== undefined);
  describe(id, () => {
    if (!tool && present.length === 0) {
      it('carries no schema flavour (not a tool)', { skip: 'nothing to check' }, () => {});
      return;
    }
    if (tool) {
      it('carries every flavour', () => {
        assert.deepEqual(FLAVOUR_KEYS.filter((k) => manifest[k] === undefined), []);
      });
    }
    const when = (key, name, opts, fn) => {
      if (typeof opts === 'function') return it(`${key}: ${name}`, { skip: manifest[key] === undefined && `no ${key}` }, opts);
      return it(`${key}: ${name}`, { skip: (manifest[key] === undefined && `no ${key}`) || opts.skip }, fn);
    };

    when('formSchema', 'compiles with new Ajv() (draft-07, strict)', () => assertCompiles(formAjv, manifest.formSchema));
    when('formSchema', 'compiles with @rjsf/validator-ajv8', () => assertRjsfCompiles(manifest.formSchema));
    when('connectionSchema', 'compiles with new Ajv() (draft-07, strict)', () => assertCompiles(formAjv, manifest.connectionSchema));
    when('connectionSchema', 'compiles with @rjsf/validator-ajv8', () => assertRjsfCompiles(manifest.connectionSchema));
    when('inputSchema', 'compiles with Ajv2020 (strict, the listed custom keywords only)', () => assertCompiles(inputAjv, manifest.inputSchema));

    when('formSchema', 'is a draft-07 object of the tool\'s own inputs', () => {
      const s = manifest.formSchema;
      assert.equal(s.$schema, DRAFT_07);
      assert.equal(s.type, 'object');
      const props = Object.keys(s.properties ?? {});
      assert.deepEqual(props.filter((p) => CONNECTION_FIELDS.includes(p)), [], 'connection fields belong in connectionSchema');
      if (manifest.inputSchema) {
        const input = Object.keys(manifest.inputSchema.properties ?? {});
        assert.deepEqual(props.filter((p) => !input.includes(p)), [], 'form fields the catalogue does not know');
        const own = input.filter((p) => !CONNECTION_FIELDS.includes(p));
        assert.deepEqual(own.filter((p) => !props.includes(p)), [], 'tool inputs missing from the form');
      }
    });

    when('formSchema', 'has no $ref, type arrays, custom keywords or bare enums', () => {
      const bad = findKeys(manifest.formSchema, (k, v) => k === '$ref' || k.startsWith('x-')
        || (k === 'type' && Array.isArray(v)) || k === 'enum');
      assert.deepEqual(bad.map(([p, k]) => `${p}: ${k}`), []);
    });

    when('formSchema', 'titles every field and every choice; descriptions without backticks', () => {
      const problems = [];
      // Data fields only: properties, array items and map values, not the
      // subschemas of if/then/else or dependencies.
      const visit = (node, ptr) => {
        if (!node || typeof node !== 'object') return;
        for (const [name, sub] of Object.entries(node.properties ?? {})) {
          if (typeof sub.title !== 'string' || sub.title.trim() === '') problems.push(`${ptr}/properties/${name}: no title`);
          else if (sub.title === name && /[a-z][A-Z]/.test(name)) problems.push(`${ptr}/properties/${name}: title is the raw camelCase name`);
          visit(sub, `${ptr}/properties/${name}`);
        }
        if (node.items && !Array.isArray(node.items)) visit(node.items, `${ptr}/items`);
        if (node.additionalProperties && typeof node.additionalProperties === 'object') visit(node.additionalProperties, `${ptr}/additionalProperties`);
      };
      visit(manifest.formSchema, '');
      walkSchema(manifest.formSchema, (node, ptr) => {
        for (const [i, branch] of (node.oneOf ?? []).entries()) {
          if ('const' in branch && !(typeof branch.title === 'string' && branch.title.trim())) problems.push(`${ptr}/oneOf/${i}: choice ${JSON.stringify(branch.const)} has no title`);
        }
        if (typeof node.description === 'string' && node.description.includes('`')) problems.push(`${ptr || '(root)'}: description has backticks`);
      });
      assert.deepEqual(problems, []);
    });

    when('formSchema', 'draws dates as dates and JSON text or comma lists as real arrays/objects', { skip: !manifest.inputSchema && 'no inputSchema' }, () => {
      const problems = [];
      const form = manifest.formSchema.properties ?? {};
      for (const [name, input] of Object.entries(manifest.inputSchema.properties ?? {})) {
        const field = form[name];
        if (!field) continue;
        // The validation flavour may offer text or a real value (anyOf); the
        // markers sit on whichever branch is text.
        const branches = [input, ...(input.anyOf ?? []), ...(input.oneOf ?? [])];
        const marked = (pred) => branches.some((b) => b && pred(b));
        if (marked((b) => b['x-thrive-format']) && !['date', 'date-time'].includes(field.format) && !field.pattern) {
          problems.push(`${name}: a date input without format date/date-time or a pattern`);
        }
        if (marked((b) => b.contentMediaType === 'application/json' || b['x-thrive-json']) && !['array', 'object'].includes(field.type)) {
          problems.push(`${name}: a JSON-text input drawn as ${field.type}, not a real array/object`);
        }
        if (marked((b) => b['x-thrive-list']) && field.type !== 'array') {
          problems.push(`${name}: a comma-list input drawn as ${field.type}, not an array`);
        }
      }
      assert.deepEqual(problems, []);
    });

    for (const key of ['inputSchema', 'outputSchema', 'formSchema', 'portableSchema', 'strictSchema', 'portableOutputSchema']) {
      when(key, 'has no uint32/uint64 format and no multipleOf: 1', () => {
        const bad = findKeys(manifest[key], (k, v) => (k === 'format' && /^uint(32|64)$/.test(v)) || (k === 'multipleOf' && v === 1));
        assert.deepEqual(bad.map(([p, k, v]) => `${p}: ${k} ${v}`), []);
      });
    }

    when('inputSchema', 'is 2020-12 and takes the connection inputs', () => {
      const s = manifest.inputSchema;
      assert.equal(s.$schema, DRAFT_2020);
      const props = Object.keys(s.properties ?? {});
      assert.deepEqual(CONNECTION_FIELDS.filter((f) => !props.includes(f)), []);
      assert.ok(s.required?.includes('tenantId') && s.required?.includes('apiKey'), 'tenantId and apiKey required');
    });

    when('inputSchema', 'dropdown hints name a list tool and fields of its items', () => {
      const hints = findKeys(manifest.inputSchema, (k) => k === 'x-options');
      assert.deepEqual(hints.flatMap(([p, , v]) => checkHint(v, p)), []);
    });

    when('uiSchema', 'orders every form field, required first, paging last', () => {
      const form = manifest.formSchema ?? {};
      const fields = Object.keys(form.properties ?? {});
      const order = manifest.uiSchema['ui:order'];
      assert.ok(Array.isArray(order), 'ui:order is a list');
      const named = order.filter((f) => f !== '*');
      assert.deepEqual(named.filter((f) => !fields.includes(f)), [], 'ui:order names unknown fields');
      if (!order.includes('*')) assert.deepEqual(fields.filter((f) => !named.includes(f)), [], 'fields missing from ui:order');
      const required = new Set(form.required ?? []);
      const lastRequired = Math.max(-1, ...named.map((f, i) => (required.has(f) ? i : -1)));
      const firstOptional = named.findIndex((f) => !required.has(f));
      assert.ok(firstOptional === -1 || lastRequired < firstOptional, `required fields come first: ${named.join(', ')}`);
      const paging = named.filter((f) => PAGING_FIELDS.includes(f));
      assert.deepEqual(named.slice(named.length - paging.length), paging, 'paging fields come last');
    });

    when('uiSchema', 'groups the paging fields under "Advanced"', () => {
      const paging = Object.keys(manifest.formSchema?.properties ?? {}).filter((f) => PAGING_FIELDS.includes(f));
      const groups = manifest.uiSchema['ui:options']?.groups;
      if (paging.length === 0) {
        assert.ok(!groups || groups.every((g) => g.fields.length > 0), 'no empty groups');
        return;
      }
      const advanced = groups?.find((g) => g.title === 'Advanced');
      assert.ok(advanced, 'a root ui:options.groups entry titled Advanced');
      assert.deepEqual([...advanced.fields].sort(), [...paging].sort());
    });

    when('uiSchema', 'gives every field help text and the inputSchema\'s dropdown hints', () => {
      const problems = [];
      for (const [name, sub] of Object.entries(manifest.formSchema?.properties ?? {})) {
        const ui = manifest.uiSchema[name] ?? {};
        // Help text from the description (RJSF shows a field's description)
        // or from ui:help.
        if (!sub.description && typeof ui['ui:help'] !== 'string') problems.push(`${name}: no description and no ui:help`);
        // A hint for the field, or for each item of a list field.
        const uiHint = ui['ui:options']?.['x-options'] ?? ui.items?.['ui:options']?.['x-options'];
        const inputHint = manifest.inputSchema?.properties?.[name]?.['x-options'];
        if (JSON.stringify(uiHint) !== JSON.stringify(inputHint)) problems.push(`${name}: uiSchema hint ${JSON.stringify(uiHint)} differs from inputSchema's ${JSON.stringify(inputHint)}`);
        if (uiHint) problems.push(...checkHint(uiHint, `uiSchema/${name}`));
      }
      assert.deepEqual(problems, []);
    });

    when('uischema', 'is a JSON Forms layout with one Control per field, paging in an Advanced group', () => {
      const all = Object.entries(manifest.formSchema?.properties ?? {});
      // JSON Forms' vanilla renderers have no renderer for an object field
      // (they warn "No applicable cell found"), so a free-form object such as
      // additionalFields may be left out of the layout; any other field must
      // be there.
      const freeForm = new Set(all.filter(([, s]) => s.type === 'object' && !s.properties).map(([n]) => n));
      const fields = all.map(([n]) => n);
      const seen = [];
      const problems = [];
      const visit = (el, inAdvanced) => {
        if (el.type === 'Control') {
          const m = /^#\/properties\/([^/]+)$/.exec(el.scope ?? '');
          if (!m) { problems.push(`Control scope ${el.scope} is not #/properties/<field>`); return; }
          const name = m[1];
          seen.push(name);
          if (!fields.includes(name)) problems.push(`Control for unknown field ${name}`);
          if (PAGING_FIELDS.includes(name) !== inAdvanced) problems.push(`${name} ${inAdvanced ? 'is' : 'is not'} in the Advanced group`);
          return;
        }
        if (!Array.isArray(el.elements)) { problems.push(`${el.type} has no elements`); return; }
        const adv = inAdvanced || (el.type === 'Group' && el.label === 'Advanced');
        for (const child of el.elements) visit(child, adv);
      };
      assert.equal(manifest.uischema.type, 'VerticalLayout');
      visit(manifest.uischema, false);
      assert.deepEqual(problems, []);
      assert.deepEqual([...seen].sort(), fields.filter((f) => !freeForm.has(f) || seen.includes(f)).sort(), 'each field exactly once');
    });

    when('connectionSchema', 'is the connection form: tenant, secret key, regions, scopes', () => {
      const s = manifest.connectionSchema;
      assert.equal(s.$schema, DRAFT_07);
      assert.equal(s.type, 'object');
      assert.deepEqual(Object.keys(s.properties).sort(), [...CONNECTION_FIELDS].sort());
      assert.ok(s.required.includes('tenantId') && s.required.includes('apiKey'));
      assert.equal(s.properties.apiKey.writeOnly, true);
      const host = s.properties.host;
      assert.equal(host.default, 'public.api.learn.link');
      assert.deepEqual(host.oneOf.map((b) => b.const), REGIONS);
      assert.ok(host.oneOf.every((b) => typeof b.title === 'string' && b.title !== b.const), 'regions have readable titles');
      assert.deepEqual(s.properties.scope.oneOf.map((b) => b.const), SCOPES);
      for (const [name, sub] of Object.entries(s.properties)) assert.ok(sub.title, `${name} has a title`);
    });

    when('connectionUiSchema', 'draws the API key as a password', () => {
      assert.equal(manifest.connectionUiSchema.apiKey?.['ui:widget'], 'password');
    });

    when('portableSchema', 'is the tool\'s own inputs without formats', () => {
      const props = Object.keys(manifest.portableSchema.properties ?? {});
      if (manifest.formSchema) assert.deepEqual([...props].sort(), Object.keys(manifest.formSchema.properties ?? {}).sort());
      assert.deepEqual(findKeys(manifest.portableSchema, (k) => k === 'format').map(([p, , v]) => `${p}: format ${v}`), []);
    });

    when('strictSchema', 'is the tool\'s own inputs', () => {
      const props = Object.keys(manifest.strictSchema.properties ?? {});
      if (manifest.formSchema) assert.deepEqual([...props].sort(), Object.keys(manifest.formSchema.properties ?? {}).sort());
    });
  });
}
