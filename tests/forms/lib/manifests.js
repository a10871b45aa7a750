// Loads the manifests under test.
//
// By default the repository's committed `manifests/*.json`; FORMS_MANIFESTS_DIR
// points elsewhere (the checker self-tests use `fixtures/manifests`).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of this test package (tests/forms). */
export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The folder of hand-written manifests the checker self-tests run on. */
export const FIXTURES_DIR = join(PACKAGE_DIR, 'fixtures', 'manifests');

/** The manifests folder under test. */
export const MANIFESTS_DIR = process.env.FORMS_MANIFESTS_DIR
  ? resolve(process.env.FORMS_MANIFESTS_DIR)
  : resolve(PACKAGE_DIR, '..', '..', 'manifests');

/** The connection inputs every tool takes; the host merges them in. */
export const CONNECTION_FIELDS = ['tenantId', 'apiKey', 'host', 'clientId', 'scope'];

/** The paging inputs grouped under "Advanced". */
export const PAGING_FIELDS = ['page', 'perPage', 'returnAll', 'maxResults'];

/** Every flavour key a tool manifest carries (see the manifest contract). */
export const FLAVOUR_KEYS = [
  'inputSchema',
  'outputSchema',
  'formSchema',
  'uiSchema',
  'uischema',
  'connectionSchema',
  'connectionUiSchema',
  'portableSchema',
  'strictSchema',
  'portableOutputSchema',
];

/**
 * Whether a manifest describes a tool (as opposed to, say, a trigger whose
 * id starts with `thrive_on_`). Tools must carry every flavour; other
 * manifests are checked only on the flavour keys they do carry.
 */
export function isTool(manifest) {
  if (typeof manifest.id !== 'string' || manifest.id.startsWith('thrive_on_')) return false;
  if (manifest.kind !== undefined && manifest.kind !== 'tool') return false;
  return manifest.inputSchema !== undefined;
}

/** Reads every `*.json` in `dir` except `index.json`, sorted by file name. */
export function loadManifests(dir = MANIFESTS_DIR) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'index.json')
    .sort()
    .map((file) => {
      const manifest = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      return { file, id: manifest.id ?? file.replace(/\.json$/, ''), manifest, tool: isTool(manifest) };
    });
}

/** Manifests keyed by id. */
export function byId(entries) {
  return new Map(entries.map((e) => [e.id, e.manifest]));
}
