// Round trip, form side. For every tool a valid form value (formSchema's
// examples, else generated) passes Ajv on formSchema and the catalogue
// (`thrive-blocks validate`); the values are written to out/valid-values.json.
// A table of invalid values, one per rule, is refused by both, each with the
// field named.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadManifests, byId, PACKAGE_DIR } from '../lib/manifests.js';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { formAjv, describeErrors } from '../lib/ajv.js';
import { validValueFor, aiValueFor } from '../lib/values.js';
import { acceptsNull } from '../lib/openai-strict.js';
import { catalogueValidate, CLI_SKIP } from '../lib/cli.js';

const entries = loadManifests();
const manifests = byId(entries);
const valid = {};

after(() => {
  const dir = join(PACKAGE_DIR, 'out');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'valid-values.json'), `${JSON.stringify(valid, null, 2)}\n`);
});

describe('a valid form value for every tool', () => {
  for (const { id, manifest } of entries) {
    if (!manifest.formSchema) {
      it(id, { skip: 'no formSchema' }, () => {});
      continue;
    }
    it(`${id}: passes formSchema and the catalogue`, () => {
      const validate = formAjv().compile(manifest.formSchema);
      const { value, source, errors } = validValueFor(manifest.formSchema, validate);
      assert.deepEqual(describeErrors(errors), [], `the ${source} value ${JSON.stringify(value)} is valid`);
      valid[id] = value;
      if (CLI_SKIP) return;
      const { status, stderr } = catalogueValidate(id, value);
      assert.equal(status, 0, `the catalogue accepts ${JSON.stringify(value)}\n${stderr}`);
    });
  }
});

/**
 * A lenient Ajv for the AI flavours, which are not meant for a validator
 * (Gemini's `propertyOrdering` and `example` are unknown to Ajv; `nullable`
 * is understood).
 */
function aiAjv() {
  const ajv = new Ajv({ strict: false });
  addFormats(ajv);
  return ajv;
}

describe('the same call as an AI host sends it passes the catalogue', () => {
  for (const { id, manifest } of entries) {
    for (const key of ['strictSchema', 'portableSchema']) {
      const skip = (!manifest.formSchema && 'no formSchema') || (!manifest[key] && `no ${key}`);
      it(`${id}: ${key} arguments${key === 'strictSchema' ? ' (optional inputs null)' : ''}`, { skip }, () => {
        const { value } = validValueFor(manifest.formSchema, formAjv().compile(manifest.formSchema));
        const ajv = aiAjv();
        const schema = manifest[key];
        const props = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([n, s]) => [n, ajv.compile(s)]));
        const args = aiValueFor(schema, value, (n, v) => props[n](v), acceptsNull);
        const validate = ajv.compile(schema);
        assert.ok(validate(args), `${key} accepts ${JSON.stringify(args)}: ${describeErrors(validate.errors).join('; ')}`);
        if (CLI_SKIP) return;
        const { status, stderr } = catalogueValidate(id, args);
        assert.equal(status, 0, `the catalogue accepts ${JSON.stringify(args)}\n${stderr}`);
      });
    }
  }
});

/** `n` distinct member emails. */
const people = (n) => Array.from({ length: n }, (_, i) => `person${i + 1}@example.com`);

/**
 * One invalid value per rule: [tool, what is wrong, the field, a function
 * from the tool's valid value and formSchema to the invalid value].
 */
const INVALID = [
  ['thrive_create_user', 'a date that is not a date', 'startDate', (v) => ({ ...v, startDate: 'yesterday' })],
  ['thrive_create_user', 'an email that is not an email', 'email', (v) => ({ ...v, email: 'jane.example.com' })],
  ['thrive_create_user', 'additionalFields that are not an object', 'additionalFields', (v) => ({ ...v, additionalFields: '{oops' })],
  // A comma list of statuses is a list in the form (or, if the form keeps
  // text, a comma-separated string); either way one status is misspelt.
  ['thrive_search_users', 'a status outside the list', 'statuses', (v, form) => ({
    ...v,
    statuses: form.properties?.statuses?.type === 'array' ? ['active', 'actve'] : 'active,actve',
  })],
  ['thrive_update_user_skills', 'a skill without tagName (wrong item shape)', 'skills', (v) => ({ ...v, skills: [{ name: 'leadership', level: 1 }] })],
  ['thrive_replace_audience_members', '101 members (at most 100)', 'users', (v) => ({ ...v, users: people(101) })],
];

describe('invalid values are refused by the form and the catalogue, naming the field', () => {
  for (const [id, what, field, spoil] of INVALID) {
    const manifest = manifests.get(id);
    const skip = !manifest ? `${id} is not in the catalogue under test` : !manifest.formSchema && 'no formSchema';
    describe(`${id}: ${what}`, () => {
      it('formSchema (Ajv) refuses it at the field', { skip }, () => {
        const validate = formAjv().compile(manifest.formSchema);
        const { value } = validValueFor(manifest.formSchema, validate);
        const bad = spoil(value, manifest.formSchema);
        assert.equal(validate(bad), false, `formSchema accepted ${JSON.stringify(bad).slice(0, 300)}`);
        const paths = validate.errors.map((e) => e.instancePath);
        assert.ok(paths.some((p) => p === `/${field}` || p.startsWith(`/${field}/`)), `an error at /${field}: ${describeErrors(validate.errors).join('; ')}`);
      });

      it('the catalogue refuses it at the field (exit 2)', { skip: skip || CLI_SKIP }, () => {
        const validate = formAjv().compile(manifest.formSchema);
        const { value } = validValueFor(manifest.formSchema, validate);
        const bad = spoil(value, manifest.formSchema);
        const { status, violations, stderr } = catalogueValidate(id, bad);
        assert.equal(status, 2, `exit code 2 for invalid input\n${stderr}`);
        const pointers = violations.map((v) => v.pointer);
        assert.ok(pointers.some((p) => p === `/${field}` || p.startsWith(`/${field}/`)), `a violation at /${field}: ${stderr}`);
      });
    });
  }
});
