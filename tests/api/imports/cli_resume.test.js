// `otdel import` killed with SIGKILL in the middle resumes on the next start and ends with exactly the rows of an
// uninterrupted run (no duplicates, none missing): the checkpoint commits with each batch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, runCli, OTDEL_BIN, REPO_ROOT } from '../lib/server.js';

const ROWS = 4000;

function count(db, table) {
  if (db.engine === 'postgres') {
    return Number(execFileSync('psql', ['-X', '-At', '-d', db.url, '-c', `SELECT COUNT(*) FROM ${table}`]).toString().trim());
  }
  const file = db.url.replace(/^sqlite:\/\//, '');
  return Number(execFileSync('sqlite3', [file, `SELECT COUNT(*) FROM ${table}`]).toString().trim());
}

function summary(stdout) {
  const m = stdout.match(/import #\d+ (\w+): (\d+) rows, (\d+) created, (\d+) merged, (\d+) rejected/);
  assert.ok(m, stdout);
  return { status: m[1], rows: +m[2], created: +m[3], merged: +m[4], rejected: +m[5] };
}

async function freshDb() {
  const db = await createDatabase();
  await runCli(['migrate', '--db', db.url]);
  await runCli(['seed-demo', '--db', db.url]);
  return db;
}

test('a killed CLI import resumes after the last committed batch and matches a clean run', { timeout: 240_000 },
  async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'otdel-import-'));
    const file = path.join(dir, 'clients.csv');
    execFileSync('python3', [path.join(REPO_ROOT, 'bench/gen/gen_data.py'), 'clients', '--count', String(ROWS),
      '--seed', '7', '--out', file]);
    const args = (db) => ['import', 'contacts', file, '--mapping', 'auto', '--db', db.url, '--batch-size', '500'];
    const killed = await freshDb();
    const clean = await freshDb();
    try {
      // Start, wait for a few committed batches, then kill without warning.
      const child = spawn(OTDEL_BIN, args(killed), { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let progress = 0;
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no progress within 120 s')), 120_000);
        child.stderr.on('data', (d) => {
          const all = [...d.toString().matchAll(/: (\d+) rows/g)];
          if (all.length) progress = Math.max(progress, +all[all.length - 1][1]);
          if (progress >= 1000) {
            child.kill('SIGKILL');
            clearTimeout(timer);
            resolve();
          }
        });
        child.on('exit', () => { clearTimeout(timer); resolve(); });
      });
      await new Promise((r) => (child.exitCode !== null || child.signalCode ? r() : child.on('exit', r)));
      assert.equal(child.signalCode, 'SIGKILL', 'the import was still running when killed');
      assert.ok(progress < ROWS, `killed mid-way (after ${progress} rows)`);

      const resumed = await runCli(args(killed), { timeoutMs: 200_000 });
      assert.match(resumed.stderr, /resuming import #\d+ after row \d+/);
      const a = summary(resumed.stdout);
      const b = summary((await runCli(args(clean), { timeoutMs: 200_000 })).stdout);
      assert.equal(a.status, 'done');
      assert.deepEqual(a, b);
      assert.equal(a.rows, ROWS);
      for (const table of ['contacts', 'companies', 'company_contacts', 'contact_points', 'import_rejects'])
        assert.equal(count(killed, table), count(clean, table), table);
    } finally {
      await killed.drop();
      await clean.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
