// Maps the server's violations ({pointer, message}) to RJSF extraErrors, so
// each message appears next to its field: connection inputs on the
// connection form, the rest on the tool's form.

function unescape(token) {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function put(tree, tokens, message) {
  let node = tree;
  for (const t of tokens) node = node[t] ||= {};
  (node.__errors ||= []).push(message);
}

/** {tool, connection}: extraErrors for each form (undefined when none). */
export function errorsByForm(body, connectionFields) {
  const details = body && body.error && Array.isArray(body.error.details) ? body.error.details : [];
  const tool = {};
  const connection = {};
  let any = [false, false];
  for (const d of details) {
    if (!d || typeof d.message !== 'string') continue;
    const tokens = typeof d.pointer === 'string' && d.pointer ? d.pointer.split('/').slice(1).map(unescape) : [];
    if (tokens.length && connectionFields.includes(tokens[0])) {
      put(connection, tokens, d.message);
      any[1] = true;
    } else {
      put(tool, tokens, d.message);
      any[0] = true;
    }
  }
  return { tool: any[0] ? tool : undefined, connection: any[1] ? connection : undefined };
}
