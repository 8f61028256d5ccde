// Builds /tracker.js (minified) and /tracker.src.js (readable) in memory; `tsx src/tracker/build.ts` prints the size.
import { createHash } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import { gzipAsync } from '@gfx/zopfli';
import { build } from 'esbuild';
import { minify } from 'terser';

/** Hard budget for the complete minified script as served gzipped: 4.5 KB, ≤ 64 % of the official tracker's
 *  7,214 B (issue 12; it supersedes decision P2's 3.5 KB, which cost five captures). */
export const GZIP_BUDGET = 4608;

export interface TrackerBuild {
  minified: string;
  source: string;
  sha256: string;
  /** The minified script gzipped once at build time with zopfli: the bytes /tracker.js sends to gzip clients. */
  gzip: Buffer;
  /** The same, brotli (quality 11), for clients that accept br. */
  brotli: Buffer;
  gzipBytes: number;
}

const entry = fileURLToPath(new URL('./tracker.ts', import.meta.url));

/** esbuild bundles the TypeScript into one IIFE: readable (the /tracker.src.js body) or minified. */
async function bundle(minify: boolean): Promise<string> {
  const r = await build({
    minify,
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    // Browsers from 2020 on (Chrome 80, Safari 13.1, Firefox 74): optional chaining and object spread stay
    // native, about 220 bytes gzipped less than es2017.
    target: 'es2020',
    platform: 'browser',
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
    // No "use strict" prologue: the bundle is a closed IIFE and every byte counts.
    tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
  });
  return r.outputFiles[0].text;
}

/** terser squeezes the bundle further: whole-program passes (inlining, top-level names inside the IIFE). The
 *  unsafe options only assume built-ins are not replaced and getters have no side effects, true of this code. */
async function squeeze(source: string): Promise<string> {
  const r = await minify(source, {
    ecma: 2020,
    toplevel: true,
    compress: { passes: 3, unsafe: true, unsafe_arrows: true, unsafe_methods: true, pure_getters: true },
    mangle: true,
    format: { comments: false, wrap_func_args: false },
  });
  return r.code!;
}

/** Bundle the readable and the minified script; `sha256` and `gzipBytes` describe the minified one. */
export async function buildTracker(): Promise<TrackerBuild> {
  // terser does better on esbuild's minified output (const → let and other syntax rewrites) than on the readable one.
  const [source, min] = await Promise.all([bundle(false), bundle(true)]);
  const minified = await squeeze(min);
  // zopfli finds a smaller deflate stream than zlib -9 (about 2 % here) and any gzip decoder reads it; it is
  // slow (tens of ms), which is why it runs once per build and never per request.
  const gzip = Buffer.from(await gzipAsync(Buffer.from(minified), { numiterations: 15 }));
  const brotli = brotliCompressSync(minified, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: minified.length } });
  return {
    minified,
    source,
    sha256: createHash('sha256').update(minified).digest('hex'),
    gzip,
    brotli,
    gzipBytes: gzip.length,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const b = await buildTracker();
  console.log(`tracker.js: ${b.minified.length} bytes minified, ${b.gzipBytes} bytes gzipped (budget ${GZIP_BUDGET}), ${b.brotli.length} bytes brotli`);
  if (b.gzipBytes > GZIP_BUDGET) process.exitCode = 1;
}
