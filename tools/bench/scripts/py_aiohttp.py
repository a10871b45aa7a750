"""Python `aiohttp` client for thrive-bench.

GETs URL N times with C requests in flight on one ClientSession and prints
one JSON line of figures, after a warm-up.
Usage: python py_aiohttp.py URL AUTHORIZATION N C
"""

import asyncio
import json
import resource
import sys
import time

import aiohttp

url, auth, n, c = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
headers = {"Authorization": auth, "Accept": "application/json"}


def cpu():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


async def main():
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=c)) as session:

        async def one():
            t = time.perf_counter()
            async with session.get(url, headers=headers) as r:
                if r.status != 200:
                    raise RuntimeError(f"status {r.status}")
                await r.json()
            return time.perf_counter() - t

        async def run(count, lat):
            left = [count]

            async def worker():
                while left[0] > 0:
                    left[0] -= 1
                    d = await one()
                    if lat is not None:
                        lat.append(d)

            await asyncio.gather(*(worker() for _ in range(c)))

        await run(max(2 * c, 20), None)
        lat = []
        cpu0, t0 = cpu(), time.perf_counter()
        await run(n, lat)
        return sorted(lat), time.perf_counter() - t0, cpu() - cpu0


lat, wall, used = asyncio.run(main())


def pct(p):
    return lat[min(len(lat) - 1, round((len(lat) - 1) * p))] * 1e3


print(json.dumps({
    "calls": len(lat),
    "p50_ms": pct(0.5),
    "p99_ms": pct(0.99),
    "calls_per_s": len(lat) / wall,
    "cpu_us_per_call": used * 1e6 / len(lat),
    "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
