// Benchmark dispatcher: `tsx bench/run.ts NAME` runs bench/NAME.ts (one file per benchmark).

const BENCHES: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  import: () => import('./import.js'),
  search: () => import('./search.js'),
  http: () => import('./http.js'),
  pages: () => import('./pages.js'),
  lighthouse: () => import('./lighthouse.js'),
  trending: () => import('./trending-replay.js'),
  digest: () => import('./digest.js'),
  personal: () => import('./personal.js'),
  engines: () => import('./engines.js'),
};

const name = process.argv[2];
const load = name ? BENCHES[name] : undefined;
if (!load) {
  process.stderr.write(`usage: tsx bench/run.ts <${Object.keys(BENCHES).join(' | ')}>\n`);
  process.exit(2);
}
await (await load()).run();
