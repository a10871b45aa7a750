"""Python `requests` client for thrive-bench.

GETs URL N times with C threads in flight (one Session per thread) and
prints one JSON line of figures, after a warm-up.
Usage: python py_requests.py URL AUTHORIZATION N C
"""

import json
import resource
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

url, auth, n, c = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
headers = {"Authorization": auth, "Accept": "application/json"}
local = threading.local()


def one(_):
    session = getattr(local, "session", None)
    if session is None:
        session = local.session = requests.Session()
    t = time.perf_counter()
    r = session.get(url, headers=headers)
    if r.status_code != 200:
        raise RuntimeError(f"status {r.status_code}")
    r.json()
    return time.perf_counter() - t


def cpu():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


with ThreadPoolExecutor(max_workers=c) as pool:
    list(pool.map(one, range(max(2 * c, 20))))
    cpu0, t0 = cpu(), time.perf_counter()
    lat = sorted(pool.map(one, range(n)))
    wall, used = time.perf_counter() - t0, cpu() - cpu0


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
