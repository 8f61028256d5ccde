import { build } from 'esbuild';
import { minify } from 'terser';
import { gzipSync } from 'node:zlib';
import { gzipAsync } from '@gfx/zopfli';
const entry = process.argv[2];
const r = await build({ minify: true, entryPoints: [entry], bundle: true, format: 'iife', target: 'es2020', platform: 'browser', legalComments: 'none', write: false, logLevel: 'silent', tsconfigRaw: { compilerOptions: { alwaysStrict: false } } });
const m = await minify(r.outputFiles[0].text, { ecma: 2020, toplevel: true, compress: { passes: 3, unsafe: true, unsafe_arrows: true, unsafe_methods: true, pure_getters: true }, mangle: true, format: { comments: false, wrap_func_args: false } });
console.log(entry, m.code.length, gzipSync(m.code, { level: 9 }).length, (await gzipAsync(Buffer.from(m.code), { numiterations: 15 })).length);
if (process.argv[3]) (await import('node:fs')).writeFileSync(process.argv[3], m.code);
