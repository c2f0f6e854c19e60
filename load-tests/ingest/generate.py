#!/usr/bin/env python3
"""Writes N person records as NDJSON (valid GB 11643 IDs, distinct keys) and the same rows as a
COPY text file for the PostgreSQL baseline, optionally the keys one a line.
Usage: generate.py N out.ndjson out.copy [out.keys]"""
import datetime, json, sys

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
C = "10X98765432"
AREAS = ["410727", "110105", "330106", "440524", "510104"]

def rid(i):
    day = datetime.date(1930, 1, 1) + datetime.timedelta(days=(i // 1000) % 30000)
    first = AREAS[(i // 30_000_000) % len(AREAS)] + day.strftime("%Y%m%d") + "%03d" % (i % 1000)
    return first + C[sum(int(a) * b for a, b in zip(first, W)) % 11]

n, nd, cp = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ks = open(sys.argv[4], "w") if len(sys.argv) > 4 else None
with open(nd, "w") as a, open(cp, "w") as b:
    for i in range(n):
        k = rid(i)
        rec = {"id_number": k, "name": "居民%07d" % i, "birth_date": "%s-%s-%s" % (k[6:10], k[10:12], k[12:14]),
               "income": (i * 37) % 20000, "address": "河南省新乡市辉县市某某街道%05d号院%03d室" % (i % 50000, i % 300),
               "note": "低保对象家庭成员信息核验样例数据，第%d行" % i}
        line = json.dumps(rec, ensure_ascii=False, separators=(",", ":"))
        a.write(line + "\n")
        if ks:
            ks.write(k + "\n")
        b.write("R\t" + k + "\t1\t" + str(i + 1) + "\t" + line.replace("\\", "\\\\") + "\t2026-01-01T00:00:00Z\n")
if ks:
    ks.close()
