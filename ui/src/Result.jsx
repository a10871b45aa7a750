// The answer of a validate, dry run or run: formatted JSON; list outputs
// also as a table; partial results (Thrive's 207) with the failed items and
// their reasons; errors with Thrive's message and every violation.

/** The items of a list output: its `results` array, or the output itself when it is an array. */
export function listItems(output) {
  if (Array.isArray(output)) return output;
  if (output && Array.isArray(output.results)) return output.results;
  if (output && typeof output === 'object') {
    const arrays = Object.values(output).filter(Array.isArray);
    if (arrays.length === 1 && arrays[0].every((x) => x && typeof x === 'object')) return arrays[0];
  }
  return null;
}

/** Every item with a `reason` anywhere in a partial result: the failed ones. */
export function failedItems(output) {
  const out = [];
  const walk = (v) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if (typeof v.reason === 'string' && v.reason) out.push(v);
      else Object.values(v).forEach(walk);
    }
  };
  walk(output);
  return out;
}

const NAME_KEYS = ['name', 'title', 'label', 'email', 'reference', 'ref'];

/**
 * A value as text a person reads in a table cell: a nested record by its
 * name (with its id), e.g. `Engineering (64f0…)`; other records as
 * `key: value` pairs; lists joined by commas; yes/no for booleans.
 */
export function cell(v, depth = 0) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.map((x) => cell(x, depth + 1)).filter((x) => x !== '').join(', ');
  if (typeof v === 'object') {
    const named = NAME_KEYS.find((k) => typeof v[k] === 'string' && v[k] !== '');
    if (named) {
      const id = typeof v.id === 'string' && v.id !== v[named] ? ` (${v.id})` : '';
      return `${v[named]}${id}`;
    }
    if (depth > 1) return '…';
    return Object.entries(v)
      .filter(([, x]) => x !== null && x !== undefined)
      .map(([k, x]) => `${k}: ${cell(x, depth + 1)}`)
      .join('; ');
  }
  return String(v);
}

function Table({ items, testId }) {
  const columns = [];
  for (const item of items.slice(0, 200)) {
    for (const k of Object.keys(item || {})) if (!columns.includes(k)) columns.push(k);
  }
  return (
    <div className="table-wrap">
      <table data-testid={testId}>
        <thead>
          <tr>{columns.map((c) => <th key={c}>{c}</th>)}</tr>
        </thead>
        <tbody>
          {items.slice(0, 200).map((item, i) => (
            <tr key={i}>
              {columns.map((c) => {
                const text = cell(item && item[c]);
                return (
                  <td key={c} title={text}>
                    {text}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {items.length > 200 && <p className="note">First 200 of {items.length} rows; the JSON below has all.</p>}
    </div>
  );
}

const TITLES = { validate: 'Validation', 'dry-run': 'Dry run', run: 'Run' };

export default function Result({ result }) {
  if (!result) return null;
  const { action, status, body, elapsedMs } = result;
  const ok = status >= 200 && status < 300;
  const error = !ok && body && body.error;
  const partial = ok && body && body.partial === true;
  const items = ok && action === 'run' ? listItems(body) : null;
  const failed = partial ? failedItems(body) : [];
  return (
    <section className={`result ${ok ? (partial ? 'partial' : 'ok') : 'failed'}`} data-testid="result">
      <h2>
        <span data-testid="result-status">
          {TITLES[action]}: {ok ? (partial ? 'partly done' : action === 'validate' ? 'valid' : 'done') : 'failed'}
        </span>{' '}
        <small>HTTP {status}{elapsedMs !== undefined ? `, ${elapsedMs} ms` : ''}</small>
      </h2>
      {error && (
        <div className="error-box" data-testid="error-box" role="alert">
          <p>
            <code>{error.code}</code>
            {error.status ? ` (Thrive answered ${error.status})` : ''}: {error.message}
          </p>
          {Array.isArray(error.details) && error.details.length > 0 && (
            <ul data-testid="violations">
              {error.details.map((d, i) => (
                <li key={i}>
                  <code>{d.pointer || '(input)'}</code> {d.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {partial && (
        <div className="partial-box" data-testid="partial-box">
          <p>Thrive processed only part of the request: {failed.length} item(s) failed.</p>
          {failed.length > 0 && <Table items={failed} testId="failed-items" />}
        </div>
      )}
      {action === 'dry-run' && ok && (
        <p className="note">The request that would be sent; the credentials are masked and nothing was sent.</p>
      )}
      {items && items.length > 0 && <Table items={items} testId="result-table" />}
      {items && items.length === 0 && <p className="note" data-testid="result-empty">No items.</p>}
      <pre data-testid="result-json">{JSON.stringify(body, null, 2)}</pre>
    </section>
  );
}
