// The block playground: pick a tool, fill its form (drawn from the
// manifest's formSchema and uiSchema), validate, dry-run or run it through
// the block server on the same origin.
import { StrictMode, useEffect, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import Form from '@rjsf/core';
import validator from '@rjsf/validator-ajv8';
import TextWidget from './OptionsWidget.jsx';
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
  other: 'Other',
};
const RESOURCE_ORDER = Object.keys(RESOURCE_TITLES);
const widgets = { TextWidget };

function ToolList({ manifests, selected, onSelect }) {
  const [q, setQ] = useState('');
  const needle = q.trim().toLowerCase();
  const groups = {};
  for (const m of manifests) {
    const hay = `${m.id} ${m.title} ${m.description}`.toLowerCase();
    if (needle && !hay.includes(needle)) continue;
    (groups[resourceOf(m)] ||= []).push(m);
  }
  const names = Object.keys(groups).sort((a, b) => RESOURCE_ORDER.indexOf(a) - RESOURCE_ORDER.indexOf(b));
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
                  {m.title}
                  {m.hints && m.hints.destructive && <span className="badge">deletes</span>}
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
  const uiSchema = useMemo(
    () => ({ ...withOptionFields(flavours.uiSchema), 'ui:submitButtonOptions': { norender: true } }),
    [flavours],
  );
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
      <p className="meta">
        <code>{manifest.id}</code> · <code>{manifest.endpoint}</code>
        {manifest.hints && manifest.hints.readOnly ? ' · read-only' : ''}
        {destructive ? ' · destructive' : ''}
      </p>
      <Form
        key={manifest.id}
        schema={flavours.formSchema}
        uiSchema={uiSchema}
        validator={validator}
        widgets={widgets}
        formData={formData}
        formContext={formContext}
        extraErrors={extraErrors}
        showErrorList="top"
        noHtml5Validate
        idPrefix="root"
        // Optional lists (minItems 1) start absent, not as [] that fails validation.
        experimental_defaultFormStateBehavior={{
          arrayMinItems: { populate: 'requiredOnly' },
          emptyObjectFields: 'populateRequiredDefaults',
        }}
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
  const flavours = flavoursOf(manifest || manifests[0]);
  return (
    <div className="layout">
      <aside>
        <p className="brand">thrive-blocks playground</p>
        <ToolList
          manifests={manifests}
          selected={selected}
          onSelect={(id) => {
            location.hash = id;
            setSelected(id);
          }}
        />
      </aside>
      <main>
        <ConnectionPanel
          flavours={flavours}
          config={config}
          connection={connection}
          setConnection={setConnection}
          errors={connectionErrors}
        />
        {manifest ? (
          <ToolPanel
            key={manifest.id}
            manifest={manifest}
            connection={connection}
            config={config}
            onConnectionErrors={setConnectionErrors}
          />
        ) : (
          <p className="note" data-testid="pick-a-tool">Pick a tool on the left to see its form.</p>
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
