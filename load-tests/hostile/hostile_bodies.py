#!/usr/bin/env python3
"""Hostile request bodies against a running govshare (issue 7.8).

Sends, all at once, N large JSON bodies to an authenticated JSON operation, N large bodies to the
token endpoint (form and JSON), and N large unauthenticated JSON bodies, while a probe measures how
long GET /health/live takes (event-loop responsiveness). Prints status codes and times per group.

  python3 hostile_bodies.py --base http://127.0.0.1:PORT --secret ADMIN_SECRET [--mb 9.5] [--n 8]
"""
import argparse, http.client, json, threading, time, urllib.parse, collections

def request(base, method, path, body=None, headers=None, chunked=False):
    u = urllib.parse.urlparse(base)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
    t = time.time()
    try:
        try:
            send(c, method, path, body, headers, chunked)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server refused the body before it was all sent: its reply is still there to read
        r = c.getresponse()
        data = r.read()
        return r.status, time.time() - t, data
    except Exception as e:
        return type(e).__name__, time.time() - t, b""
    finally:
        c.close()

def send(c, method, path, body, headers, chunked):
        if chunked:
            c.putrequest(method, path)
            for k, v in (headers or {}).items():
                c.putheader(k, v)
            c.putheader("Transfer-Encoding", "chunked")
            c.endheaders()
            step = 256 * 1024
            for i in range(0, len(body), step):
                part = body[i:i + step]
                c.send(b"%x\r\n" % len(part) + part + b"\r\n")
            c.send(b"0\r\n\r\n")
        else:
            c.request(method, path, body=body, headers=headers or {})

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--secret", required=True)
    p.add_argument("--mb", type=float, default=9.5)
    p.add_argument("--n", type=int, default=8)
    p.add_argument("--token-n", type=int, default=16)
    a = p.parse_args()
    st, _, body = request(a.base, "POST", "/api/v1/auth/token",
                          json.dumps({"grant_type": "client_credentials", "client_id": "admin", "client_secret": a.secret}).encode(),
                          {"Content-Type": "application/json"})
    token = json.loads(body).get("access_token") if st == 200 else None
    if token is None:
        st, _, body = request(a.base, "POST", "/api/v1/auth/token",
                              json.dumps({"grant_type": "client_credentials", "client_id": "admin", "client_secret": a.secret}).encode(),
                              {"Content-Type": "application/json"})
        raise SystemExit("no token: %s %s" % (st, body))
    # a PROVIDER of the bureau, so that the catalogue operation gets as far as it can
    st, _, body = request(a.base, "POST", "/api/v1/departments/BUREAU/clients",
                          json.dumps({"name": "hostile provider", "roles": ["PROVIDER"]}).encode(),
                          {"Content-Type": "application/json", "Authorization": "Bearer " + token})
    created = json.loads(body)
    st, _, body = request(a.base, "POST", "/api/v1/auth/token",
                          json.dumps({"grant_type": "client_credentials", "client_id": created["clientId"],
                                      "client_secret": created["clientSecret"]}).encode(), {"Content-Type": "application/json"})
    token = json.loads(body)["access_token"]
    size = int(a.mb * 1024 * 1024)
    # a catalogue entry whose access object carries megabytes of arbitrary properties
    blob = "x" * 1000
    access = {"mode": "HOSTED"}
    for i in range(size // (len(blob) + 12)):
        access["p%d" % i] = blob
    entry = json.dumps({"name": "n", "summary": "s", "category": "DEPARTMENTAL", "provider": "BUREAU",
                        "format": {"class": "DATABASE"}, "items": [{"name": "k", "key": "k", "dataType": "C", "length": 10, "isKey": True}],
                        "shareType": "UNCONDITIONAL", "openType": "NOT_OPEN", "updatePeriod": "DAILY", "access": access}).encode()
    form = ("grant_type=client_credentials&client_id=admin&client_secret=" + "y" * (size - 80)).encode()
    tjson = json.dumps({"grant_type": "client_credentials", "client_id": "admin", "client_secret": "z" * (size - 100)}).encode()
    auth = {"Content-Type": "application/json", "Authorization": "Bearer " + token}
    jobs = []
    for _ in range(a.n):
        jobs.append(("json-auth", lambda: request(a.base, "POST", "/api/v1/catalog/resources", entry, auth)))
        jobs.append(("json-auth-chunked", lambda: request(a.base, "POST", "/api/v1/catalog/resources", entry, auth, chunked=True)))
        jobs.append(("json-anon", lambda: request(a.base, "POST", "/api/v1/catalog/resources", entry, {"Content-Type": "application/json"})))
    for k in range(a.token_n):
        if k % 2:
            jobs.append(("token-form", lambda: request(a.base, "POST", "/api/v1/auth/token", form,
                                                      {"Content-Type": "application/x-www-form-urlencoded"})))
        else:
            jobs.append(("token-json", lambda: request(a.base, "POST", "/api/v1/auth/token", tjson, {"Content-Type": "application/json"})))
    results = collections.defaultdict(list)
    probe = []
    done = threading.Event()

    def run(name, fn):
        results[name].append(fn())

    def probing():
        while not done.is_set():
            st, t, _ = request(a.base, "GET", "/health/live")
            probe.append(t)
            time.sleep(0.05)

    pt = threading.Thread(target=probing)
    pt.start()
    started = time.time()
    threads = [threading.Thread(target=run, args=j) for j in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    pt.join()
    print("body %.1f MB, %d requests, all answered after %.1f s" % (size / 1048576, len(jobs), time.time() - started))
    for name, rs in sorted(results.items()):
        codes = collections.Counter(str(r[0]) for r in rs)
        times = sorted(r[1] for r in rs)
        print("  %-18s n=%-3d codes=%s  time median %.2f s max %.2f s" % (name, len(rs), dict(codes), times[len(times) // 2], times[-1]))
    probe.sort()
    print("  /health/live probe: n=%d median %.3f s max %.3f s" % (len(probe), probe[len(probe) // 2], probe[-1]))

main()
