// A small generator of valid form values, used when a formSchema carries no
// `examples`: required fields only (plus what the cross-field rules then
// require), each with the least value its schema allows.

/** Sample strings for the formats the form flavour uses. */
export const FORMAT_SAMPLES = Object.freeze({
  date: '2024-04-02',
  'date-time': '2024-04-02T09:30:00Z',
  time: '09:30:00',
  email: 'jane@example.com',
  uri: 'https://example.com/',
  hostname: 'public.api.learn.link',
  uuid: '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e',
});

/** Candidate strings tried, in order, against a `pattern` when no example is given. */
const PATTERN_CANDIDATES = [
  'E1', 'abc', '63f57d805d8ecbf46f5b5278', '2024-04-02', '2024-04-02T09:30:00Z',
  '2024-04-02 09:30:00', '2024-04-02T09:30:00', '02/04/2024', 'en-gb', 'Europe/London', 'active', 'a1', '1',
];

function firstExample(node) {
  if (Array.isArray(node.examples) && node.examples.length > 0) return { value: node.examples[0] };
  if ('default' in node) return { value: node.default };
  if ('const' in node) return { value: node.const };
  if (Array.isArray(node.enum) && node.enum.length > 0) return { value: node.enum[0] };
  for (const key of ['oneOf', 'anyOf']) {
    const first = Array.isArray(node[key]) ? node[key].find((b) => 'const' in b) : undefined;
    if (first) return { value: first.const };
  }
  return undefined;
}

/** The least value `node` allows (a best effort: the caller validates it). */
export function sampleFor(node, name = '') {
  if (!node || typeof node !== 'object') return null;
  const ex = firstExample(node);
  if (ex) return structuredClone(ex.value);
  if (node.type === undefined && Array.isArray(node.anyOf)) {
    const branch = node.anyOf.find((b) => b.type !== 'null') ?? node.anyOf[0];
    return sampleFor(branch, name);
  }
  const type = Array.isArray(node.type) ? node.type.find((t) => t !== 'null') : node.type;
  switch (type) {
    case 'string': {
      if (node.format && node.format in FORMAT_SAMPLES) return FORMAT_SAMPLES[node.format];
      if (node.pattern) {
        const re = new RegExp(node.pattern, 'u');
        const hit = PATTERN_CANDIDATES.find((c) => re.test(c));
        if (hit !== undefined) return hit;
      }
      const base = name ? `${name}-1` : 'x';
      const min = node.minLength ?? 1;
      return base.length >= min ? base : base.padEnd(min, 'x');
    }
    case 'integer':
    case 'number':
      if (typeof node.minimum === 'number') return node.minimum;
      if (typeof node.exclusiveMinimum === 'number') return node.exclusiveMinimum + 1;
      if (typeof node.maximum === 'number') return Math.min(node.maximum, 1);
      return 1;
    case 'boolean':
      return false;
    case 'array': {
      const count = Math.max(node.minItems ?? 0, 1);
      const item = Array.isArray(node.items) ? node.items[0] : node.items ?? {};
      return Array.from({ length: count }, (_, i) => {
        const v = sampleFor(item, name);
        // Keep string items unique in case the array says uniqueItems.
        return typeof v === 'string' && i > 0 ? `${v}-${i + 1}` : v;
      });
    }
    case 'object': {
      const out = {};
      for (const key of node.required ?? []) out[key] = sampleFor(node.properties?.[key] ?? {}, key);
      return out;
    }
    default:
      return null;
  }
}

/**
 * A valid value for a form schema: its root `examples[0]` if it has one, else
 * generated. `validate` is a compiled Ajv function for `schema`; fields
 * that the cross-field rules require (Ajv "required" errors) are added and the
 * value checked again. Returns `{ value, source, errors }`.
 */
export function validValueFor(schema, validate) {
  if (Array.isArray(schema.examples) && schema.examples.length > 0) {
    const value = structuredClone(schema.examples[0]);
    validate(value);
    return { value, source: 'examples', errors: validate.errors ?? [] };
  }
  const value = sampleFor(schema);
  for (let round = 0; round < 10; round += 1) {
    if (validate(value)) return { value, source: 'generated', errors: [] };
    const missing = (validate.errors ?? []).filter((e) => e.keyword === 'required' && e.instancePath === '');
    if (missing.length === 0) break;
    for (const e of missing) {
      const key = e.params.missingProperty;
      value[key] = sampleFor(schema.properties?.[key] ?? {}, key);
    }
  }
  validate(value);
  return { value, source: 'generated', errors: validate.errors ?? [] };
}

/**
 * The arguments an AI host would send for the same call under an AI flavour
 * (`strictSchema` or `portableSchema`): each of the schema's properties
 * taken from the form value when it fits that property's schema, else `null`
 * where the property is nullable (how strict mode leaves an input out), else
 * left out when optional, else the least value. `validateProp(name, value)`
 * says whether a value fits a property.
 */
export function aiValueFor(schema, formValue, validateProp, acceptsNull) {
  const out = {};
  const required = new Set(schema.required ?? []);
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    if (name in formValue && validateProp(name, formValue[name])) out[name] = formValue[name];
    else if (acceptsNull(sub)) out[name] = null;
    else if (required.has(name)) out[name] = sampleFor(sub, name);
  }
  return out;
}
