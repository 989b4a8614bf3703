"""Open-loop (fixed arrival rate) HTTP load for the stage-move budget (issue 6), used by bench/deals_bench.

wrk with N connections is a closed loop: each connection sends its next request only when the previous answer came,
so at saturation its latency is queueing (mean ~ N / throughput) and a slow answer holds back the requests that would
have been sent meanwhile (coordinated omission). Here the requests are sent on a schedule fixed in advance — evenly
spaced or Poisson at `rate` per second — whether or not earlier ones have been answered, over as many keep-alive
connections as are needed at once (up to `max_connections`; a request that finds none free waits, and that wait
counts). Each latency is measured from the request's *scheduled* send time to the last byte of its answer, so client
lateness and server queueing both count.

The client is Python asyncio on the same machine as the server: its own lateness (actual send time minus scheduled
send time) is reported as `send_lag_us`, so a figure the client spoiled can be told from one the server earned.
"""
import asyncio
import json
import random
import time


class _Conn:
    def __init__(self, reader, writer):
        self.reader = reader
        self.writer = writer


async def _read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        lname = name.strip().lower()
        if lname == b"content-length":
            length = int(value.strip())
        elif lname == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


def _percentile(sorted_values, p):
    if not sorted_values:
        return 0
    k = min(len(sorted_values) - 1, max(0, int(round(p / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


async def _run(host, port, make_request, rate, duration_s, warmup_s, max_connections, poisson, seed, timeout_s):
    rnd = random.Random(seed)
    idle = []  # free connections, most recently used last
    opened = 0
    free = asyncio.Condition()
    lat_us, lag_us = [], []
    counts = {"ok": 0, "status": 0, "error": 0, "timeout": 0}
    answered = 0  # warm-up included: what the server did while its CPU was counted
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05
    total = warmup_s + duration_s
    tasks = []

    async def acquire():
        nonlocal opened
        async with free:
            while True:
                if idle:
                    return idle.pop()
                if opened < max_connections:
                    opened += 1
                    break
                await free.wait()
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            async with free:
                opened -= 1
                free.notify()
            raise
        return _Conn(reader, writer)

    async def release(conn, broken):
        nonlocal opened
        async with free:
            if broken:
                opened -= 1
                conn.writer.close()
            else:
                idle.append(conn)
            free.notify()

    async def one(scheduled, measured):
        nonlocal answered
        conn = None
        broken = True
        try:
            conn = await acquire()
            sent = loop.time()
            conn.writer.write(make_request(rnd))
            status = await asyncio.wait_for(_read_response(conn.reader), timeout_s)
            done = loop.time()
            broken = False
            answered += 1
            if measured:
                lat_us.append((done - scheduled) * 1e6)
                lag_us.append((sent - scheduled) * 1e6)
                counts["ok" if 200 <= status < 300 else "status"] += 1
        except asyncio.TimeoutError:
            if measured:
                counts["timeout"] += 1
        except (OSError, asyncio.IncompleteReadError, ValueError):
            if measured:
                counts["error"] += 1
        finally:
            if conn is not None:
                await release(conn, broken)

    t = 0.0
    while t < total:
        scheduled = start + t
        delay = scheduled - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(one(scheduled, t >= warmup_s)))
        t += rnd.expovariate(rate) if poisson else 1.0 / rate
        if len(tasks) > 4096:
            tasks = [x for x in tasks if not x.done()]
    await asyncio.gather(*tasks)
    for conn in idle:
        conn.writer.close()
    lat_us.sort()
    lag_us.sort()
    n = len(lat_us)
    return {
        "offered_rps": rate,
        "achieved_rps": n / duration_s,
        "requests": n + counts["timeout"] + counts["error"],
        "answered_total": answered,
        "connections_used": opened,
        "latency_us": {p: _percentile(lat_us, v) for p, v in
                       (("p50", 50), ("p90", 90), ("p99", 99), ("p999", 99.9), ("max", 100))},
        "send_lag_us": {p: _percentile(lag_us, v) for p, v in (("p50", 50), ("p99", 99))},
        "errors": {k: v for k, v in counts.items() if k != "ok"},
    }


def run(host, port, make_request, rate, duration_s, warmup_s=1.0, max_connections=256, poisson=True, seed=1,
        timeout_s=5.0):
    """Sends `rate` requests per second for warmup_s + duration_s seconds (the warm-up's requests are not counted) and
    returns throughput, latency percentiles from the scheduled send time (µs), the client's send lag and errors.
    `make_request(rnd)` returns the raw HTTP/1.1 request bytes (keep-alive)."""
    cpu0, wall0 = time.process_time(), time.monotonic()
    out = asyncio.run(_run(host, port, make_request, rate, duration_s, warmup_s, max_connections, poisson, seed,
                           timeout_s))
    # The client's own share of a core while it ran: on a 2-core machine it competes with the server.
    out["client_cpu_share"] = (time.process_time() - cpu0) / max(time.monotonic() - wall0, 1e-9)
    return out


if __name__ == "__main__":
    import argparse

    p = argparse.ArgumentParser(description="open-loop GET load on one path")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--path", default="/api/v1/health")
    p.add_argument("--rate", type=float, default=200)
    p.add_argument("--duration", type=float, default=5)
    a = p.parse_args()
    req = f"GET {a.path} HTTP/1.1\r\nHost: {a.host}\r\n\r\n".encode()
    print(json.dumps(run(a.host, a.port, lambda rnd: req, a.rate, a.duration), indent=1))
