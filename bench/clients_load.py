#!/usr/bin/env python3
"""Loads N synthetic companies straight into a migrated, demo-seeded Otdel SQLite database, the way the clients
service writes them: a companies row, its phone and e-mail as contact_points (E.164 / lower-case), and a search
document whose body holds the case-folded letter/digit tokens and every phone spelling (the FTS5 triggers index it).
Owners are spread over the demo workspace's people. One transaction; deterministic for a seed.

    bench/clients_load.py /tmp/otdel.db --count 1000000 --seed 42
"""
import argparse
import json
import os
import re
import random
import sqlite3
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen"))
import gen_data  # noqa: E402

TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
TAGS = ["опт", "розница", "дизайнер", "застройщик", "vip", "дилер", "кухни", "шкафы"]


def tokens(text: str):
    return TOKEN.findall(text.casefold())


def phone_terms(national: str):
    # Mirrors clients::PhoneSearchTerms without the '+': 7XXXXXXXXXX, 8XXXXXXXXXX, XXXXXXXXXX.
    return ["7" + national, "8" + national, national]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()

    con = sqlite3.connect(a.db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    ws = con.execute("SELECT id FROM workspaces WHERE slug = 'demo'").fetchone()[0]
    owners = [r[0] for r in con.execute(
        "SELECT user_id FROM employees WHERE workspace_id = ? AND status = 'active' ORDER BY user_id", (ws,))]
    rng = random.Random(a.seed)
    base_ms = 1_735_689_600_000
    started = time.time()
    cur = con.cursor()
    cur.execute("BEGIN")
    next_id = (cur.execute("SELECT COALESCE(MAX(id), 0) FROM companies").fetchone()[0] or 0) + 1
    for i in range(a.count):
        p = gen_data.make_person(rng)
        name = gen_data.company_name(rng, p)
        legal = not name.startswith("ИП")
        inn = gen_data.make_inn(rng, legal)
        owner = owners[i % len(owners)]
        tags = [rng.choice(TAGS)] if rng.random() < 0.7 else []
        created = base_ms + i * 1000
        discipline = rng.choice(["", "good", "good", "late", "bad"])
        cid = next_id + i
        cur.execute(
            "INSERT INTO companies (workspace_id, id, legal_form, name, inn, tags, payment_discipline, owner_user_id, "
            "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (ws, cid, "ooo" if legal else "ip", name, inn, json.dumps(tags, ensure_ascii=False), discipline, owner,
             owner, created, created))
        raw_phone = gen_data.format_phone(rng, p.phone)
        cur.execute(
            "INSERT INTO contact_points (workspace_id, subject_type, subject_id, kind, label, raw, value, is_primary, "
            "created_at) VALUES (?, 'company', ?, 'phone', 'work', ?, ?, 1, ?)",
            (ws, cid, raw_phone, "+7" + p.phone, created))
        cur.execute(
            "INSERT INTO contact_points (workspace_id, subject_type, subject_id, kind, label, raw, value, is_primary, "
            "created_at) VALUES (?, 'company', ?, 'email', 'work', ?, ?, 1, ?)",
            (ws, cid, p.email, p.email.lower(), created))
        words = tokens(f"{name} {inn} {p.email} {' '.join(tags)}") + phone_terms(p.phone)
        seen, body = set(), []
        for w in words:
            if w not in seen:
                seen.add(w)
                body.append(w)
        cur.execute(
            "INSERT INTO search_docs (workspace_id, subject_type, subject_id, owner_user_id, title, body, updated_at) "
            "VALUES (?, 'company', ?, ?, ?, ?, ?)", (ws, cid, owner, name, " ".join(body), created))
        if (i + 1) % 100_000 == 0:
            print(f"  {i + 1} companies, {time.time() - started:.0f} s", file=sys.stderr)
    con.commit()
    con.execute("ANALYZE")
    con.close()
    print(f"loaded {a.count} companies in {time.time() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
