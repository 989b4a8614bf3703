// Starts and stops `otdel serve` processes for black-box tests, each on a free loopback port.
// Environment:
//   OTDEL_BIN        path to the binary (default build/dev/src/app/otdel, relative to the repo root)
//   OTDEL_TEST_DB    sqlite (default) | postgres
//   OTDEL_PG_URL     postgres only: DSN of a cluster database whose role may CREATE DATABASE
//                    (scripts/pg-cluster prints one); every server start gets its own fresh database
//   OTDEL_WEB_ROOT   directory served as the SPA (default web/dist when built, else a small fixture)
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const OTDEL_BIN = path.resolve(REPO_ROOT, process.env.OTDEL_BIN || 'build/dev/src/app/otdel');
export const DB_ENGINE = process.env.OTDEL_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

export const DEMO_ADMIN = { email: 'admin@otdel.demo', password: 'otdel-admin' };
export const DEMO_ROP = { email: 'rop@otdel.demo', password: 'otdel-rop' };

const HEALTH_WAIT_MS = 20_000;
const STOP_GRACE_MS = 10_000;
const CLI_TIMEOUT_MS = 60_000;

/** Runs a CLI sub-command of the binary; rejects with its output on failure or time-out. */
export function runCli(args, { timeoutMs = CLI_TIMEOUT_MS } = {}) {
  return new Promise((resolve, reject) => {
    execFile(OTDEL_BIN, args, { timeout: timeoutMs, killSignal: 'SIGKILL', cwd: REPO_ROOT },
      (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`otdel ${args.join(' ')} failed (${err.code ?? err.signal}):\n${stdout}\n${stderr}`));
        } else {
          resolve({ stdout, stderr });
        }
      });
  });
}

function psql(dsn, sql) {
  return new Promise((resolve, reject) => {
    execFile('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', dsn, '-c', sql],
      { timeout: 30_000, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
        if (err) reject(new Error(`psql failed: ${stderr || err.message}`));
        else resolve(stdout);
      });
  });
}

/** A fresh, empty database; `drop()` removes it (the server using it must be stopped first). */
export async function createDatabase() {
  if (DB_ENGINE === 'postgres') {
    const admin = process.env.OTDEL_PG_URL;
    if (!admin) throw new Error('OTDEL_TEST_DB=postgres needs OTDEL_PG_URL (see scripts/pg-cluster)');
    const name = `otdel_t_${randomBytes(6).toString('hex')}`;
    await psql(admin, `CREATE DATABASE ${name}`);
    const u = new URL(admin);
    u.pathname = `/${name}`;
    return {
      url: u.toString(),
      engine: 'postgres',
      drop: () => psql(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {}),
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'otdel-api-'));
  return {
    url: `sqlite://${path.join(dir, 'otdel.db')}`,
    engine: 'sqlite',
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A free TCP port on 127.0.0.1 (the kernel picks it; the tiny race with other processes is accepted). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

let fixtureWebRoot = null;
/** The SPA build when present, else a tiny fixture with an index.html and one compressible JS asset. */
export function webRoot() {
  if (process.env.OTDEL_WEB_ROOT) return path.resolve(REPO_ROOT, process.env.OTDEL_WEB_ROOT);
  const dist = path.join(REPO_ROOT, 'web', 'dist');
  if (existsSync(path.join(dist, 'index.html'))) return dist;
  if (!fixtureWebRoot) {
    fixtureWebRoot = mkdtempSync(path.join(os.tmpdir(), 'otdel-web-'));
    mkdirSync(path.join(fixtureWebRoot, 'assets'));
    writeFileSync(path.join(fixtureWebRoot, 'index.html'),
      '<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Отдел</title>' +
      '<script type="module" src="/assets/app-fixture.js"></script></head>' +
      '<body><div id="root"></div></body></html>\n');
    const line = 'export const greeting = "Отдел продаж: fixture asset for compression tests";\n';
    writeFileSync(path.join(fixtureWebRoot, 'assets', 'app-fixture.js'), line.repeat(200));
    process.on('exit', () => rmSync(fixtureWebRoot, { recursive: true, force: true }));
  }
  return fixtureWebRoot;
}

/**
 * Migrates (and seeds, for a fresh database) and starts `otdel serve`; resolves once /api/v1/health
 * answers 200. Options: db (reuse a database: no seed), manualClock (default true), extraArgs.
 */
export async function startServer({ db = null, manualClock = true, seed = null, extraArgs = [] } = {}) {
  if (!existsSync(OTDEL_BIN)) throw new Error(`server binary not found: ${OTDEL_BIN} (set OTDEL_BIN)`);
  const ownsDb = !db;
  if (!db) db = await createDatabase();
  await runCli(['migrate', '--db', db.url]);
  if (seed ?? ownsDb) await runCli(['seed-demo', '--db', db.url]);

  const port = await freePort();
  const args = ['serve', '--db', db.url, '--host', '127.0.0.1', '--port', String(port), '--web-root', webRoot()];
  if (manualClock) args.push('--manual-clock');
  args.push(...extraArgs);
  const proc = spawn(OTDEL_BIN, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk) => { log = (log + chunk.toString()).slice(-20_000); };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  let exitInfo = null;
  exited.then((e) => { exitInfo = e; });

  const server = {
    url: `http://127.0.0.1:${port}`,
    port,
    db,
    proc,
    exited,
    get log() { return log; },
    get exitInfo() { return exitInfo; },
    /** SIGTERM, then SIGKILL after 10 s; resolves with {code, signal, forced}. */
    async stop() {
      if (exitInfo) return { ...exitInfo, forced: false };
      proc.kill('SIGTERM');
      let timer;
      const timedOut = new Promise((resolve) => { timer = setTimeout(() => resolve(null), STOP_GRACE_MS); });
      const res = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (res) return { ...res, forced: false };
      proc.kill('SIGKILL');
      return { ...(await exited), forced: true };
    },
    /** Stops the server and drops its database when this call created it. */
    async dispose() {
      const res = await this.stop();
      if (ownsDb) await db.drop();
      return res;
    },
  };

  const deadline = Date.now() + HEALTH_WAIT_MS;
  for (;;) {
    if (exitInfo) {
      if (ownsDb) await db.drop();
      throw new Error(`otdel serve exited early (${JSON.stringify(exitInfo)}):\n${log}`);
    }
    try {
      const r = await fetch(`${server.url}/api/v1/health`, { signal: AbortSignal.timeout(1000) });
      await r.arrayBuffer();
      if (r.status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await server.dispose();
      throw new Error(`otdel serve did not answer /api/v1/health within ${HEALTH_WAIT_MS} ms:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return server;
}
