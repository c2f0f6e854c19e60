import json, sys, urllib.request
port, prefix = sys.argv[1], sys.argv[2]
base = f"http://127.0.0.1:{port}"
def call(method, path, body=None, token=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    if token: req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req) as r: return json.load(r)
tok = call("POST", "/api/v1/auth/token", {"grant_type":"client_credentials","client_id":"admin","client_secret":"bench-admin-secret-0123456789"})["access_token"]
def pages(path):
    cursor = None
    while True:
        sep = "&" if "?" in path else "?"
        page = call("GET", path + sep + "limit=500" + (f"&cursor={cursor}" if cursor else ""), token=tok)
        yield from page["items"]
        cursor = page.get("nextCursor")
        if not cursor: return
depts = {d["code"] for d in pages("/api/v1/departments") if d["code"].startswith(prefix)}
recs = [r["subject"] for r in pages("/api/v1/audit?action=DEPARTMENT_CREATE") if (r.get("subject") or "").startswith(prefix)]
from collections import Counter
c = Counter(recs)
print("departments committed:", len(depts), " DEPARTMENT_CREATE records:", len(recs))
print("changes without a record:", len(depts - set(c)), " records without a change:", len(set(c) - depts), " duplicated records:", sum(1 for v in c.values() if v > 1))
print("verify:", call("GET", "/api/v1/audit/verify", token=tok))
