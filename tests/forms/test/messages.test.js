// The playground's plain-language messages (ui/form-helpers), exactly, on
// RJSF's own errors for committed manifests, and on every manifest: no
// message a form can show still speaks Ajv ("must match pattern", "must
// NOT have fewer than") or names a field by its API name.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { customizeValidator } from '@rjsf/validator-ajv8';
import {
  ajvMessage,
  fieldLabel,
  plainUiSchema,
  RJSF_SETTINGS,
  transformErrors,
  withTriStateBooleans,
} from '../../../ui/form-helpers/index.js';
import { loadManifests } from '../lib/manifests.js';

const validator = customizeValidator();
const manifests = new Map(loadManifests().map(({ id, manifest }) => [id, manifest]));

/** The messages RJSF shows for `data` with the helpers' transformErrors, by field path. */
function messages(id, data) {
  const schema = manifests.get(id).formSchema;
  const { errors } = validator.validateFormData(data, schema, undefined, transformErrors(schema));
  return errors.map((e) => [e.property, e.message]);
}

describe('plain messages', () => {
  it('name the field by its title, with the list entry it is in', () => {
    assert.deepEqual(messages('thrive_add_audience_managers', { audienceId: 'a1', managers: [{ reference: 'x@example.com' }, {}] }), [
      ['.managers.1.reference', '“Reference” (Managers, entry 2) is required.'],
    ]);
  });

  it('say what a format asks for, with an example', () => {
    const got = messages('thrive_create_user', { ref: 'R1', firstName: 'Ada', lastName: 'L', email: 'not an email' });
    assert.deepEqual(got, [['.email', '“Email” must be an email address, for example jane@example.com.']]);
  });

  it('list the titles of the choices, once, not one error per choice', () => {
    const got = messages('thrive_create_user', { ref: 'R1', firstName: 'Ada', lastName: 'L', email: 'a@example.com', role: 'boss' });
    assert.deepEqual(got, [['.role', '“Role” must be one of: Administrator, Learner admin, Learner.']]);
  });

  it('turn each Ajv keyword into a sentence', () => {
    const schema = {
      type: 'object',
      properties: {
        name: { title: 'Name', type: 'string', minLength: 1, pattern: '\\S' },
        id: { title: 'User', type: 'string', pattern: '^[0-9a-fA-F]{24}$' },
        day: { title: 'Start date', type: 'string', format: 'date' },
        list: { title: 'Statuses', type: 'array', minItems: 1, items: { type: 'string' } },
        n: { title: 'Results per page', type: 'integer', minimum: 1, maximum: 1000 },
      },
    };
    const cases = [
      [{ instancePath: '/name', keyword: 'minLength', params: { limit: 1 } }, '“Name” cannot be blank.'],
      [{ instancePath: '/name', keyword: 'pattern', params: { pattern: '\\S' } }, '“Name” cannot be blank: spaces alone do not count.'],
      [
        { instancePath: '/id', keyword: 'pattern', params: { pattern: '^[0-9a-fA-F]{24}$' } },
        '“User” must be a Thrive id: 24 characters, digits 0-9 and letters a-f, for example 646767d82535201223349e09.',
      ],
      [{ instancePath: '/day', keyword: 'format', params: { format: 'date' } }, '“Start date” must be a date, for example 2026-03-15.'],
      [{ instancePath: '/list', keyword: 'minItems', params: { limit: 1 } }, 'Add at least one entry to “Statuses”, or leave it out.'],
      [{ instancePath: '/n', keyword: 'maximum', params: { limit: 1000 } }, '“Results per page” must be 1000 or less.'],
      [{ instancePath: '/n', keyword: 'type', params: { type: 'integer' } }, '“Results per page” must be a whole number.'],
      [{ instancePath: '', keyword: 'required', params: { missingProperty: 'name' } }, '“Name” is required.'],
      [{ instancePath: '', keyword: 'additionalProperties', params: { additionalProperty: 'x' } }, 'The form has a field it does not know: “x”.'],
    ];
    for (const [error, expected] of cases) assert.equal(ajvMessage(error, schema), expected, JSON.stringify(error));
    assert.equal(fieldLabel(schema, ['list', '0']), 'Entry 1 of “Statuses”');
  });

  it('never speak Ajv nor show a regex, for any manifest and any blank or wrong value', () => {
    const bad = [];
    for (const [id, m] of manifests) {
      const schema = m.formSchema;
      if (!schema || !schema.properties) continue;
      // Every field at once: blanks, wrong types, an empty list.
      const data = {};
      for (const [name, sub] of Object.entries(schema.properties)) {
        data[name] = sub.type === 'array' ? [] : sub.type === 'string' ? '   ' : sub.type === 'object' ? { '': 1 } : 'x';
      }
      const { errors } = validator.validateFormData(data, schema, undefined, transformErrors(schema));
      for (const e of errors) {
        if (/must (NOT |match|have|be equal)|\^|\\d|\{24\}/.test(e.message) || !/^(“|Add |The form |Entry )/.test(e.message)) {
          bad.push(`${id} ${e.property}: ${e.message}`);
        }
      }
    }
    assert.deepEqual(bad, []);
  });
});

describe('ui helpers', () => {
  it('draw optional yes/no fields as Yes / No / blank, nested ones too, required ones untouched', () => {
    const schema = {
      type: 'object',
      required: ['must'],
      properties: {
        must: { type: 'boolean' },
        maybe: { type: 'boolean' },
        managers: { type: 'array', items: { type: 'object', properties: { permissions: { type: 'object', properties: { insights: { type: 'boolean' } } } } } },
      },
    };
    assert.deepEqual(withTriStateBooleans(schema, { maybe: { 'ui:help': 'h' } }), {
      maybe: { 'ui:widget': 'select', 'ui:placeholder': 'Leave blank', 'ui:help': 'h' },
      managers: { items: { permissions: { insights: { 'ui:widget': 'select', 'ui:placeholder': 'Leave blank' } } } },
    });
  });

  it('draw lists of fixed choices as checkboxes', () => {
    const m = manifests.get('thrive_search_users');
    const ui = plainUiSchema(m.formSchema, m.uiSchema);
    assert.equal(ui.statuses['ui:widget'], 'checkboxes');
    assert.equal(ui.returnAll['ui:widget'], 'select');
    assert.deepEqual(ui['ui:order'], m.uiSchema['ui:order'], 'the manifest uiSchema is kept');
  });

  it('settings are the documented ones', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(RJSF_SETTINGS)), {
      experimental_defaultFormStateBehavior: {
        constAsDefaults: 'skipOneOf',
        arrayMinItems: { populate: 'requiredOnly' },
        emptyObjectFields: 'populateRequiredDefaults',
      },
      noHtml5Validate: true,
    });
  });
});
