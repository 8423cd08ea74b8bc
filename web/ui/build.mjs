// Bundles src/ into dist/ (what package ui embeds): app-[hash].js, app-[hash].css with bpmn-js's styles and
// fonts, and index.html pointing at them. `npm run build` runs it; `make build` runs that after `npm ci`.
import { build } from 'esbuild';
import { readFile, writeFile, readdir, rm, mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');

await mkdir(dist, { recursive: true });
for (const f of await readdir(dist)) {
  if (f !== 'README.md') await rm(join(dist, f), { recursive: true, force: true });
}

const result = await build({
  entryPoints: [join(here, 'src', 'main.js')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  outdir: dist,
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file' },
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
const js = outputs.find((f) => /^main-.*\.js$/.test(f));
const css = outputs.find((f) => /^main-.*\.css$/.test(f));
if (!js || !css) throw new Error(`esbuild wrote no bundle: ${outputs.join(', ')}`);
const page = (await readFile(join(here, 'src', 'index.html'), 'utf8')).replace('{{JS}}', js).replace('{{CSS}}', css);
await writeFile(join(dist, 'index.html'), page);
console.log(`dashboard built: ${outputs.filter((f) => !f.endsWith('.LEGAL.txt')).join(', ')}`);
