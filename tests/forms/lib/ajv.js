// The Ajv set-ups a Node host uses for each flavour.
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * The custom keywords the validation flavour (`inputSchema`) may carry, each
 * with the shape of its value. Listed one by one (rather than `strict: false`)
 * so a misspelt keyword or a wrong value still fails to compile.
 */
export const CUSTOM_KEYWORDS = Object.freeze({
  // Dropdown source: the list tool, the item field used as value, the one shown.
  'x-options': {
    type: 'object',
    required: ['tool', 'value', 'label'],
    properties: {
      tool: { type: 'string', pattern: '^thrive_[a-z_]+$' },
      value: { type: 'string', minLength: 1 },
      label: { type: 'string', minLength: 1 },
    },
    additionalProperties: false,
  },
  // Marks the connection inputs.
  'x-thrive-credential': { type: 'boolean' },
  // A readable description per enum value, in enum order.
  'x-enumDescriptions': { type: 'array', items: { type: 'string' } },
  // A string input that holds JSON of this kind.
  'x-thrive-json': { enum: ['array', 'object'] },
  // The documented layout of a date input (the catalogue checks it).
  'x-thrive-format': { enum: ['date', 'date-time', 'timestamp', 'date-space-time', 'local-date-time'] },
  // A comma-separated list input: its separator and the schema of one item.
  'x-thrive-list': {
    type: 'object',
    required: ['separator', 'items'],
    properties: { separator: { type: 'string', minLength: 1 }, items: { type: 'object' } },
    additionalProperties: false,
  },
  // The kind of a text input: not blank, or a 24-hex Thrive id (the catalogue checks it).
  'x-thrive-text': { enum: ['text', 'hex-id'] },
  // Every rule between inputs, in words, with the input it is about.
  'x-rules': {
    type: 'array',
    items: {
      type: 'object',
      required: ['rule', 'field', 'description'],
      properties: {
        rule: { enum: ['requiredUnless', 'requiredWhen', 'absentWhen', 'notBefore', 'requires'] },
        field: { type: 'string', minLength: 1 },
        other: { type: 'string', minLength: 1 },
        value: { type: 'string' },
        description: { type: 'string', minLength: 1 },
      },
      additionalProperties: false,
    },
  },
  // The least number of items such a JSON array holds.
  'x-thrive-min-items': { type: 'integer', minimum: 0 },
});

/**
 * A warning-collecting logger: Ajv's default options log some strict-mode
 * findings (strictTypes, strictTuples) instead of throwing, and those count
 * as failures here.
 */
export function collectingLogger() {
  const warnings = [];
  return {
    warnings,
    logger: {
      log: () => {},
      warn: (...args) => warnings.push(args.join(' ')),
      error: (...args) => warnings.push(args.join(' ')),
    },
  };
}

/**
 * The form flavour's validator: Ajv 8 with its default options (draft-07,
 * strict mode on) plus the standard formats plugin, as a Node host sets it
 * up (without the plugin Ajv refuses every `format` by design).
 */
export function formAjv(logger) {
  const ajv = new Ajv(logger ? { logger } : {});
  addFormats(ajv);
  return ajv;
}

/** The validation flavour's validator: Ajv2020, strict, formats, the custom keywords above. */
export function inputAjv(logger) {
  const ajv = new Ajv2020(logger ? { logger } : {});
  addFormats(ajv);
  for (const [keyword, metaSchema] of Object.entries(CUSTOM_KEYWORDS)) {
    ajv.addKeyword({ keyword, metaSchema });
  }
  return ajv;
}

/** Ajv errors in one line each: "<instancePath> <message> <params>". */
export function describeErrors(errors) {
  return (errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message} ${JSON.stringify(e.params)}`);
}
