// Builds the playground into dist/ (committed, embedded in the binary by
// src/host/playground/mod.rs) and writes dist/SOURCE_HASH, the hash of the
// sources it was built from. A Rust test recomputes the hash the same way:
// SHA-256 over, for each file in byte order of its path relative to ui/,
// the path, a newline, the file's bytes and a newline; the files are every
// file under src/ and form-helpers/, package.json, package-lock.json and
// build.mjs.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

export function sourceHash() {
  const files = [
    ...walk(join(root, 'src')),
    ...walk(join(root, 'form-helpers')),
    join(root, 'package.json'),
    join(root, 'package-lock.json'),
    join(root, 'build.mjs'),
  ]
    .map((p) => relative(root, p).split(sep).join('/'))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const hash = createHash('sha256');
  for (const rel of files) {
    hash.update(rel);
    hash.update('\n');
    hash.update(readFileSync(join(root, rel)));
    hash.update('\n');
  }
  return hash.digest('hex');
}

mkdirSync(join(dist, 'assets'), { recursive: true });
await build({
  // main.jsx imports app.css, so esbuild writes app.js and app.css.
  entryPoints: { app: join(root, 'src', 'main.jsx') },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'none',
  outdir: join(dist, 'assets'),
  logLevel: 'warning',
});
copyFileSync(join(root, 'src', 'index.html'), join(dist, 'index.html'));
copyFileSync(join(root, 'src', 'favicon.svg'), join(dist, 'assets', 'favicon.svg'));
writeFileSync(join(dist, 'SOURCE_HASH'), `${sourceHash()}\n`);
console.log(`built ${relative(process.cwd(), dist)} (${sourceHash().slice(0, 12)})`);
