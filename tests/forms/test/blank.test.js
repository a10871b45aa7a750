// The form refuses what the tool refuses, at the same field: for every
// manifest, each text field given only spaces and each list given as `[]`
// (what RJSF sends after a person un-picks every choice or removes every
// row) is checked by RJSF (with the playground's settings) and by
// `thrive-blocks validate`. Both must accept it, or both refuse it naming
// that field. Text fields inside list entries (a manager's reference) and
// the connection form's tenant id and API key are probed too.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { customizeValidator } from '@rjsf/validator-ajv8';
import { loadManifests } from '../lib/manifests.js';
import { formAjv } from '../lib/ajv.js';
import { validValueFor, sampleFor } from '../lib/values.js';
import { catalogueValidateParams, CLI_SKIP, TEST_CONNECTION } from '../lib/cli.js';

const validator = customizeValidator();
const BLANK = '   ';
// The connection form is the same for every tool (one type in the crate):
// probed on two tools, not 53 times.
const CONNECTION_PROBED = new Set(['thrive_test_connection', 'thrive_create_user']);


/** JSON pointer of an RJSF error (`.managers.0.reference`, `lastName`). */
function pointerOf(error) {
  let tokens = (error.property || '').split('.').filter(Boolean);
  if (error.name === 'required' && tokens[tokens.length - 1] !== error.params?.missingProperty) {
    tokens = [...tokens, error.params.missingProperty];
  }
  return `/${tokens.join('/')}`;
}

const isText = (s) => s && s.type === 'string' && !s.enum && !s.oneOf && !s.format && !s.const;

/** [pointer, value-with-the-probe] for each probe of a form's value. */
function probes(schema, base) {
  const out = [];
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    if (isText(sub)) out.push([`/${name}`, { ...base, [name]: BLANK }]);
    if (sub.type === 'array') {
      out.push([`/${name}`, { ...base, [name]: [] }]);
      const items = sub.items;
      if (isText(items)) out.push([`/${name}/0`, { ...base, [name]: [BLANK] }]);
      if (items && items.type === 'object') {
        const item = sampleFor(items) ?? {};
        for (const [field, fsub] of Object.entries(items.properties ?? {})) {
          if (isText(fsub)) out.push([`/${name}/0/${field}`, { ...base, [name]: [{ ...item, [field]: BLANK }] }]);
        }
      }
    }
  }
  return out;
}

/**
 * Whether a list of pointers names `pointer` (or a place inside it). A
 * place inside a list entry (`/tags/0`, `/additionalFields/0/name`) is also
 * named by its list: the tool's input may be the list as one text (a comma
 * list, custom fields as one object).
 */
function names(pointers, pointer) {
  // `/tags/0` is named by `/tags`, `/additionalFields/0/name` by `/additionalFields`.
  const list = /^\/[^/]+\/\d+(\/|$)/.test(pointer) ? pointer.split('/').slice(0, 2).join('/') : null;
  return pointers.some((p) => p === pointer || p.startsWith(`${pointer}/`) || (list !== null && p === list));
}

for (const { id, manifest } of loadManifests()) {
  const form = manifest.formSchema;
  if (!form) continue;
  describe(id, () => {
    it('blank text and empty lists: the form and the tool agree, naming the same field', { skip: CLI_SKIP }, () => {
      const { value, errors } = validValueFor(form, formAjv().compile(form));
      assert.deepEqual(errors, [], 'the base value is valid');
      const disagree = [];
      for (const [pointer, data] of probes(form, value)) {
        const formErrors = validator.validateFormData(data, form).errors.map(pointerOf);
        const tool = catalogueValidateParams(id, { ...data, ...TEST_CONNECTION });
        const toolPointers = tool.violations.map((v) => v.pointer ?? '');
        const formSays = formErrors.length ? `refused at ${formErrors.join(', ')}` : 'accepted';
        const toolSays = tool.status === 0 ? 'accepted' : `refused at ${toolPointers.join(', ') || '(no field)'}`;
        const agree =
          (formErrors.length === 0 && tool.status === 0) ||
          (formErrors.length > 0 && tool.status !== 0 && names(formErrors, pointer) && names(toolPointers, pointer));
        if (!agree) disagree.push(`${pointer} = ${JSON.stringify(pointer.split('/').slice(1).reduce((v, k) => v?.[k], data))}: form ${formSays}; tool ${toolSays}`);
      }
      assert.deepEqual(disagree, []);
    });

    it('a blank tenant id or API key: the connection form and the tool agree', { skip: CLI_SKIP || (!CONNECTION_PROBED.has(id) && 'probed on two tools only') }, () => {
      const { value } = validValueFor(form, formAjv().compile(form));
      const disagree = [];
      for (const field of ['tenantId', 'apiKey']) {
        const connection = { ...TEST_CONNECTION, [field]: BLANK };
        const formErrors = validator.validateFormData(connection, manifest.connectionSchema).errors.map(pointerOf);
        const tool = catalogueValidateParams(id, { ...value, ...connection });
        const toolPointers = tool.violations.map((v) => v.pointer ?? '');
        const agree =
          (formErrors.length === 0 && tool.status === 0) ||
          (names(formErrors, `/${field}`) && tool.status !== 0 && names(toolPointers, `/${field}`));
        if (!agree) disagree.push(`${field}: form ${formErrors.join(', ') || 'accepted'}; tool ${tool.status === 0 ? 'accepted' : toolPointers.join(', ')}`);
      }
      assert.deepEqual(disagree, []);
    });
  });
}
