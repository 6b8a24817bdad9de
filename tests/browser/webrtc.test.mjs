// Two headless Chromium pages (Debian's chromium, fake media devices) call each other using only the
// gateway's signaling (JSON /ws dialect); their RTCPeerConnections must reach "connected" — once with
// host candidates, once forced through the local coturn relay.
import { test, before, after } from 'node:test';
import { createServer } from 'node:http';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { chromium } from 'playwright-core';
import { startNode } from './lib/node.mjs';
import { startCoturn } from './lib/coturn.mjs';
import { runParty } from './lib/callPage.mjs';

let node, turn, browser, page;

// A blank page on 127.0.0.1 (a secure context, so getUserMedia works); the node itself serves no HTML.
function startPageServer() {
  return new Promise(res => {
    const server = createServer((_, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      response.end('<!doctype html><title>OrleansIm call test</title>');
    });
    server.listen(0, '127.0.0.1', () => res({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() }));
  });
}

before(async () => {
  page = await startPageServer();
  const secret = randomBytes(16).toString('hex');
  turn = await startCoturn(secret);
  node = await startNode({
    'Turn:Secret': secret, 'Turn:TtlSeconds': '600',
    'Turn:Urls:0': `stun:127.0.0.1:${turn.port}`, 'Turn:Urls:1': `turn:127.0.0.1:${turn.port}?transport=udp`,
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
      // Plain host candidates (no mDNS .local names, which nothing here can resolve).
      '--disable-features=WebRtcHideLocalIpsWithMdns'],
  });
});

after(async () => {
  await browser?.close();
  page?.close();
  await node?.stop();
  await turn?.stop();
});

async function call(relay) {
  const caller = `alice${randomUUID().slice(0, 6)}`;
  const callee = `bob${randomUUID().slice(0, 6)}`;
  const [callerToken, calleeToken] = [await node.login(caller), await node.login(callee)];
  const context = await browser.newContext();
  try {
    const [a, b] = [await context.newPage(), await context.newPage()];
    await a.goto(page.url);
    await b.goto(page.url);
    const callId = randomUUID();
    const common = { wsUrl: node.ws, callId, relay };
    const calleeRun = b.evaluate(runParty, { ...common, token: calleeToken, me: callee, other: caller, role: 'callee' });
    await b.waitForFunction(() => window.__ready === true); // the callee's device is online before it rings
    const callerRun = a.evaluate(runParty, { ...common, token: callerToken, me: caller, other: callee, role: 'caller' });
    return await Promise.all([callerRun, calleeRun]);
  } finally {
    await context.close();
  }
}

test('a call connects with host candidates', async () => {
  const [caller, callee] = await call(false);
  assert.equal(caller.state, 'connected');
  assert.equal(callee.state, 'connected');
  assert.equal(caller.localCandidateType, 'host');
});

test('a call connects through the coturn relay (iceTransportPolicy relay)', async () => {
  const [caller, callee] = await call(true);
  assert.equal(caller.state, 'connected');
  assert.equal(callee.state, 'connected');
  assert.equal(caller.localCandidateType, 'relay');
  assert.equal(callee.localCandidateType, 'relay');
});
