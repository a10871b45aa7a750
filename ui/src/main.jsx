// The block playground: pick a tool, fill its form (drawn from the
// manifest's formSchema and uiSchema), validate, dry-run or run it through
// the block server on the same origin.
import { StrictMode, useEffect, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import Form from '@rjsf/core';
import { englishStringTranslator, TranslatableString } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { plainUiSchema, RJSF_SETTINGS, transformErrors } from '../form-helpers/index.js';
import { ButtonTemplates, ObjectFieldTemplate, WrapIfAdditionalTemplate } from './buttons.jsx';
import TextWidget, { SelectWidget } from './OptionsWidget.jsx';
import Home from './Home.jsx';
import Result from './Result.jsx';
import { errorsByForm } from './errors.js';
import { CONNECTION_FIELDS, flavoursOf, optional, resourceOf, withOptionFields } from './flavours.js';
import {
  filledConnection,
  getJson,
  loadConnection,
  loadToken,
  postJson,
  saveConnection,
  saveToken,
} from './api.js';
import './app.css';

const RESOURCE_TITLES = {
  connection: 'Connection',
  users: 'Users',
  audiences: 'Audiences',
  members: 'Audience members',
  managers: 'Audience managers',
  assignments: 'Assignments',
  enrolments: 'Enrolments',
  completions: 'Completions',
  content: 'Content',
  activities: 'Activity',
  cpd: 'CPD',
  tags: 'Tags and skills',
  provisioning: 'Provisioning (joiners and leavers)',
  other: 'Other',
};
const RESOURCE_ORDER = Object.keys(RESOURCE_TITLES);
const widgets = { TextWidget, SelectWidget };
const templates = { ButtonTemplates, ObjectFieldTemplate, WrapIfAdditionalTemplate };

/** RJSF's English texts, except that a new custom field starts empty rather than holding "New Value". */
function translateString(key, params) {
  if (key === TranslatableString.NewStringDefault) return '';
  return englishStringTranslator(key, params);
}

/** 0 for tools that only read, 1 for changes, 2 for tools that delete or replace. */
export function risk(manifest) {
  const hints = manifest.hints || {};
  if (hints.destructive) return 2;
  return hints.readOnly ? 0 : 1;
}

/** The badge of a tool in the list: what running it does to the tenant. */
function Badge({ manifest }) {
  const level = risk(manifest);
  if (level === 2) return <span className="badge danger" data-testid="badge-destructive" title="Deletes, removes or replaces data in the tenant">deletes</span>;
  if (level === 1) return <span className="badge change" title="Creates or changes data in the tenant">changes</span>;
  return <span className="badge read" title="Only reads; changes nothing">read</span>;
}

/**
 * `transform` with its errors listed in the order the form shows the
 * fields (`ui:order`), so the list above the form reads top to bottom.
 */
function inFormOrder(transform, uiSchema) {
  const order = (uiSchema && uiSchema['ui:order']) || [];
  const rank = (e) => {
    const first = (e.property || '').replace(/^\./, '').split('.')[0];
    const name = e.name === 'required' && !first ? e.params.missingProperty : first;
    const at = order.indexOf(name);
    return at < 0 ? order.length : at;
  };
  return (errors, ui) =>
    transform(errors, ui)
      .map((e, i) => [e, i])
      .sort(([a, i], [b, j]) => rank(a) - rank(b) || i - j)
      .map(([e]) => e);
}

/** "Manager" for a list titled "Managers". */
function singular(title) {
  return /[^s]s$/.test(title) && title.length > 3 ? title.slice(0, -1) : title;
}

/**
 * The uiSchema with each list entry titled "Manager 1", "Manager 2", ...
 * (RJSF's own titles read "Managers-1").
 */
export function numberedItems(schema, ui = {}) {
  if (!schema || schema.type !== 'object' || !schema.properties) return ui;
  const out = { ...ui };
  for (const [name, sub] of Object.entries(schema.properties)) {
    const own = out[name] || {};
    if (sub.type === 'object') {
      out[name] = numberedItems(sub, own);
    } else if (sub.type === 'array' && sub.items && !Array.isArray(sub.items)) {
      const title = singular(sub.title || name);
      const items = own.items && typeof own.items === 'object' ? numberedItems(sub.items, own.items) : numberedItems(sub.items, {});
      const options = own['ui:options'] || {};
      out[name] = {
        ...own,
        'ui:options': { addButtonText: `Add ${title.toLowerCase()}`, ...options },
        items: (_item, index) => ({ ...items, 'ui:title': `${title} ${index + 1}` }),
      };
    }
  }
  return out;
}

/**
 * The form schema without its root title and description, nor those of
 * its root rules (RJSF would show them above the fields): the panel's
 * heading shows the tool's, and each field's help says its own rule.
 */
function untitled(schema) {
  const { title, description, ...rest } = schema || {};
  if (Array.isArray(rest.allOf)) {
    rest.allOf = rest.allOf.map(({ title: t, description: d, ...rule }) => rule);
  }
  return rest;
}

function ToolList({ manifests, selected, onSelect }) {
  const [q, setQ] = useState('');
  const needle = q.trim().toLowerCase();
  const groups = {};
  for (const m of manifests) {
    const hay = `${m.id} ${m.title} ${m.description}`.toLowerCase();
    if (needle && !hay.includes(needle)) continue;
    (groups[resourceOf(m)] ||= []).push(m);
  }
  // Known groups in their order, unknown ones after them; in each group the
  // tools that only read first, those that delete or replace last.
  const rank = (g) => (RESOURCE_ORDER.includes(g) ? RESOURCE_ORDER.indexOf(g) : RESOURCE_ORDER.length);
  const names = Object.keys(groups).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const g of names) groups[g].sort((a, b) => risk(a) - risk(b) || a.title.localeCompare(b.title));
  return (
    <nav className="tools" aria-label="Tools">
      <input
        type="search"
        placeholder="Search tools"
        aria-label="Search tools"
        data-testid="tool-search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      {names.length === 0 && <p className="note">No tool matches.</p>}
      {names.map((group) => (
        <div key={group} className="group" data-resource={group}>
          <h3>{RESOURCE_TITLES[group] || group}</h3>
          <ul>
            {groups[group].map((m) => (
              <li key={m.id}>
                <button
                  type="button"
                  data-testid={`tool-${m.id}`}
                  className={m.id === selected ? 'selected' : ''}
                  aria-current={m.id === selected ? 'true' : undefined}
                  title={m.id}
                  onClick={() => onSelect(m.id)}
                >
                  <span className="tool-title">{m.title}</span>
                  <Badge manifest={m} />
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}

function ConnectionPanel({ flavours, config, connection, setConnection, errors }) {
  const [token, setToken] = useState(loadToken());
  const schema = config.defaultConnection ? optional(flavours.connectionSchema) : flavours.connectionSchema;
  const [open, setOpen] = useState(!config.defaultConnection);
  const filled = Object.keys(filledConnection(connection)).length > 0;
  return (
    <section className="connection" data-testid="connection">
      <header>
        <h2>Connection</h2>
        <p data-testid="connection-status">
          {filled
            ? `Using your connection (tenant ${connection.tenantId || '?'}); kept in this browser tab only.`
            : config.defaultConnection
              ? `Using the server's default connection (tenant ${config.tenantId}). Fill this form to use another tenant.`
              : 'Give your tenant id and API key; they stay in this browser tab and are sent only with your requests.'}
        </p>
        <button type="button" onClick={() => setOpen(!open)} data-testid="connection-toggle">
          {open ? 'Hide' : 'Edit'}
        </button>
        {filled && (
          <button
            type="button"
            data-testid="connection-forget"
            onClick={() => {
              setConnection({});
              saveConnection({});
            }}
          >
            Forget
          </button>
        )}
      </header>
      {open && (
        <>
          <Form
            schema={schema}
            uiSchema={{ ...flavours.connectionUiSchema, 'ui:submitButtonOptions': { norender: true } }}
            validator={validator}
            {...RJSF_SETTINGS}
            templates={templates}
            transformErrors={transformErrors(schema)}
            formData={connection}
            idPrefix="conn"
            extraErrors={errors}
            showErrorList={false}
            onChange={({ formData }) => {
              setConnection(formData);
              saveConnection(formData);
            }}
          />
          <label className="token">
            Server token (only when the block server requires one)
            <input
              type="password"
              autoComplete="off"
              value={token}
              onChange={(e) => {
                setToken(e.target.value);
                saveToken(e.target.value);
              }}
            />
          </label>
        </>
      )}
    </section>
  );
}

function ToolPanel({ manifest, connection, config, onConnectionErrors }) {
  const flavours = useMemo(() => flavoursOf(manifest), [manifest]);
  const schema = useMemo(() => untitled(flavours.formSchema), [flavours]);
  const uiSchema = useMemo(
    () => ({
      ...numberedItems(flavours.formSchema, plainUiSchema(flavours.formSchema, withOptionFields(flavours.uiSchema))),
      'ui:submitButtonOptions': { norender: true },
    }),
    [flavours],
  );
  const plain = useMemo(() => inFormOrder(transformErrors(flavours.formSchema), flavours.uiSchema), [flavours]);
  const [formData, setFormData] = useState({});
  const [extraErrors, setExtraErrors] = useState(undefined);
  const [result, setResult] = useState(null);
  const [busy, setBusy] = useState(false);
  const action = useRef('run');
  const connectionRef = useRef(connection);
  connectionRef.current = connection;
  const formContext = useMemo(
    () => ({ toolId: manifest.id, connection: () => filledConnection(connectionRef.current) }),
    [manifest.id],
  );

  async function send({ formData: value }) {
    const which = action.current;
    setBusy(true);
    const started = performance.now();
    let answer;
    try {
      answer = await postJson(`/tools/${encodeURIComponent(manifest.id)}/${which}`, {
        ...(value || {}),
        ...filledConnection(connectionRef.current),
      });
    } catch (e) {
      answer = { status: 0, body: { error: { code: 'transport', message: `the server did not answer: ${e}` } } };
    }
    const elapsedMs = Math.round(performance.now() - started);
    setBusy(false);
    const mapped = errorsByForm(answer.body, CONNECTION_FIELDS);
    setExtraErrors(mapped.tool);
    onConnectionErrors(mapped.connection);
    setResult({ action: which, status: answer.status, body: answer.body, elapsedMs });
  }

  const destructive = manifest.hints && manifest.hints.destructive;
  return (
    <section className="tool" data-testid="tool-panel" data-tool={manifest.id}>
      <h1>{manifest.title}</h1>
      <p className="description">{manifest.description}</p>
      {destructive && (
        <p className="warning" data-testid="destructive-warning" role="note">
          This tool deletes, removes or replaces data in the tenant. Try <strong>Dry run</strong> first: it shows the
          request without sending it.
        </p>
      )}
      <p className="meta">
        <code>{manifest.id}</code> · <code>{manifest.endpoint}</code>
        {manifest.hints && manifest.hints.readOnly ? ' · only reads' : ''}
      </p>
      <Form
        key={manifest.id}
        schema={schema}
        uiSchema={uiSchema}
        validator={validator}
        {...RJSF_SETTINGS}
        widgets={widgets}
        templates={templates}
        translateString={translateString}
        transformErrors={plain}
        formData={formData}
        formContext={formContext}
        extraErrors={extraErrors}
        showErrorList="top"
        idPrefix="root"
        onChange={({ formData: v }) => {
          setFormData(v);
        }}
        onError={() => {
          setResult(null);
          setExtraErrors(undefined);
        }}
        onSubmit={send}
      >
        <div className="actions">
          <button type="submit" data-testid="btn-validate" disabled={busy} onClick={() => (action.current = 'validate')}>
            Validate
          </button>
          <button type="submit" data-testid="btn-dry-run" disabled={busy} onClick={() => (action.current = 'dry-run')}>
            Dry run
          </button>
          <button
            type="submit"
            data-testid="btn-run"
            className={destructive ? 'danger' : 'primary'}
            disabled={busy}
            onClick={() => (action.current = 'run')}
          >
            Run
          </button>
          {busy && <span className="note" data-testid="busy">Working…</span>}
        </div>
      </Form>
      <Result result={result} />
    </section>
  );
}

function App() {
  const [manifests, setManifests] = useState(null);
  const [config, setConfig] = useState({ defaultConnection: false });
  const [failure, setFailure] = useState('');
  const [selected, setSelected] = useState(decodeURIComponent(location.hash.slice(1)));
  const [connection, setConnection] = useState(loadConnection());
  const [connectionErrors, setConnectionErrors] = useState(undefined);

  useEffect(() => {
    (async () => {
      const [list, cfg] = await Promise.all([getJson('/tools'), getJson('/playground/config')]);
      if (list.status !== 200) {
        setFailure((list.body && list.body.error && list.body.error.message) || `GET /tools answered ${list.status}`);
        return;
      }
      if (cfg.status === 200) setConfig(cfg.body);
      const all = await Promise.all(list.body.map((t) => getJson(`/tools/${encodeURIComponent(t.id)}`)));
      setManifests(all.filter((a) => a.status === 200).map((a) => a.body));
    })().catch((e) => setFailure(String(e)));
  }, []);

  useEffect(() => {
    const onHash = () => setSelected(decodeURIComponent(location.hash.slice(1)));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  if (failure) return <p className="error-box" role="alert">{failure}</p>;
  if (!manifests) return <p className="note">Loading the tools…</p>;
  const manifest = manifests.find((m) => m.id === selected);
  const select = (id) => {
    location.hash = id;
    setSelected(id);
  };
  const flavours = flavoursOf(manifest || manifests[0]);
  return (
    <div className="layout">
      <aside>
        <p className="brand">
          <a href="#" data-testid="home-link">thrive-blocks playground</a>
        </p>
        <ToolList manifests={manifests} selected={selected} onSelect={select} />
      </aside>
      <main>
        {!manifest && <Home manifests={manifests} config={config} onSelect={select} />}
        <ConnectionPanel
          flavours={flavours}
          config={config}
          connection={connection}
          setConnection={setConnection}
          errors={connectionErrors}
        />
        {manifest && (
          <ToolPanel
            key={manifest.id}
            manifest={manifest}
            connection={connection}
            config={config}
            onConnectionErrors={setConnectionErrors}
          />
        )}
      </main>
    </div>
  );
}

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
