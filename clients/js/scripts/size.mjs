// The client's size as a browser downloads it: as served (GET /ringcast.js), minified by esbuild, and each gzipped.
// `npm run size`; prints one line per form (no threshold: a figure for the notes).
import { readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const source = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "ringcast.js");
const raw = readFileSync(source);
const result = await build({
    entryPoints: [source], bundle: true, minify: true, format: "esm", target: "es2020", write: false,
});
const minified = Buffer.from(result.outputFiles[0].contents);
const gz = (b) => gzipSync(b, { level: 9 }).length;
const br = (b) => brotliCompressSync(b).length;
const fmt = (n) => (n / 1024).toFixed(1) + " KiB (" + n + " B)";
console.log("ringcast.js as served:      " + fmt(raw.length) + ", gzipped " + fmt(gz(raw)));
console.log("ringcast.js minified:       " + fmt(minified.length) + ", gzipped " + fmt(gz(minified)) +
    ", brotli " + fmt(br(minified)));
