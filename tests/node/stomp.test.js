// End to end: the STOMP dialect (/imserver/ws) with stock @stomp/stompjs against a real node.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, login, sleep, startNode, WebSocket } from './lib/harness.js';

let node;
const tokens = {};

before(async () => {
  // 1 s heart-beats and a 2 s ring timeout keep the heart-beat and timeout checks short.
  node = await startNode(['--Gateway:StompHeartBeat=00:00:01', '--ImGrains:CallRingTimeout=00:00:02',
    '--Turn:Urls:0=stun:127.0.0.1:3478', '--Turn:Urls:1=turn:127.0.0.1:3478', '--Turn:Secret=test-secret']);
  for (const u of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank']) tokens[u] = await login(node, u);
});

after(async () => { await node?.stop(); });

describe('connect', () => {
  it('answers CONNECTED 1.2 with the v12.stomp subprotocol and user-name', async () => {
    const s = await connect(node, 'alice', tokens.alice);
    assert.equal(s.connected.headers.version, '1.2');
    assert.equal(s.connected.headers['user-name'], 'alice');
    assert.equal(s.socket.protocol, 'v12.stomp');
    await s.client.deactivate();
  });

  it('refuses a bad token with an ERROR frame, then closes', async () => {
    await assert.rejects(connect(node, 'alice', 'Bearer not.a.token'), /STOMP ERROR: Invalid or expired token/);
  });

  it('refuses a userId that is not the token\'s user', async () => {
    await assert.rejects(connect(node, 'bob', tokens.alice), /userId does not match/);
  });

  it('kicks the older session of the same device type with ERROR logout.kick', async () => {
    const first = await connect(node, 'frank', tokens.frank, { deviceType: 'im_pc_win' });
    const second = await connect(node, 'frank', tokens.frank, { deviceType: 'im_pc_win' });
    for (let i = 0; i < 50 && !first.closeEvent; i++) await sleep(50);
    assert.equal(first.errors[0]?.headers.message, 'logout.kick');
    assert.equal(first.errors[0]?.headers.reason, 'replaced');
    assert.equal(first.closeEvent?.code, 4409);
    assert.ok(second.client.connected);
    await second.client.deactivate();
  });
});

describe('presence', () => {
  it('answers a query, then pushes ONLINE and OFFLINE of the watched user', async () => {
    const alice = await connect(node, 'alice', tokens.alice);
    await alice.subscribe('/topic/user/status');
    alice.publish('/app/user/status', ['bob']);
    assert.deepEqual((await alice.next('/topic/user/status', 1)).body, [{ userId: 'bob', status: 'OFFLINE' }]);

    const bob = await connect(node, 'bob', tokens.bob);
    assert.deepEqual((await alice.next('/topic/user/status', 2)).body, [{ userId: 'bob', status: 'ONLINE' }]);
    await bob.client.deactivate();
    assert.deepEqual((await alice.next('/topic/user/status', 3)).body, [{ userId: 'bob', status: 'OFFLINE' }]);
    await alice.client.deactivate();
  });

  it('reports a validation error on /user/queue/errors and keeps the connection open', async () => {
    const alice = await connect(node, 'alice', tokens.alice);
    await alice.subscribe('/user/queue/errors');
    await alice.subscribe('/user/queue/user/status');
    alice.publish('/app/user/status', Array.from({ length: 201 }, (_, i) => `u${i}`));
    const error = await alice.next('/user/queue/errors', 1);
    assert.equal(error.body.code, 400);
    assert.equal(typeof error.body.message, 'string');
    alice.publish('/app/user/status', 'not json');
    assert.equal((await alice.next('/user/queue/errors', 2)).body.code, 400);

    assert.ok(alice.client.connected);
    alice.publish('/app/user/status', ['carol']);
    const answer = await alice.next('/user/queue/user/status', 1);
    assert.deepEqual(answer.body, [{ userId: 'carol', status: 'OFFLINE' }]);
    assert.equal(answer.headers['content-type'], 'application/json');
    await alice.client.deactivate();
  });
});

describe('receipts and heart-beats', () => {
  it('answers DISCONNECT with a RECEIPT, so deactivate() resolves cleanly', async () => {
    const s = await connect(node, 'dave', tokens.dave);
    let disconnectFrame;
    s.client.onDisconnect = (frame) => { disconnectFrame = frame; };
    await s.client.deactivate();
    assert.ok(disconnectFrame, 'onDisconnect runs only when the DISCONNECT receipt arrives');
    assert.match(disconnectFrame.headers['receipt-id'], /^close-/);
    assert.ok(s.raw.some((m) => m.startsWith('RECEIPT\nreceipt-id:close-')));
    assert.deepEqual(s.errors, []);
  });

  it('negotiates heart-beats and sends them at the agreed rate', async () => {
    const s = await connect(node, 'dave', tokens.dave, { heartbeat: [1000, 1000] });
    assert.equal(s.connected.headers['heart-beat'], '1000,1000');
    const before = s.raw.filter((m) => m === '\n').length;
    await sleep(3500);
    const beats = s.raw.filter((m) => m === '\n').length - before;
    assert.ok(beats >= 2, `expected ≥ 2 server heart-beats in 3.5 s, got ${beats}`);
    assert.ok(s.client.connected, 'our heart-beats keep the session open');
    await s.client.deactivate();
  });

  it('drops a client that promised heart-beats and went silent', async () => {
    const ws = new WebSocket(node.wsUrl('erin'), ['v12.stomp']);
    const frames = [];
    ws.on('message', (d) => frames.push(d.toString()));
    await new Promise((r) => ws.once('open', r));
    ws.send(`CONNECT\naccept-version:1.2\nheart-beat:500,0\nide:${tokens.erin}\n\n\0`);
    const started = Date.now();
    const code = await new Promise((r) => ws.once('close', (c) => r(c)));
    assert.ok(frames[0].startsWith('CONNECTED\n'));
    assert.equal(code, 4408);
    assert.ok(Date.now() - started < 4000, 'dropped after about twice the promised 1 s (max of 500 and the server\'s 1000)');
  });

  it('parses several frames in one WebSocket message and a frame split across messages', async () => {
    const ws = new WebSocket(node.wsUrl('erin'), ['v12.stomp']);
    const frames = [];
    ws.on('message', (d) => frames.push(d.toString()));
    await new Promise((r) => ws.once('open', r));
    const connectFrame = `CONNECT\naccept-version:1.2\nide:${tokens.erin}\n\n\0`;
    ws.send(connectFrame.slice(0, 10));
    ws.send(Buffer.from(connectFrame.slice(10))); // binary messages are accepted too
    ws.send('SUBSCRIBE\nid:0\ndestination:/topic/user/status\n\n\0\nSEND\ndestination:/app/user/status\n\n["bob"]\0DISCONNECT\nreceipt:77\n\n\0');
    await new Promise((r) => ws.once('close', r));
    assert.ok(frames[0].startsWith('CONNECTED\n'));
    assert.ok(frames.some((f) => f.startsWith('MESSAGE\n') && f.includes('[{"userId":"bob","status":"OFFLINE"}]')));
    assert.ok(frames.at(-1).startsWith('RECEIPT\nreceipt-id:77\n'));
  });
});

describe('calls', () => {
  const queues = ['/user/queue/call/request', '/user/queue/call/response', '/user/queue/call/down',
    '/user/queue/call/hangup', '/user/queue/call/timeout', '/user/queue/rtc/signaling', '/user/queue/errors'];
  let alice; let bobWeb; let bobMac; let carol;

  before(async () => {
    alice = await connect(node, 'alice', tokens.alice);
    bobWeb = await connect(node, 'bob', tokens.bob, { deviceType: 'im_web' });
    bobMac = await connect(node, 'bob', tokens.bob, { deviceType: 'im_pc_mac' });
    carol = await connect(node, 'carol', tokens.carol);
    for (const s of [alice, bobWeb, bobMac, carol]) for (const q of queues) await s.subscribe(q);
  });

  after(async () => {
    for (const s of [alice, bobWeb, bobMac, carol]) await s?.client.deactivate();
  });

  const request = (callId) => ({ callId, type: 'AUDIO', callee: 'bob', callerUserName: 'Alice', calleeUserName: 'Bob' });

  it('rings both callee sessions, one accepts, the other gets down, signals relay in order, hangup', async () => {
    alice.publish('/app/call/request', request('call-1'));
    const ringWeb = await bobWeb.next('/user/queue/call/request', 1);
    const ringMac = await bobMac.next('/user/queue/call/request', 1);
    assert.equal(ringWeb.body.callId, 'call-1');
    assert.equal(ringWeb.body.type, 'AUDIO');
    assert.equal(ringMac.body.callerUserName, 'Alice');

    bobWeb.publish('/app/call/response', { callId: 'call-1', type: 'ACCEPT' });
    assert.deepEqual((await alice.next('/user/queue/call/response', 1)).body, { callId: 'call-1', type: 'ACCEPT' });
    assert.deepEqual((await bobMac.next('/user/queue/call/down', 1)).body, { callId: 'call-1' });

    alice.publish('/app/rtc/signaling', { callId: 'call-1', type: 'OFFER', payload: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' });
    const offer = await bobWeb.next('/user/queue/rtc/signaling', 1);
    assert.deepEqual(offer.body, { callId: 'call-1', type: 'OFFER', payload: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' });
    bobWeb.publish('/app/rtc/signaling', { callId: 'call-1', type: 'ANSWER', payload: 'v=0\r\nanswer' });
    assert.equal((await alice.next('/user/queue/rtc/signaling', 1)).body.type, 'ANSWER');
    for (let i = 0; i < 5; i++) {
      alice.publish('/app/rtc/signaling', { callId: 'call-1', type: 'ICE_CANDIDATE', payload: { candidate: `candidate:${i}`, sdpMid: '0', sdpMLineIndex: 0 } });
    }
    await bobWeb.next('/user/queue/rtc/signaling', 6);
    assert.deepEqual(bobWeb.messages('/user/queue/rtc/signaling').slice(1).map((m) => m.body.payload.candidate),
      [0, 1, 2, 3, 4].map((i) => `candidate:${i}`));
    assert.equal(bobMac.messages('/user/queue/rtc/signaling').length, 0, 'signals go to the accepting device only');

    // Busy: carol calls bob during the call.
    carol.publish('/app/call/request', { ...request('call-busy') });
    assert.equal((await carol.next('/user/queue/errors', 1)).body.code, 1001);

    alice.publish('/app/call/hangup', { callId: 'call-1' });
    assert.deepEqual((await bobWeb.next('/user/queue/call/hangup', 1)).body, { callId: 'call-1' });
  });

  it('reject: the caller gets REJECT and the other callee session gets down', async () => {
    alice.publish('/app/call/request', request('call-2'));
    await bobMac.next('/user/queue/call/request', 2);
    bobMac.publish('/app/call/response', { callId: 'call-2', type: 'REJECT' });
    assert.deepEqual((await alice.next('/user/queue/call/response', 2)).body, { callId: 'call-2', type: 'REJECT' });
    assert.deepEqual((await bobWeb.next('/user/queue/call/down', 1)).body, { callId: 'call-2' });
  });

  it('timeout: nobody answers, caller and every ringing session get timeout', async () => {
    alice.publish('/app/call/request', request('call-3'));
    await bobWeb.next('/user/queue/call/request', 3);
    const timeouts = await Promise.all([alice, bobWeb, bobMac].map((s) => s.next('/user/queue/call/timeout', 1, 8000)));
    for (const t of timeouts) assert.deepEqual(t.body, { callId: 'call-3' });
  });

  it('TURN credentials come back on /user/queue/turn/get-turn-credentials', async () => {
    await carol.subscribe('/user/queue/turn/get-turn-credentials');
    carol.publish('/app/turn/get-turn-credentials', {});
    const { body } = await carol.next('/user/queue/turn/get-turn-credentials', 1);
    assert.equal(body.iceServers.length, 2);
    assert.equal(body.iceServers[0].url, 'stun:127.0.0.1:3478');
    assert.match(body.iceServers[1].username, /^\d+:carol$/);
    assert.equal(typeof body.iceServers[1].credential, 'string');
  });

  it('a call error goes to /user/queue/errors (404 unknown call) and the session stays open', async () => {
    alice.publish('/app/call/response', { callId: 'no-such-call', type: 'ACCEPT' });
    const error = await alice.next('/user/queue/errors', 1);
    assert.ok([403, 404].includes(error.body.code), JSON.stringify(error.body));
    assert.ok(alice.client.connected);
  });
});
