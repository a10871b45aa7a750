// Runs `thrive-blocks validate <id> --params <json>`: the catalogue's own
// check of a value, as the form host would send it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { PACKAGE_DIR } from './manifests.js';

/** The CLI binary: THRIVE_BLOCKS_BIN, else the debug build of this checkout. */
export const CLI_BIN = process.env.THRIVE_BLOCKS_BIN
  ? resolve(process.env.THRIVE_BLOCKS_BIN)
  : resolve(PACKAGE_DIR, '..', '..', 'target', 'debug', 'thrive-blocks');

/** Why the catalogue checks are skipped, or false when the binary is there. */
export const CLI_SKIP = existsSync(CLI_BIN)
  ? false
  : `no ${CLI_BIN} (build it with cargo build, or set THRIVE_BLOCKS_BIN)`;

/** The connection values merged into every form value, as a host does. */
export const TEST_CONNECTION = Object.freeze({ tenantId: 'eu-west-2_Test', apiKey: 'k' });

/**
 * Validates `formValue` (plus the test connection) with the catalogue.
 * Returns `{ status, violations, stderr }`; `violations` are the
 * `{pointer, message}` items of the JSON error on stderr.
 */
export function catalogueValidate(id, formValue) {
  return catalogueValidateParams(id, { ...formValue, ...TEST_CONNECTION });
}

/** [`catalogueValidate`] of `params` exactly as given (a connection value under test included). */
export function catalogueValidateParams(id, input) {
  const params = JSON.stringify(input);
  // Only PATH and the like: no THRIVE_* variables may fill in fields.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('THRIVE_')));
  env.RUST_LOG = 'off';
  const run = spawnSync(CLI_BIN, ['validate', id, '--params', params], { encoding: 'utf8', env, timeout: 30000 });
  if (run.error) throw run.error;
  let violations = [];
  const start = run.stderr.search(/^\{/m);
  if (start >= 0) {
    try {
      const body = JSON.parse(run.stderr.slice(start));
      const details = body?.error?.details;
      if (Array.isArray(details)) violations = details;
    } catch {
      // Not JSON: left empty; the caller shows stderr.
    }
  }
  return { status: run.status, violations, stderr: run.stderr };
}
