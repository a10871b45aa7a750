// thrive-blocks form helpers: what a host that draws the manifests' forms
// with React JSON Schema Form (RJSF) or JSON Forms needs besides the
// manifests, as plain data and plain functions (no dependency, no React).
// The block playground uses exactly these; see README.md beside this file.
//
//   import { RJSF_SETTINGS, transformErrors, withTriStateBooleans } from './form-helpers/index.js';
//   <Form schema={m.formSchema} uiSchema={withTriStateBooleans(m.formSchema, m.uiSchema)}
//         transformErrors={transformErrors(m.formSchema)} {...RJSF_SETTINGS} ... />

/**
 * The `<Form>` settings the manifests are written for (RJSF 6):
 * - `constAsDefaults: 'skipOneOf'`: titled choices are `oneOf: [{const,
 *   title}]`; without it RJSF pre-selects the first choice of every optional
 *   dropdown that nobody chose;
 * - `arrayMinItems.populate: 'requiredOnly'`: an optional list with
 *   `minItems` starts absent instead of holding empty rows that fail;
 * - `emptyObjectFields: 'populateRequiredDefaults'`: optional groups (such
 *   as a manager's permissions) start absent;
 * - `noHtml5Validate`: the browser's own bubbles would hide the messages
 *   below, and stop a submit without telling RJSF.
 */
export const RJSF_SETTINGS = Object.freeze({
  experimental_defaultFormStateBehavior: Object.freeze({
    constAsDefaults: 'skipOneOf',
    arrayMinItems: Object.freeze({ populate: 'requiredOnly' }),
    emptyObjectFields: 'populateRequiredDefaults',
  }),
  noHtml5Validate: true,
});

const KINDS = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a group of fields',
  null: 'empty',
};

const FORMATS = {
  date: 'a date, for example 2026-03-15',
  'date-time': 'a date and time, for example 2026-03-15T10:30:00Z',
  time: 'a time, for example 10:30:00',
  email: 'an email address, for example jane@example.com',
  uri: 'a web address starting with https://',
  uuid: 'an identifier such as 0f7c2b1e-4d4a-4b7e-9a51-2d7e5c9b8a11',
};

/** The sub-schema a property or an item token leads to, or `undefined`. */
function child(schema, token) {
  if (!schema || typeof schema !== 'object') return undefined;
  if (/^\d+$/.test(token) && schema.items) {
    return Array.isArray(schema.items) ? schema.items[Number(token)] : schema.items;
  }
  if (schema.properties && schema.properties[token]) return schema.properties[token];
  for (const branch of [...(schema.allOf || []), ...(schema.oneOf || []), ...(schema.anyOf || [])]) {
    const found = child(branch, token);
    if (found) return found;
  }
  if (schema.then) {
    const found = child(schema.then, token) || (schema.else && child(schema.else, token));
    if (found) return found;
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    return schema.additionalProperties;
  }
  return undefined;
}

/** The schema at `tokens` under `root` (`undefined` when it cannot be found). */
export function schemaAt(root, tokens) {
  let node = root;
  for (const t of tokens) {
    node = child(node, t);
    if (!node) return undefined;
  }
  return node;
}

/** "First name" for a word such as `firstName` that has no title. */
function words(name) {
  const spaced = String(name).replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/**
 * How a message names the field at `tokens`: its title in quotes, and for
 * a field inside a list entry, which entry of which list, e.g.
 * `“Reference” (Managers, entry 1)`. The whole form is "The form".
 */
export function fieldLabel(root, tokens) {
  if (tokens.length === 0) return 'The form';
  const titles = [];
  let node = root;
  for (const t of tokens) {
    const parent = node;
    node = child(node, t);
    if (/^\d+$/.test(t) && parent && parent.items) {
      titles.push({ entry: Number(t) + 1 });
    } else {
      titles.push({ title: (node && node.title) || words(t) });
    }
  }
  const last = titles[titles.length - 1];
  let end = titles.length - 2;
  let own = `“${last.title}”`;
  if (last.entry !== undefined) {
    const list = titles[titles.length - 2];
    own = list ? `Entry ${last.entry} of “${list.title}”` : `Entry ${last.entry}`;
    end -= 1;
  }
  const context = [];
  for (let i = end; i >= 0; i -= 1) {
    const t = titles[i];
    if (t.entry !== undefined) {
      const list = titles[i - 1];
      context.unshift(list && list.title ? `${list.title}, entry ${t.entry}` : `entry ${t.entry}`);
      i -= 1;
    } else {
      context.unshift(t.title);
    }
  }
  return context.length ? `${own} (${context.join(' › ')})` : own;
}

function sentence(label, rest) {
  return `${label} ${rest}`;
}

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

/** What a `pattern` asks for, in words, when it is one the manifests use. */
function patternWords(pattern, schema) {
  const p = String(pattern);
  if (/\{24\}/.test(p) && /a-f/i.test(p)) {
    return 'must be a Thrive id: 24 characters, digits 0-9 and letters a-f, for example 646767d82535201223349e09';
  }
  if (p.includes('\\S') || p.includes('[^\\s]')) return 'cannot be blank: spaces alone do not count';
  if (/^\^\\d\{4\}-\\d\{2\}-\\d\{2\}\( \\d\{2\}/.test(p)) {
    return 'must be a date, or a date and time, for example 2026-03-15 or 2026-03-15 10:30:00';
  }
  if (/^\^\\d\{4\}-\\d\{2\}-\\d\{2\}\$$/.test(p)) return `must be ${FORMATS.date}`;
  if (/^\^\\d\{4\}-\\d\{2\}-\\d\{2\}\[?T/.test(p)) {
    return 'must be a date and time, for example 2026-03-15T10:30:00';
  }
  const example = Array.isArray(schema && schema.examples) ? schema.examples[0] : undefined;
  return example !== undefined
    ? `is not in the expected form; for example: ${typeof example === 'string' ? example : JSON.stringify(example)}`
    : 'is not in the expected form';
}

/** The titles of a schema's choices (`oneOf` of `const`s, or `enum`). */
function choices(schema) {
  if (!schema) return [];
  const options = schema.oneOf || schema.anyOf;
  if (Array.isArray(options) && options.every((o) => o && 'const' in o)) {
    return options.map((o) => o.title || String(o.const));
  }
  if (Array.isArray(schema.enum)) return schema.enum.map(String);
  return [];
}

function listOf(values) {
  if (values.length <= 8) return values.join(', ');
  return `${values.slice(0, 8).join(', ')} (and ${values.length - 8} more)`;
}

/**
 * One validation problem as a plain sentence naming the field by its title.
 *
 * `keyword` is Ajv's keyword (RJSF calls it `name`), `tokens` the path of
 * the value that failed (property names and list indexes), `params`
 * Ajv's params, `root` the form's schema. Answers `null` for problems that
 * only repeat another one (an `if` whose `then` failed).
 */
export function plainMessage({ keyword, tokens, params = {}, message }, root) {
  const at = schemaAt(root, tokens);
  const label = fieldLabel(root, tokens);
  switch (keyword) {
    case 'required': {
      const missing = params.missingProperty;
      return sentence(fieldLabel(root, [...tokens, missing]), 'is required.');
    }
    case 'dependencies':
    case 'dependentRequired': {
      const need = fieldLabel(root, [...tokens, params.missingProperty]);
      const given = fieldLabel(root, [...tokens, params.property]);
      return `${need} is required when ${given} is given.`;
    }
    case 'minLength':
      return params.limit === 1
        ? sentence(label, 'cannot be blank.')
        : sentence(label, `must be at least ${plural(params.limit, 'character', 'characters')} long.`);
    case 'maxLength':
      return sentence(label, `can be at most ${plural(params.limit, 'character', 'characters')} long.`);
    case 'pattern':
      return sentence(label, `${patternWords(params.pattern, at)}.`);
    case 'format':
      return sentence(label, `must be ${FORMATS[params.format] || `a valid ${params.format}`}.`);
    case 'minItems':
      return params.limit === 1
        ? `Add at least one entry to ${label}, or leave it out.`
        : sentence(label, `needs at least ${plural(params.limit, 'entry', 'entries')}.`);
    case 'maxItems':
      return sentence(label, `can hold at most ${plural(params.limit, 'entry', 'entries')}.`);
    case 'uniqueItems':
      return typeof params.i === 'number' && typeof params.j === 'number'
        ? sentence(label, `lists the same value twice (entries ${params.j + 1} and ${params.i + 1}).`)
        : sentence(label, 'lists the same value twice.');
    case 'minProperties':
      return sentence(label, `needs at least ${plural(params.limit, 'entry', 'entries')}.`);
    case 'maxProperties':
      return sentence(label, `can hold at most ${plural(params.limit, 'entry', 'entries')}.`);
    case 'minimum':
      return sentence(label, `must be ${params.limit} or more.`);
    case 'maximum':
      return sentence(label, `must be ${params.limit} or less.`);
    case 'exclusiveMinimum':
      return sentence(label, `must be more than ${params.limit}.`);
    case 'exclusiveMaximum':
      return sentence(label, `must be less than ${params.limit}.`);
    case 'multipleOf':
      return sentence(label, `must be a multiple of ${params.multipleOf}.`);
    case 'type': {
      const types = String(params.type).split(',').map((t) => KINDS[t] || t);
      return sentence(label, `must be ${types.join(' or ')}.`);
    }
    case 'enum':
    case 'oneOf':
    case 'anyOf': {
      const names = choices(at);
      if (names.length) return sentence(label, `must be one of: ${listOf(names)}.`);
      return sentence(label, 'does not fit any of the forms this field takes.');
    }
    case 'const':
      return sentence(label, `must be ${JSON.stringify(params.allowedValue)}.`);
    case 'additionalProperties':
      return tokens.length === 0
        ? `The form has a field it does not know: “${params.additionalProperty}”.`
        : sentence(label, `has a field it does not know: “${params.additionalProperty}”.`);
    case 'not':
      return sentence(label, 'has a value that is not allowed here.');
    case 'if':
      return null;
    default:
      return sentence(label, message ? `${message}.` : 'is not valid.');
  }
}

/** Path tokens of an RJSF error's `property` (`.managers.0.reference`, `lastName`). */
function rjsfTokens(property) {
  if (!property) return [];
  const tokens = [];
  const re = /\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]|\.?([^.[\]]+)/g;
  let m;
  while ((m = re.exec(property))) tokens.push(m[1] ?? m[2] ?? m[3]);
  return tokens;
}

/** Whether an error is the failure of one branch of a `oneOf`/`anyOf` that is reported as a whole too. */
function isBranchOf(error, all) {
  const path = error.schemaPath || '';
  const m = path.match(/^(.*)\/(oneOf|anyOf)\/\d+\//);
  return Boolean(m) && all.some((e) => e !== error && e.schemaPath === `${m[1]}/${m[2]}`);
}

/**
 * RJSF's `transformErrors` for a form whose schema is `schema`: every
 * error's `message` and `stack` become a plain sentence naming the field by
 * its title; repeats (an `if`, the single branches of a choice) are dropped.
 * Errors stay on the field RJSF put them on.
 */
export function transformErrors(schema) {
  return (errors) =>
    errors
      .filter((e) => !isBranchOf(e, errors))
      .map((e) => {
        let tokens = rjsfTokens(e.property);
        // RJSF puts a required error on the missing property itself.
        if (e.name === 'required' && tokens[tokens.length - 1] === e.params?.missingProperty) {
          tokens = tokens.slice(0, -1);
        }
        const text = plainMessage({ keyword: e.name, tokens, params: e.params, message: e.message }, schema);
        return text === null ? null : { ...e, message: text, stack: text };
      })
      .filter(Boolean);
}

/**
 * A plain sentence for one Ajv error (`instancePath`, `keyword`, `params`),
 * e.g. for JSON Forms' `i18n.translateError`: `(error) => ajvMessage(error,
 * schema) ?? error.message`.
 */
export function ajvMessage(error, schema) {
  const tokens = (error.instancePath || '')
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  return plainMessage({ keyword: error.keyword, tokens, params: error.params, message: error.message }, schema);
}

/**
 * The uiSchema with every optional yes/no field drawn as a choice of
 * "Yes", "No" and blank (a checkbox cannot say "leave it out", which for a
 * filter is not the same as "No").
 */
export function withTriStateBooleans(schema, uiSchema = {}, blank = 'Leave blank') {
  function visit(node, ui) {
    if (!node || node.type !== 'object' || !node.properties) return ui;
    const out = { ...ui };
    const required = node.required || [];
    for (const [name, sub] of Object.entries(node.properties)) {
      const own = (ui && ui[name]) || {};
      if (sub.type === 'boolean' && !required.includes(name) && !own['ui:widget']) {
        out[name] = { 'ui:widget': 'select', 'ui:placeholder': blank, ...own };
      } else if (sub.type === 'object') {
        out[name] = visit(sub, own);
      } else if (sub.type === 'array' && sub.items && sub.items.type === 'object') {
        out[name] = { ...own, items: visit(sub.items, own.items || {}) };
      }
    }
    return out;
  }
  return visit(schema, uiSchema || {});
}

/** Whether a list schema is a set of fixed choices (shown as checkboxes). */
function isChoiceList(schema) {
  const items = schema && schema.items;
  if (!items || Array.isArray(items)) return false;
  const n = Array.isArray(items.enum)
    ? items.enum.length
    : Array.isArray(items.oneOf) && items.oneOf.every((o) => o && 'const' in o)
      ? items.oneOf.length
      : 0;
  return schema.uniqueItems === true && n > 0 && n <= 12;
}

/**
 * The uiSchema with every list of fixed choices (statuses, types) drawn
 * as checkboxes instead of a multiple-select box, which needs Ctrl-click.
 */
export function withCheckboxLists(schema, uiSchema = {}) {
  const out = { ...(uiSchema || {}) };
  for (const [name, sub] of Object.entries((schema && schema.properties) || {})) {
    const own = out[name] || {};
    if (sub.type === 'array' && isChoiceList(sub) && !own['ui:widget']) {
      out[name] = { 'ui:widget': 'checkboxes', ...own, 'ui:options': { inline: true, ...(own['ui:options'] || {}) } };
    }
  }
  return out;
}

/** [`withTriStateBooleans`] and [`withCheckboxLists`] together: the uiSchema the playground draws. */
export function plainUiSchema(schema, uiSchema = {}) {
  return withCheckboxLists(schema, withTriStateBooleans(schema, uiSchema));
}
