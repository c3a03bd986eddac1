// Writes `<file>.br` and `<file>.gz` beside every compressible file of the build, so that
// neither nginx (`gzip_static on`) nor the API process (backend/flashmart/static.py)
// compresses anything per request. Run after `vite build`: `node scripts/compress.mjs [dir]`
// (default `dist`). Only node's built-in zlib: no dependency.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

// Text formats; images and fonts (png, jpg, webp, woff2) are compressed already.
const COMPRESSIBLE = new Set([
  '.html', '.js', '.mjs', '.css', '.svg', '.json', '.map', '.txt', '.xml', '.wasm', '.ico', '.webmanifest',
]);
// Below this a compressed copy saves less than the headers it costs.
const MIN_BYTES = 1024;

const filesUnder = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });

function compressDir(dir) {
  const written = [];
  for (const path of filesUnder(dir)) {
    const size = statSync(path).size;
    if (!COMPRESSIBLE.has(extname(path)) || size < MIN_BYTES) continue;
    const data = readFileSync(path);
    const variants = {
      '.br': brotliCompressSync(data, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: size,
        },
      }),
      '.gz': gzipSync(data, { level: constants.Z_BEST_COMPRESSION }),
    };
    for (const [suffix, body] of Object.entries(variants)) {
      if (body.length >= size) continue; // no gain: the original is served
      writeFileSync(path + suffix, body);
      written.push(path + suffix);
    }
  }
  return written;
}

const dir = process.argv[2] ?? 'dist';
const written = compressDir(dir);
console.log(`compress: ${written.length} precompressed files (.br, .gz) written in ${dir}`);
