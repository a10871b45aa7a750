// Walks every subschema of a JSON Schema, calling `visit(node, pointer)`.

const esc = (k) => String(k).replace(/~/g, '~0').replace(/\//g, '~1');

const MAP_KEYS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const ONE_KEYS = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'contentSchema', 'unevaluatedProperties', 'unevaluatedItems', 'additionalItems'];
const LIST_KEYS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];

/** Calls `visit(node, pointer)` for `schema` and every subschema in it. */
export function walkSchema(schema, visit, ptr = '') {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return;
  visit(schema, ptr);
  for (const key of MAP_KEYS) {
    const map = schema[key];
    if (map && typeof map === 'object' && !Array.isArray(map)) {
      for (const [name, sub] of Object.entries(map)) walkSchema(sub, visit, `${ptr}/${key}/${esc(name)}`);
    }
  }
  for (const key of ONE_KEYS) {
    const sub = schema[key];
    if (Array.isArray(sub)) sub.forEach((s, i) => walkSchema(s, visit, `${ptr}/${key}/${i}`));
    else if (sub && typeof sub === 'object') walkSchema(sub, visit, `${ptr}/${key}`);
  }
  for (const key of LIST_KEYS) {
    if (Array.isArray(schema[key])) schema[key].forEach((s, i) => walkSchema(s, visit, `${ptr}/${key}/${i}`));
  }
  // draft-07 `dependencies` holds schemas or lists of names.
  if (schema.dependencies && typeof schema.dependencies === 'object') {
    for (const [name, dep] of Object.entries(schema.dependencies)) {
      if (!Array.isArray(dep)) walkSchema(dep, visit, `${ptr}/dependencies/${esc(name)}`);
    }
  }
}

/** Every `[pointer, key, value]` where `pred(key, value, node)` holds. */
export function findKeys(schema, pred) {
  const hits = [];
  walkSchema(schema, (node, ptr) => {
    for (const [k, v] of Object.entries(node)) if (pred(k, v, node)) hits.push([ptr || '(root)', k, v]);
  });
  return hits;
}
