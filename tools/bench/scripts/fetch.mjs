// Node `fetch` client for thrive-bench: GETs `url` `n` times with `c` in
// flight and prints one JSON line of figures (after a warm-up).
// Usage: node fetch.mjs URL AUTHORIZATION N C
const [url, auth, nArg, cArg] = process.argv.slice(2);
const n = Number(nArg);
const c = Number(cArg);
const headers = { authorization: auth, accept: 'application/json' };

async function one() {
  const r = await fetch(url, { headers });
  if (r.status !== 200) throw new Error(`status ${r.status}`);
  await r.json();
}

async function run(count, lat) {
  let next = 0;
  async function worker() {
    while (next < count) {
      next++;
      const t = process.hrtime.bigint();
      await one();
      if (lat) lat.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  await Promise.all(Array.from({ length: c }, worker));
}

await run(Math.max(2 * c, 20));
const lat = [];
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
await run(n, lat);
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
lat.sort((a, b) => a - b);
const pct = (p) => lat[Math.min(lat.length - 1, Math.round((lat.length - 1) * p))];
console.log(JSON.stringify({
  calls: lat.length,
  p50_ms: pct(0.5),
  p99_ms: pct(0.99),
  calls_per_s: lat.length / wall,
  cpu_us_per_call: (cpu.user + cpu.system) / lat.length,
  peak_rss_mib: process.resourceUsage().maxRSS / 1024,
}));
