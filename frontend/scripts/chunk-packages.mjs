// What a built chunk is made of, by package: `node scripts/chunk-packages.mjs <chunk.js> [rows]`
// after a build with source maps into a directory of its own, e.g.
//   npx vite build --sourcemap --outDir /tmp/flashmart-sourcemap --emptyOutDir
//   node scripts/chunk-packages.mjs /tmp/flashmart-sourcemap/assets/index-*.js
// Each byte of the chunk is put down to the source file its source map names (a package under
// node_modules, or our own code as "app"). Minified bytes are exact; the gzipped figure of a
// package is its code gzipped by itself, scaled so the column adds up to the chunk's gzipped size
// (gzip works across packages, so it is an estimate). Used for the README's "Bundle size".
// Only node's built-ins: no dependency.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { constants, gzipSync } from 'node:zlib';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((char, index) => [char, index]));

/** The numbers of one source-map segment (base64 VLQ). */
export function decodeSegment(segment) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = DIGIT.get(char);
    if (digit === undefined) throw new Error(`chunk-packages: bad mapping character ${char}`);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/** The package a source path belongs to ("app" for ours, "(unmapped)" for none). */
export function packageOf(source) {
  if (source === null) return '(unmapped)';
  const found = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  return found ? found[1] : 'app';
}

/** The chunk's code split by package: a map of package -> its code (concatenated). */
export function codeByPackage(code, map) {
  const lines = code.split('\n');
  const parts = new Map();
  const add = (name, text) => parts.set(name, (parts.get(name) ?? '') + text);
  let source = 0;
  map.mappings.split(';').forEach((mappings, lineIndex) => {
    const line = lines[lineIndex] ?? '';
    const segments = [];
    let column = 0;
    for (const segment of mappings.split(',')) {
      if (!segment) continue;
      const values = decodeSegment(segment);
      column += values[0];
      if (values.length > 1) source += values[1];
      segments.push([column, values.length > 1 ? map.sources[source] : null]);
    }
    if (segments.length && segments[0][0] > 0) add('(unmapped)', line.slice(0, segments[0][0]));
    segments.forEach(([start, from], index) => {
      const end = index + 1 < segments.length ? segments[index + 1][0] : line.length;
      add(packageOf(from), line.slice(start, end));
    });
    if (!segments.length) add('(unmapped)', line);
  });
  return parts;
}

const gzip = (text) => gzipSync(text, { level: constants.Z_BEST_COMPRESSION }).length;

/** Rows of { name, bytes, gzip } (gzip estimated as described above), largest first. */
export function packages(code, map) {
  const parts = [...codeByPackage(code, map)].map(([name, text]) => ({ name, bytes: text.length, alone: gzip(text) }));
  const scale = gzip(code) / parts.reduce((sum, part) => sum + part.alone, 0);
  return parts
    .map(({ name, bytes, alone }) => ({ name, bytes, gzip: alone * scale }))
    .sort((a, b) => b.gzip - a.gzip);
}

function main() {
  const [file, rows = '30'] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node scripts/chunk-packages.mjs <chunk.js> [rows]  (built with --sourcemap)');
    process.exit(2);
  }
  const code = readFileSync(file, 'utf8');
  const map = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(`${file}: ${kb(code.length)} minified, ${kb(gzip(code))} gzipped\n`);
  console.log('| package | minified | gzipped (est.) |\n| --- | ---: | ---: |');
  for (const row of packages(code, map).slice(0, Number(rows))) {
    console.log(`| ${row.name} | ${kb(row.bytes)} | ${kb(row.gzip)} |`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
