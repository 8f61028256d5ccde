// Each variant of the HTTP workload's read endpoints timed on its own (bench/http-workload.ts reports percentiles
// per endpoint over all its variants, so the slowest variant sets the p95): a server on a folder a BENCH_KEEP run
// of `npm run bench:query` loaded, every variant once untimed, then `runs` times; median and max per variant.
//
//   npx tsx bench/variants.ts <data folder> [runs=5] [endpoint substring]
import { loadavg } from 'node:os';
import { workloadEndpoints, WORKLOAD_KEY } from './http-workload.js';
import { freePort, startServer, stopServer } from './server.js';

const [dir, runsArg, only] = process.argv.slice(2);
if (!dir) throw new Error('usage: npx tsx bench/variants.ts <data folder> [runs] [endpoint substring]');
const runs = Number(runsArg ?? 5);
const port = await freePort();
const env: Record<string, string> = { AA_DATA_DIR: dir, AA_BOOTSTRAP_API_KEY: WORKLOAD_KEY, AA_LOG_LEVEL: 'warn', AA_PURGE_INTERVAL_MS: '0', HOST: '127.0.0.1', PORT: String(port) };
if (process.env.AA_EVENTS_URL) env.AA_EVENTS_URL = process.env.AA_EVENTS_URL;
const server = await startServer(env);
try {
  for (const e of workloadEndpoints('user_0_0').filter((x) => !only || x.name.includes(only))) {
    for (const v of e.variants) {
      const time = async () => {
        const t = performance.now();
        const res = await fetch(`http://127.0.0.1:${port}${v.path}`, {
          method: v.method, headers: { 'x-api-key': WORKLOAD_KEY, ...(v.body ? { 'content-type': 'application/json' } : {}) },
          body: v.body ? JSON.stringify(v.body) : undefined,
        });
        await res.text();
        if (res.status !== 200) throw new Error(`${v.method} ${v.path}: ${res.status}`);
        return performance.now() - t;
      };
      await time();
      const ms: number[] = [];
      for (let i = 0; i < runs; i++) ms.push(await time());
      ms.sort((a, b) => a - b);
      console.log(`${e.name.split(',')[0].padEnd(16)} ${String(Math.round(ms[Math.floor(ms.length / 2)])).padStart(6)} ms median ${String(Math.round(ms[ms.length - 1])).padStart(6)} max  ${v.method} ${v.path}${v.body ? ` ${JSON.stringify(v.body)}` : ''}`);
    }
  }
  console.log(`load average ${loadavg()[0].toFixed(1)}`);
} finally {
  await stopServer(server);
}
