// OpenAI's rules for strict function calling / Structured Outputs, written
// down as code. `checkOpenAiStrict(schema)` returns every broken rule as
// "<JSON pointer>: <rule>"; an empty list means the schema is accepted.
//
// Where the rules come from (checked 2026-11):
// - "Structured model outputs", section "Supported schemas":
//   https://platform.openai.com/docs/guides/structured-outputs#supported-schemas
//   (supported types, the type-specific keywords, root object not anyOf,
//   every field required, optional = union with null, additionalProperties
//   false on every object, 5000 properties, 10 levels of nesting, 120,000
//   characters of names/enum/const values, 1000 enum values, 15,000
//   characters for one enum of more than 250 values, and the keywords not
//   supported: allOf, not, dependentRequired, dependentSchemas, if/then/else).
// - "Function calling", section "Strict mode": the same subset applies to
//   `parameters` when `strict: true`:
//   https://platform.openai.com/docs/guides/function-calling#strict-mode
// - Keywords outside the documented list are refused with a 400
//   ("'default' is not permitted", reported in
//   https://github.com/567-labs/instructor/issues/1074), so this checker
//   accepts only the documented keywords.

/** The documented limits. */
export const OPENAI_LIMITS = Object.freeze({
  maxNesting: 10,
  maxProperties: 5000,
  maxNameAndValueChars: 120000,
  maxEnumValues: 1000,
  bigEnumValues: 250,
  bigEnumMaxChars: 15000,
});

/** The JSON types allowed in `type` (`null` only in a union, for optional fields). */
export const OPENAI_TYPES = new Set(['string', 'number', 'boolean', 'integer', 'object', 'array', 'null']);

/** `format` values documented for strings. */
export const OPENAI_STRING_FORMATS = new Set([
  'date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid',
]);

/** Keywords allowed on any schema node. */
const COMMON = ['type', 'description', 'title', 'enum', 'const', 'anyOf', '$ref'];

/** Keywords allowed per type (documented "Supported properties"). */
const BY_TYPE = {
  // minLength/maxLength are named only as "not yet supported for fine-tuned
  // models", i.e. supported for the others.
  string: ['pattern', 'format', 'minLength', 'maxLength'],
  number: ['multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum'],
  integer: ['multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum'],
  array: ['items', 'minItems', 'maxItems'],
  object: ['properties', 'required', 'additionalProperties'],
  boolean: [],
  null: [],
};

/** Keywords the docs name as not supported. */
export const OPENAI_UNSUPPORTED = new Set([
  'allOf', 'not', 'dependentRequired', 'dependentSchemas', 'if', 'then', 'else',
]);

const esc = (k) => String(k).replace(/~/g, '~0').replace(/\//g, '~1');

function typesOf(node) {
  if (Array.isArray(node.type)) return node.type;
  if (typeof node.type === 'string') return [node.type];
  return [];
}

/**
 * Checks a function's `parameters` schema against OpenAI's strict rules.
 * Returns the list of problems (empty when accepted).
 */
export function checkOpenAiStrict(schema) {
  const problems = [];
  const stats = { properties: 0, chars: 0, enumValues: 0 };
  const defs = schema && typeof schema === 'object' ? schema.$defs ?? schema.definitions ?? {} : {};

  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) {
    return ['(root): the schema must be an object'];
  }
  if (schema.type !== 'object') problems.push('(root): the root type must be "object"');
  if (schema.anyOf) problems.push('(root): the root must not be anyOf');
  for (const [name] of Object.entries(defs)) stats.chars += name.length;

  const walk = (node, ptr, depth, isRoot) => {
    const where = ptr || '(root)';
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      problems.push(`${where}: a schema must be a JSON object (boolean schemas are not supported)`);
      return;
    }
    const types = typesOf(node);
    if (types.length === 0 && !node.anyOf && !node.$ref && !('enum' in node) && !('const' in node)) {
      problems.push(`${where}: no "type" (nor anyOf/$ref/enum/const)`);
    }
    for (const t of types) {
      if (!OPENAI_TYPES.has(t)) problems.push(`${where}: type "${t}" is not supported`);
    }
    if (types.length > 0 && types.every((t) => t === 'null') && !ptr.includes('/anyOf/')) {
      problems.push(`${where}: type "null" alone is only useful inside anyOf`);
    }
    const allowed = new Set(COMMON);
    for (const t of types.length ? types : Object.keys(BY_TYPE)) {
      for (const k of BY_TYPE[t] ?? []) allowed.add(k);
    }
    if (isRoot) {
      allowed.add('$defs');
      allowed.add('definitions');
    }
    for (const key of Object.keys(node)) {
      if (OPENAI_UNSUPPORTED.has(key)) problems.push(`${where}: "${key}" is not supported`);
      else if (!allowed.has(key)) {
        problems.push(`${where}: keyword "${key}" is not supported${types.length ? ` for type ${types.join('|')}` : ''}`);
      }
    }
    if (node.format !== undefined && !OPENAI_STRING_FORMATS.has(node.format)) {
      problems.push(`${where}: format "${node.format}" is not supported`);
    }
    if (Array.isArray(node.enum)) {
      stats.enumValues += node.enum.length;
      let chars = 0;
      for (const v of node.enum) if (typeof v === 'string') chars += v.length;
      stats.chars += chars;
      if (node.enum.length > OPENAI_LIMITS.bigEnumValues && chars > OPENAI_LIMITS.bigEnumMaxChars) {
        problems.push(`${where}: an enum of more than ${OPENAI_LIMITS.bigEnumValues} values may hold at most ${OPENAI_LIMITS.bigEnumMaxChars} characters`);
      }
    }
    if (typeof node.const === 'string') stats.chars += node.const.length;

    const isObject = types.includes('object');
    let childDepth = depth;
    if (isObject) {
      childDepth = depth + 1;
      if (childDepth > OPENAI_LIMITS.maxNesting) {
        problems.push(`${where}: more than ${OPENAI_LIMITS.maxNesting} levels of object nesting`);
      }
      if (node.additionalProperties !== false) {
        problems.push(`${where}: "additionalProperties": false is required on every object`);
      }
      const props = node.properties ?? {};
      const required = new Set(Array.isArray(node.required) ? node.required : []);
      for (const name of Object.keys(props)) {
        stats.properties += 1;
        stats.chars += name.length;
        if (!required.has(name)) {
          problems.push(`${where}: property "${name}" must be listed in "required" (optional fields are nullable instead)`);
        }
      }
      for (const name of required) {
        if (!(name in props)) problems.push(`${where}: required "${name}" is not a property`);
      }
      for (const [name, sub] of Object.entries(props)) walk(sub, `${ptr}/properties/${esc(name)}`, childDepth, false);
    }
    if (node.items !== undefined) {
      if (Array.isArray(node.items)) problems.push(`${where}: tuple "items" is not supported`);
      else walk(node.items, `${ptr}/items`, childDepth, false);
    }
    if (node.anyOf !== undefined) {
      if (!Array.isArray(node.anyOf) || node.anyOf.length === 0) problems.push(`${where}: anyOf must be a non-empty array`);
      else node.anyOf.forEach((sub, i) => walk(sub, `${ptr}/anyOf/${i}`, depth, false));
    }
    if (typeof node.$ref === 'string') {
      const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(node.$ref);
      if (!m || !(m[2] in defs)) problems.push(`${where}: $ref "${node.$ref}" does not point into the root's $defs`);
    }
  };

  walk(schema, '', 0, true);
  for (const [name, sub] of Object.entries(defs)) walk(sub, `/$defs/${esc(name)}`, 0, false);

  if (stats.properties > OPENAI_LIMITS.maxProperties) {
    problems.push(`(root): ${stats.properties} object properties, more than ${OPENAI_LIMITS.maxProperties}`);
  }
  if (stats.chars > OPENAI_LIMITS.maxNameAndValueChars) {
    problems.push(`(root): ${stats.chars} characters of names and enum/const values, more than ${OPENAI_LIMITS.maxNameAndValueChars}`);
  }
  if (stats.enumValues > OPENAI_LIMITS.maxEnumValues) {
    problems.push(`(root): ${stats.enumValues} enum values, more than ${OPENAI_LIMITS.maxEnumValues}`);
  }
  return problems;
}

/** Whether a strict-flavour property schema accepts `null` (how an optional field is written). */
export function acceptsNull(node) {
  if (!node || typeof node !== 'object') return false;
  if (Array.isArray(node.anyOf)) return node.anyOf.some(acceptsNull);
  // An enum accepts null only when it lists null, whatever `type` says.
  if (Array.isArray(node.enum)) return node.enum.includes(null);
  if ('const' in node) return node.const === null;
  return typesOf(node).includes('null');
}
