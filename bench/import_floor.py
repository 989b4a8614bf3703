#!/usr/bin/env python3
"""The SQLite floor of a contacts import: the rows `otdel import contacts` writes for a clients CSV (contacts, their
phone and e-mail points, companies, links, search documents), inserted per batch with no application code at all —
INSERT … SELECT from in-memory tables into a freshly migrated database, the import's pragmas (WAL, synchronous=FULL,
foreign keys, 32 MB cache), one transaction per batch. Prints CPU and wall time per row and each table's share: what
any import on this schema costs on one core (SQLite has one writer).

  python3 bench/gen/gen_data.py clients --count 100000 --seed 42 --out /tmp/c.csv
  python3 bench/import_floor.py /tmp/c.csv [--batch 5000] [--variant all|nofts|noprefix|nolistidx]

The variants drop one part of the schema to show its cost: the FTS5 trigger, the FTS5 prefix indexes, the four list
indexes of contacts. Approximations: phones are taken as +7 and their last 10 digits (the generator writes Russian
numbers), search bodies are built as the import builds them for these columns; SQLite's own WAL checkpoints run in the
commit here (the server runs them on a thread of their own), so the CPU figure includes them.
"""
import argparse
import csv
import glob
import os
import re
import sqlite3
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def migrated(path):
    db = sqlite3.connect(path, isolation_level=None)
    for f in sorted(glob.glob(os.path.join(ROOT, "migrations", "sqlite", "*.sql"))):
        db.executescript(open(f, encoding="utf-8").read())
    return db


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--variant", default="all", choices=["all", "nofts", "noprefix", "nolistidx"])
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="otdel-import-floor-")
    db = migrated(os.path.join(work, "floor.db"))
    for p in ["journal_mode=WAL", "foreign_keys=ON", "synchronous=FULL", "cache_size=-32768", "temp_store=MEMORY"]:
        db.execute("PRAGMA " + p)
    db.execute("INSERT INTO workspaces (id, name, slug, created_at, updated_at) VALUES (1, 'w', 'w', 0, 0)")
    db.execute("INSERT INTO users (workspace_id, id, email, full_name, password_hash, created_at, updated_at) "
               "VALUES (1, 1, 'a@b.c', 'A', 'x', 0, 0)")
    if a.variant == "nofts":
        db.execute("DROP TRIGGER search_docs_fts_ai")
    if a.variant == "noprefix":
        db.execute("DROP TABLE search_fts")
        db.execute("CREATE VIRTUAL TABLE search_fts USING fts5(body, content = 'search_docs', content_rowid = 'id', "
                   "tokenize = 'unicode61 remove_diacritics 2')")
    if a.variant == "nolistidx":
        for i in ["contacts_owner_idx", "contacts_name_idx", "contacts_owner_name_idx", "contacts_updated_idx"]:
            db.execute("DROP INDEX " + i)

    rows = list(csv.DictReader(open(a.csv, encoding="utf-8")))
    for t, cols in [("tc", "b, id, last, first, middle, full"), ("tco", "b, id, name, inn"),
                    ("tp", "b, sid, kind, raw, value"), ("tl", "b, co, ct"), ("td", "b, type, sid, title, body")]:
        db.execute(f"CREATE TEMP TABLE {t} ({cols})")
    companies, cid, coid = {}, 0, 0
    tc, tco, tp, tl, td = [], [], [], [], []
    for i, r in enumerate(rows):
        b = i // a.batch
        cid += 1
        full = " ".join(x for x in [r["last_name"], r["first_name"], r["middle_name"]] if x)
        tc.append((b, cid, r["last_name"], r["first_name"], r["middle_name"], full))
        d = re.sub(r"\D", "", r["phone"])[-10:]
        tp.append((b, cid, "phone", r["phone"], "+7" + d))
        tp.append((b, cid, "email", r["email"], r["email"].lower()))
        tokens = [t.lower() for t in full.split()] + re.split(r"[@.]", r["email"].lower()) + ["7" + d, "8" + d, d]
        td.append((b, "contact", cid, full, " ".join(dict.fromkeys(t for t in tokens if t))))
        if r["company"]:
            if r["company"] not in companies:
                coid += 1
                companies[r["company"]] = coid
                tco.append((b, coid, r["company"], r["inn"] or None))
                td.append((b, "company", coid, r["company"], (r["company"] + " " + r["inn"]).lower()))
            tl.append((b, companies[r["company"]], cid))
    for t, data in [("tc", tc), ("tco", tco), ("tp", tp), ("tl", tl), ("td", td)]:
        if data:
            db.executemany(f"INSERT INTO {t} VALUES ({', '.join('?' * len(data[0]))})", data)
        db.execute(f"CREATE INDEX {t}_b ON {t} (b)")
    inserts = {
        "companies": "INSERT INTO companies (workspace_id, id, legal_form, name, inn, owner_user_id, created_by, "
                     "created_at, updated_at) SELECT 1, id, 'ooo', name, inn, 1, 1, 1, 1 FROM tco WHERE b = ?",
        "contacts": "INSERT INTO contacts (workspace_id, id, last_name, first_name, middle_name, full_name, "
                    "owner_user_id, created_by, created_at, updated_at) SELECT 1, id, last, first, middle, full, 1, 1, "
                    "1, 1 FROM tc WHERE b = ?",
        "points": "INSERT INTO contact_points (workspace_id, subject_type, subject_id, kind, label, raw, value, "
                  "is_primary, created_at) SELECT 1, 'contact', sid, kind, 'work', raw, value, 1, 1 FROM tp "
                  "WHERE b = ? ORDER BY kind, value",
        "links": "INSERT INTO company_contacts (workspace_id, company_id, contact_id, position, decision_role, "
                 "is_primary, created_at) SELECT 1, co, ct, '', '', 1, 1 FROM tl WHERE b = ?",
        "search docs": "INSERT INTO search_docs (workspace_id, subject_type, subject_id, owner_user_id, title, body, "
                       "updated_at) SELECT 1, type, sid, 1, title, body, 1 FROM td WHERE b = ?",
    }
    spent = {k: 0.0 for k in list(inserts) + ["commit"]}
    c0, t0 = os.times(), time.time()
    for b in range((len(rows) + a.batch - 1) // a.batch):
        db.execute("BEGIN")
        for name, q in inserts.items():
            t = time.time()
            db.execute(q, (b,))
            spent[name] += time.time() - t
        t = time.time()
        db.execute("COMMIT")
        spent["commit"] += time.time() - t
    c1, wall = os.times(), time.time() - t0
    n = len(rows)
    cpu = (c1.user + c1.system - c0.user - c0.system) * 1e6 / n
    print(f"{a.variant}: {n} rows in batches of {a.batch}: {cpu:.1f} µs CPU per row, {wall * 1e6 / n:.1f} µs wall "
          f"per row; wall per row by step: " + ", ".join(f"{k} {v * 1e6 / n:.1f}" for k, v in spent.items()) +
          f"; load {open('/proc/loadavg').read().split()[0]}")
    db.close()
    for f in glob.glob(os.path.join(work, "*")):
        os.remove(f)
    os.rmdir(work)


if __name__ == "__main__":
    main()
