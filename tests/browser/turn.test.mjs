// TURN credentials issued by the gateway (coturn's REST scheme) authenticate against a real coturn;
// tampered or expired ones are refused with 401.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { startNode } from './lib/node.mjs';
import { startCoturn, uclientSucceeds } from './lib/coturn.mjs';
import { tryAllocate } from './lib/stun.mjs';

test('gateway-issued TURN credentials work with coturn; tampered and expired ones get 401', async () => {
  const secret = randomBytes(16).toString('hex');
  const turn = await startCoturn(secret);
  const node = await startNode({
    'Turn:Secret': secret, 'Turn:TtlSeconds': '600',
    'Turn:Urls:0': `stun:127.0.0.1:${turn.port}`, 'Turn:Urls:1': `turn:127.0.0.1:${turn.port}?transport=udp`,
  });
  try {
    const token = await node.login('turnuser');
    const response = await fetch(`${node.base}/imserver/turn/get-turn-credentials`, { headers: { ide: token } });
    const body = await response.json();
    assert.equal(body.code, 200, JSON.stringify(body));
    const servers = body.data.iceServers;
    const stun = servers.find(s => s.url.startsWith('stun:'));
    assert.equal(stun.username, null); // seed shape: STUN needs no credentials
    const relay = servers.find(s => s.url.startsWith('turn:'));
    const [expiry, user] = relay.username.split(':');
    assert.equal(user, 'turnuser');
    const now = Math.floor(Date.now() / 1000);
    assert.ok(Number(expiry) > now + 500 && Number(expiry) <= now + 601, `expiry ${expiry} is about now + TTL`);
    assert.equal(relay.credential, createHmac('sha1', secret).update(relay.username).digest('base64'));

    // Debian's own TURN client allocates a relay and sends through it with these credentials…
    assert.ok(uclientSucceeds(turn.port, relay.username, relay.credential), 'turnutils_uclient with the issued credentials');
    assert.deepEqual(await tryAllocate(turn.port, relay.username, relay.credential), { ok: true });

    // …but a changed credential, a borrowed one (other user) or an expired one is refused with 401.
    const tampered = relay.credential.replace(/^./, c => (c === 'A' ? 'B' : 'A'));
    assert.deepEqual(await tryAllocate(turn.port, relay.username, tampered), { ok: false, errorCode: 401 });
    assert.deepEqual(await tryAllocate(turn.port, `${expiry}:someoneelse`, relay.credential), { ok: false, errorCode: 401 });
    const expired = `${now - 60}:turnuser`;
    assert.deepEqual(await tryAllocate(turn.port, expired, createHmac('sha1', secret).update(expired).digest('base64')),
      { ok: false, errorCode: 401 });
    assert.equal(uclientSucceeds(turn.port, relay.username, tampered), false);

    // The JSON socket dialect hands out the same shape.
    const missing = await fetch(`${node.base}/imserver/turn/get-turn-credentials`);
    assert.equal((await missing.json()).code, 401);
  } finally {
    await node.stop();
    await turn.stop();
  }
});
