// Starts a real standalone node and drives it with stock @stomp/stompjs over `ws`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@stomp/stompjs';
import WebSocket from 'ws';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const siloDll = join(repo, 'Silo', 'bin', 'Release', 'net10.0', 'OrleansIm.Silo.dll');
const appKey = 'keyAbcd123'; // standalone default (seed 000's example)

const freePort = () => new Promise((ok, fail) => {
  const server = createServer();
  server.on('error', fail);
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => ok(port));
  });
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts `dotnet OrleansIm.Silo.dll` on a free loopback port with a throwaway data directory. */
export async function startNode(extraArgs = []) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'orleansim-stomp-'));
  const args = [siloDll, `--Gateway:Port=${port}`, '--Gateway:Host=127.0.0.1', `--Storage:DataDirectory=${dataDir}`,
    '--Logging:LogLevel:Default=Warning', ...extraArgs];
  const child = spawn('dotnet', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`node exited with ${child.exitCode}:\n${output}`);
    try {
      const r = await fetch(`${base}/openapi/v1/user/login`, { method: 'POST' });
      if (r.status > 0) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { child.kill(); throw new Error(`node did not start:\n${output}`); }
    await sleep(100);
  }
  return {
    base,
    wsUrl: (userId) => `ws://127.0.0.1:${port}/imserver/ws?userId=${encodeURIComponent(userId)}`,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => { if (child.exitCode !== null) r(); else child.once('exit', r); });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Seed 000 login; returns "Bearer …". */
export async function login(node, id) {
  const r = await fetch(`${node.base}/openapi/v1/user/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-App-Key': appKey },
    body: JSON.stringify({ id, nickname: id, device: 'im_web' }),
  });
  const body = await r.json();
  if (body.code !== 200) throw new Error(`login ${id}: ${JSON.stringify(body)}`);
  return body.data.token;
}

/**
 * A connected stompjs Client with an inbox per destination. Raw WebSocket messages are recorded too (to see
 * heart-beats and RECEIPTs as the wire carries them).
 */
export async function connect(node, userId, token, { deviceType, heartbeat = [10000, 10000], headers = {} } = {}) {
  const raw = [];
  let socket;
  const inbox = new Map(); // destination → [{ headers, body }]
  const waiters = [];
  const client = new Client({
    webSocketFactory: () => {
      socket = new WebSocket(node.wsUrl(userId), ['v12.stomp']);
      socket.addEventListener('message', (e) => raw.push(typeof e.data === 'string' ? e.data : Buffer.from(e.data).toString()));
      return socket;
    },
    connectHeaders: { ide: token, ...(deviceType ? { deviceType } : {}), ...headers },
    heartbeatOutgoing: heartbeat[0],
    heartbeatIncoming: heartbeat[1],
    reconnectDelay: 0,
    debug: () => {},
  });
  const session = {
    client, raw, inbox,
    get socket() { return socket; },
    closeEvent: null,
    errors: [],
    /** Subscribes and waits for the server's RECEIPT, so events after this are sure to be routed. */
    async subscribe(destination) {
      const receipt = `sub-${Math.random().toString(36).slice(2)}`;
      const got = new Promise((r) => client.watchForReceipt(receipt, r));
      client.subscribe(destination, (m) => {
        const entry = { headers: m.headers, body: JSON.parse(m.body) };
        if (!inbox.has(destination)) inbox.set(destination, []);
        inbox.get(destination).push(entry);
        for (const w of [...waiters]) w();
      }, { receipt });
      await got;
    },
    publish(destination, body) {
      client.publish({ destination, body: typeof body === 'string' ? body : JSON.stringify(body) });
    },
    messages: (destination) => inbox.get(destination) ?? [],
    /** Waits until the destination has received `count` messages; returns the newest. */
    next(destination, count, timeoutMs = 5000) {
      return new Promise((ok, fail) => {
        const check = () => {
          const list = inbox.get(destination) ?? [];
          if (list.length >= count) {
            waiters.splice(waiters.indexOf(check), 1);
            clearTimeout(timer);
            ok(list[count - 1]);
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(check), 1);
          fail(new Error(`${userId}: no message #${count} on ${destination} within ${timeoutMs} ms (have ${(inbox.get(destination) ?? []).length})`));
        }, timeoutMs);
        waiters.push(check);
        check();
      });
    },
  };
  const connected = await new Promise((ok, fail) => {
    client.onConnect = (frame) => ok(frame);
    client.onStompError = (frame) => { session.errors.push(frame); fail(new Error(`STOMP ERROR: ${frame.headers.message}`)); };
    client.onWebSocketClose = (e) => { session.closeEvent = e; fail(new Error(`closed ${e.code}`)); };
    client.activate();
  });
  client.onStompError = (frame) => session.errors.push(frame);
  client.onWebSocketClose = (e) => { session.closeEvent = e; };
  session.connected = connected;
  return session;
}

export { sleep, WebSocket };
