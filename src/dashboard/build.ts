// Builds the dashboard (issue 14) in memory from src/dashboard/client/ with esbuild: one minified ES module
// (Preact + uPlot + the views) and one stylesheet, content-hashed, plus the HTML shell that loads them.
// `tsx src/dashboard/build.ts` prints the sizes and fails past the budget.
import { createHash } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** JavaScript of the first view, gzipped: at most 150 KB (issue 14). */
export const DASHBOARD_GZIP_BUDGET = 150 * 1024;

export interface BuiltFile {
  /** URL path under /app/assets/, with the content hash in the name. */
  name: string;
  type: string;
  body: Buffer;
  gzip: Buffer;
  brotli: Buffer;
  sha256: string;
}

export interface DashboardBuild {
  /** The shell every /app/… URL answers; it names the hashed assets. */
  html: string;
  files: Map<string, BuiltFile>;
  scriptGzipBytes: number;
}

const entry = fileURLToPath(new URL('./client/main.tsx', import.meta.url));

function file(base: string, ext: string, type: string, text: string): BuiltFile {
  const body = Buffer.from(text);
  const sha256 = createHash('sha256').update(body).digest('hex');
  return {
    name: `${base}.${sha256.slice(0, 12)}.${ext}`,
    type,
    body,
    gzip: gzipSync(body, { level: 9 }),
    brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
    sha256,
  };
}

export async function buildDashboard(): Promise<DashboardBuild> {
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: 'out',
    entryNames: 'app',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const js = r.outputFiles.find((f) => f.path.endsWith('.js'));
  const css = r.outputFiles.find((f) => f.path.endsWith('.css'));
  if (!js || !css) throw new Error('dashboard build produced no script or stylesheet');
  const script = file('app', 'js', 'application/javascript; charset=utf-8', js.text);
  const style = file('app', 'css', 'text/css; charset=utf-8', css.text);
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Agent Analytics</title>
<link rel="stylesheet" href="/app/assets/${style.name}">
<script type="module" src="/app/assets/${script.name}"></script>
</head>
<body>
<div id="root"><p class="boot">Loading the dashboard…</p></div>
<noscript><p>The Agent Analytics dashboard needs JavaScript. The HTTP API works without it: see <a href="/docs">/docs</a>.</p></noscript>
</body>
</html>
`;
  return { html, files: new Map([script, style].map((f) => [f.name, f])), scriptGzipBytes: script.gzip.length };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const b = await buildDashboard();
  for (const f of b.files.values()) console.log(`${f.name}: ${f.body.length} bytes, ${f.gzip.length} gzipped, ${f.brotli.length} brotli`);
  console.log(`script gzipped: ${b.scriptGzipBytes} bytes (budget ${DASHBOARD_GZIP_BUDGET})`);
  if (b.scriptGzipBytes > DASHBOARD_GZIP_BUDGET) process.exitCode = 1;
}
