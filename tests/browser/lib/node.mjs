// Starts a standalone OrleansIm node (the Release build of the Silo) on a free loopback port.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const APP_KEY = 'keyAbcd123';

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => res(port)); });
  });
}

export async function startNode(settings = {}) {
  const dll = join(repo, 'Silo', 'bin', 'Release', 'net10.0', 'OrleansIm.Silo.dll');
  if (!existsSync(dll)) throw new Error(`${dll} is missing: build the Silo in Release first (scripts/test.sh does).`);
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), 'orleansim-browser-'));
  const args = [dll, `--Gateway:Host=127.0.0.1`, `--Gateway:Port=${port}`, `--Storage:DataDirectory=${data}`,
    '--Logging:LogLevel:Default=Warning'];
  for (const [k, v] of Object.entries(settings)) args.push(`--${k}=${v}`);
  const proc = spawn('dotnet', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', d => { log += d; });
  proc.stderr.on('data', d => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`node exited (${proc.exitCode}):\n${log}`);
    try { await fetch(`${base}/openapi/v1/user/login`, { method: 'POST' }); break; } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`node did not start:\n${log}`);
    await new Promise(r => setTimeout(r, 100));
  }
  return {
    base, port, ws: `ws://127.0.0.1:${port}/ws`,
    log: () => log,
    async login(id) {
      const r = await fetch(`${base}/openapi/v1/user/login`, {
        method: 'POST', headers: { 'X-App-Key': APP_KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify({ id, nickname: id }) });
      const body = await r.json();
      if (body.code !== 200) throw new Error(`login failed: ${JSON.stringify(body)}`);
      return body.data.token;
    },
    async stop() {
      proc.kill('SIGTERM');
      await new Promise(r => proc.exitCode !== null ? r() : proc.once('exit', r));
      rmSync(data, { recursive: true, force: true });
    },
  };
}
