// Same-origin JSON requests to the block server. The connection travels in
// request bodies only; the server token (when the server requires one) in
// the Authorization header. Both live in sessionStorage, never in the URL.

const CONNECTION_KEY = 'thrive-blocks.connection';
const TOKEN_KEY = 'thrive-blocks.server-token';

export function loadConnection() {
  try {
    const value = JSON.parse(sessionStorage.getItem(CONNECTION_KEY) || '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

export function saveConnection(value) {
  sessionStorage.setItem(CONNECTION_KEY, JSON.stringify(value || {}));
}

export function loadToken() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function saveToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * The connection inputs the user filled (blank ones left out), or none at
 * all when neither a tenant, a key nor a client id is given: a form holding
 * only defaults (the region host) must not hide the server's default
 * connection.
 */
export function filledConnection(connection) {
  const c = connection || {};
  const given = (k) => c[k] !== undefined && c[k] !== null && String(c[k]).trim() !== '';
  if (!given('tenantId') && !given('apiKey') && !given('clientId')) return {};
  const out = {};
  for (const [k, v] of Object.entries(connection || {})) {
    if (v !== undefined && v !== null && String(v).trim() !== '') out[k] = v;
  }
  return out;
}

function headers(withBody) {
  const h = { Accept: 'application/json' };
  if (withBody) h['Content-Type'] = 'application/json';
  const token = loadToken();
  if (token) h.Authorization = `Bearer ${token}`;
  return h;
}

/** Answers {status, body} for any HTTP status; throws only when the server is unreachable. */
async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: headers(body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { error: { code: 'invalid_response', message: text.slice(0, 500) } };
  }
  return { status: response.status, body: json };
}

export const getJson = (path) => call('GET', path);
export const postJson = (path, body) => call('POST', path, body);
