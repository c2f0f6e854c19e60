#!/usr/bin/env python3
"""Good logins while a flood of bad ones runs, against a govshare on 127.0.0.1.

The good client logs in one request at a time from 127.0.0.2 (this process, one thread); the flood
is wrk (FLOOD_CONNECTIONS connections from 127.0.0.1, flood.lua: wrong secrets for made-up client
ids, as fast as the server answers). Phase 1 measures the good client alone, phase 2 with the
flood. Bounded: each phase lasts SECONDS.

  python3 login-flood.py PORT CLIENT_ID SECRET [SECONDS=15] [FLOOD_CONNECTIONS=16]
"""
import http.client, json, os, subprocess, sys, time

port, client_id, secret = int(sys.argv[1]), sys.argv[2], sys.argv[3]
seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 15
connections = int(sys.argv[5]) if len(sys.argv) > 5 else 16
body = json.dumps({"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})

def good_logins(duration):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120, source_address=("127.0.0.2", 0))
    lat, statuses, end = [], {}, time.time() + duration
    while time.time() < end:
        t = time.perf_counter()
        conn.request("POST", "/api/v1/auth/token", body, {"Content-Type": "application/json"})
        r = conn.getresponse(); r.read()
        lat.append((time.perf_counter() - t) * 1000)
        statuses[r.status] = statuses.get(r.status, 0) + 1
    conn.close()
    return lat, statuses

def report(label, lat, statuses):
    lat = sorted(lat)
    pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
    print(f"{label}: {len(lat)} logins in {seconds:.0f} s = {len(lat) / seconds:.1f}/s, p50 {pct(0.5):.0f} ms, "
          f"p99 {pct(0.99):.0f} ms, max {lat[-1]:.0f} ms, statuses {statuses}")
    return pct(0.5)

good_logins(3)  # warm-up
alone = report("good client alone       ", *good_logins(seconds))
wrk = subprocess.Popen(["wrk", "-t1", f"-c{connections}", f"-d{int(seconds) + 2}s", "--timeout", "60s",
                        "-s", os.path.join(os.path.dirname(os.path.abspath(__file__)), "flood.lua"),
                        f"http://127.0.0.1:{port}/api/v1/auth/token"], stdout=subprocess.PIPE, text=True)
time.sleep(1)
lat, statuses = good_logins(seconds)
flooded = report("good client during flood", lat, statuses)
# the first failures of each window are checked (and cost hashing) before the limit refuses the rest
later = sorted(lat[len(lat) // 2:])
if later:
    print(f"  second half of the flood: {len(later)} logins, p50 {later[len(later) // 2]:.0f} ms")
out = wrk.communicate()[0]
print("flood (wrk): " + " | ".join(l.strip() for l in out.splitlines() if "Requests/sec" in l or "Non-2xx" in l or "requests in" in l))
print(f"p50 slowdown under flood: {flooded / alone:.1f}x")
