// The form flavours of a manifest. Manifests carry formSchema, uiSchema,
// connectionSchema and connectionUiSchema; for a manifest without them
// (an older server), equivalents are derived here from inputSchema.

export const CONNECTION_FIELDS = ['tenantId', 'apiKey', 'host', 'clientId', 'scope'];
const PAGING_FIELDS = ['page', 'perPage', 'returnAll', 'maxResults'];

const RESOURCES = [
  ['connection', /test_connection/],
  ['members', /audience_member/],
  ['managers', /audience_manager/],
  ['cpd', /cpd/],
  ['tags', /tag|skill/],
  ['assignments', /assignment/],
  ['enrolments', /enrolment/],
  ['completions', /completion/],
  ['activities', /activit/],
  ['content', /content/],
  ['audiences', /audience/],
  ['users', /user/],
];

/** The resource group of a manifest: its `resource`, else guessed from the id. */
export function resourceOf(manifest) {
  if (manifest.resource) return manifest.resource;
  const hit = RESOURCES.find(([, re]) => re.test(manifest.id));
  return hit ? hit[0] : 'other';
}

function stripKeywords(schema) {
  if (Array.isArray(schema)) return schema.map(stripKeywords);
  if (!schema || typeof schema !== 'object') return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k.startsWith('x-') || k === '$schema' || k === 'contentMediaType') continue;
    if (k === 'format' && /^u?int\d+$/.test(v)) continue;
    out[k] = stripKeywords(v);
  }
  if (Array.isArray(out.type)) {
    const single = out.type.filter((t) => t !== 'null');
    out.type = single.length === 1 ? single[0] : single;
  }
  if (typeof out.description === 'string') out.description = out.description.replace(/`/g, '');
  return out;
}

function titleOf(name) {
  const words = name.replace(/([A-Z])/g, ' $1').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function derived(manifest) {
  const input = manifest.inputSchema || { properties: {} };
  const properties = {};
  const uiSchema = {};
  const own = Object.keys(input.properties || {}).filter((k) => !CONNECTION_FIELDS.includes(k));
  for (const name of own) {
    const raw = input.properties[name];
    const prop = stripKeywords(raw);
    prop.title = prop.title || titleOf(name);
    properties[name] = prop;
    const ui = {};
    if (prop.description) ui['ui:help'] = prop.description;
    if (raw['x-thrive-json']) ui['ui:widget'] = 'textarea';
    const hint = raw['x-options'];
    if (hint && prop.type === 'string') ui['ui:options'] = { 'x-options': hint };
    uiSchema[name] = ui;
  }
  const required = (input.required || []).filter((k) => own.includes(k));
  uiSchema['ui:order'] = [
    ...required,
    ...own.filter((k) => !required.includes(k) && !PAGING_FIELDS.includes(k)),
    ...own.filter((k) => PAGING_FIELDS.includes(k) && !required.includes(k)),
  ];
  const conn = {};
  for (const name of CONNECTION_FIELDS) {
    if (input.properties && input.properties[name]) {
      conn[name] = { ...stripKeywords(input.properties[name]), title: titleOf(name) };
    }
  }
  return {
    formSchema: { type: 'object', properties, required },
    uiSchema,
    connectionSchema: { type: 'object', properties: conn, required: ['tenantId', 'apiKey'] },
    connectionUiSchema: { apiKey: { 'ui:widget': 'password' } },
  };
}

/** formSchema, uiSchema, connectionSchema and connectionUiSchema of a manifest. */
export function flavoursOf(manifest) {
  if (manifest.formSchema && manifest.connectionSchema) {
    return {
      formSchema: manifest.formSchema,
      uiSchema: manifest.uiSchema || {},
      connectionSchema: manifest.connectionSchema,
      connectionUiSchema: manifest.connectionUiSchema || {},
    };
  }
  return derived(manifest);
}

/** The uiSchema with each dropdown field told its own name (the options route is per field). */
export function withOptionFields(uiSchema) {
  const out = { ...uiSchema };
  for (const [name, ui] of Object.entries(uiSchema || {})) {
    if (name.startsWith('ui:') || !ui || typeof ui !== 'object') continue;
    const hint = ui['ui:options'] && ui['ui:options']['x-options'];
    const itemHint = ui.items && ui.items['ui:options'] && ui.items['ui:options']['x-options'];
    if (hint) out[name] = { ...ui, 'ui:options': { ...ui['ui:options'], optionsField: name } };
    if (itemHint) {
      out[name] = {
        ...out[name],
        items: { ...ui.items, 'ui:options': { ...ui.items['ui:options'], optionsField: name } },
      };
    }
  }
  return out;
}

/** The schema with `required` dropped (the connection form when the server has a default). */
export function optional(schema) {
  const { required, ...rest } = schema;
  return rest;
}
