// Gemini's function-declaration schema subset, written down as code.
// `checkGemini(schema, {root})` returns every broken rule as
// "<JSON pointer>: <rule>"; an empty list means the schema is accepted.
//
// Where the rules come from (checked 2026-11):
// - Gemini API reference, the `Schema` object used by
//   `FunctionDeclaration.parameters` and `.response` ("a select subset of an
//   OpenAPI 3.0 schema object"): https://ai.google.dev/api/caching#Schema
//   Fields: type, format, title, description, nullable, enum, maxItems,
//   minItems, properties, required, minProperties, maxProperties, minLength,
//   maxLength, pattern, example, anyOf, propertyOrdering, default, items,
//   minimum, maximum. `type` is one value of the Type enum (STRING, NUMBER,
//   INTEGER, BOOLEAN, ARRAY, OBJECT, NULL; the SDKs also take lower case).
//   `format`: "for NUMBER type: float, double; for INTEGER type: int32,
//   int64; for STRING type: enum, date-time". `enum` is a list of strings.
//   `items` is one Schema.
// - The function calling guide, "Function declarations":
//   https://ai.google.dev/gemini-api/docs/function-calling
// - Parameter names (Vertex AI reference for FunctionDeclaration.parameters):
//   "must start with a letter or an underscore and must only contain chars
//   a-z, A-Z, 0-9, or underscores with a maximum length of 64":
//   https://cloud.google.com/vertex-ai/docs/reference/rest/v1beta1/FunctionDeclaration
// - What the API answers to schemas outside the subset (HTTP 400), as
//   reported: `Unknown name "$schema"` / `"additionalProperties"` / `"const"`
//   (https://github.com/router-for-me/CLIProxyAPI/issues/97,
//   https://github.com/nanbingxyz/5ire/issues/42,
//   https://github.com/zed-extensions/mcp-server-brave-search/issues/12);
//   `...items: missing field` for an array without items
//   (https://github.com/kkrishnan90/gemini-desktop/pull/7);
//   `properties: should be non-empty for OBJECT type`
//   (https://github.com/agno-agi/agno/pull/2113; a tool without parameters is
//   declared without `parameters`, so an empty root is allowed here);
//   `required[0]: property is not defined`
//   (https://github.com/iBUHub/AIStudioToAPI/issues/154).
// Everything else (`$schema`, `$ref`, `$defs`, `additionalProperties`,
// `oneOf`, `allOf`, `not`, `if`/`then`, `const`, `multipleOf`,
// `exclusiveMinimum`, `contentMediaType`, `contentSchema`, `x-...`, type
// arrays) is not part of the documented subset and is refused here.

/** The documented Schema fields. */
export const GEMINI_FIELDS = new Set([
  'type', 'format', 'title', 'description', 'nullable', 'enum', 'maxItems', 'minItems',
  'properties', 'required', 'minProperties', 'maxProperties', 'minLength', 'maxLength',
  'pattern', 'example', 'anyOf', 'propertyOrdering', 'default', 'items', 'minimum', 'maximum',
]);

/** The Type enum (compared case-insensitively). */
export const GEMINI_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);

/** The documented `format` values per type. */
export const GEMINI_FORMATS = Object.freeze({
  string: ['enum', 'date-time'],
  number: ['float', 'double'],
  integer: ['int32', 'int64'],
});

/** Parameter names Gemini accepts. */
export const GEMINI_PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

const esc = (k) => String(k).replace(/~/g, '~0').replace(/\//g, '~1');
const isCount = (v) => (Number.isInteger(v) && v >= 0) || (typeof v === 'string' && /^\d+$/.test(v));

/**
 * Checks a schema against Gemini's subset. `root: 'parameters'` (default)
 * also requires an object root with valid parameter names; `root: 'response'`
 * allows any root type.
 */
export function checkGemini(schema, { root = 'parameters' } = {}) {
  const problems = [];
  const walk = (node, ptr) => {
    const where = ptr || '(root)';
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      problems.push(`${where}: a schema must be a JSON object`);
      return;
    }
    for (const key of Object.keys(node)) {
      if (!GEMINI_FIELDS.has(key)) problems.push(`${where}: field "${key}" is not in Gemini's Schema`);
    }
    let type;
    if (node.type === undefined) {
      if (!node.anyOf) problems.push(`${where}: no "type"`);
    } else if (typeof node.type !== 'string') {
      problems.push(`${where}: "type" must be a single type name, not ${JSON.stringify(node.type)}`);
    } else if (!GEMINI_TYPES.has(node.type.toLowerCase())) {
      problems.push(`${where}: type "${node.type}" is not in Gemini's Type enum`);
    } else {
      type = node.type.toLowerCase();
    }
    if (node.format !== undefined) {
      const ok = type && (GEMINI_FORMATS[type] ?? []).includes(node.format);
      if (!ok) problems.push(`${where}: format "${node.format}" is not supported for type ${type ?? '?'}`);
    }
    if (node.enum !== undefined) {
      if (!Array.isArray(node.enum) || !node.enum.every((v) => typeof v === 'string')) {
        problems.push(`${where}: "enum" must be a list of strings`);
      }
      if (type && type !== 'string') problems.push(`${where}: "enum" is for type string, not ${type}`);
    }
    if (node.nullable !== undefined && typeof node.nullable !== 'boolean') {
      problems.push(`${where}: "nullable" must be a boolean`);
    }
    for (const k of ['minItems', 'maxItems', 'minProperties', 'maxProperties', 'minLength', 'maxLength']) {
      if (node[k] !== undefined && !isCount(node[k])) problems.push(`${where}: "${k}" must be a whole number`);
    }
    for (const k of ['minimum', 'maximum']) {
      if (node[k] !== undefined && typeof node[k] !== 'number') problems.push(`${where}: "${k}" must be a number`);
    }
    for (const k of ['description', 'title', 'pattern']) {
      if (node[k] !== undefined && typeof node[k] !== 'string') problems.push(`${where}: "${k}" must be a string`);
    }
    if (node.properties !== undefined) {
      if (type && type !== 'object') problems.push(`${where}: "properties" on type ${type}`);
      if (typeof node.properties !== 'object' || Array.isArray(node.properties)) {
        problems.push(`${where}: "properties" must be a map`);
      } else {
        for (const [name, sub] of Object.entries(node.properties)) walk(sub, `${ptr}/properties/${esc(name)}`);
      }
    }
    if (type === 'object' && ptr !== '' && Object.keys(node.properties ?? {}).length === 0) {
      problems.push(`${where}: an object needs non-empty "properties" (a free-form object is refused)`);
    }
    const names = new Set(Object.keys(node.properties ?? {}));
    for (const k of ['required', 'propertyOrdering']) {
      if (node[k] === undefined) continue;
      if (!Array.isArray(node[k])) problems.push(`${where}: "${k}" must be a list`);
      else for (const n of node[k]) if (!names.has(n)) problems.push(`${where}: ${k} names "${n}", which is not a property`);
    }
    if (node.items !== undefined) {
      if (type && type !== 'array') problems.push(`${where}: "items" on type ${type}`);
      walk(node.items, `${ptr}/items`);
    } else if (type === 'array') {
      problems.push(`${where}: an array needs "items"`);
    }
    if (node.anyOf !== undefined) {
      if (!Array.isArray(node.anyOf) || node.anyOf.length === 0) problems.push(`${where}: anyOf must be a non-empty list`);
      else node.anyOf.forEach((sub, i) => walk(sub, `${ptr}/anyOf/${i}`));
    }
  };

  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return ['(root): the schema must be an object'];
  if (root === 'parameters') {
    if (typeof schema.type !== 'string' || schema.type.toLowerCase() !== 'object') {
      problems.push('(root): function parameters must be of type object');
    }
    for (const name of Object.keys(schema.properties ?? {})) {
      if (!GEMINI_PARAMETER_NAME.test(name)) problems.push(`(root): parameter name "${name}" is not accepted`);
    }
  }
  walk(schema, '');
  return problems;
}
