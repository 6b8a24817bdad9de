// A minimal TURN Allocate client (RFC 5766, long-term credentials) that reports the server's answer,
// so a test can see the exact error code (turnutils_uclient does not print it).
import { createSocket } from 'node:dgram';
import { createHash, createHmac, randomBytes } from 'node:crypto';

const MAGIC = 0x2112A442;
const ATTR = { USERNAME: 0x0006, MESSAGE_INTEGRITY: 0x0008, ERROR_CODE: 0x0009, REALM: 0x0014, NONCE: 0x0015, REQUESTED_TRANSPORT: 0x0019 };

function attr(type, value) {
  const pad = (4 - (value.length % 4)) % 4;
  const b = Buffer.alloc(4 + value.length + pad);
  b.writeUInt16BE(type, 0); b.writeUInt16BE(value.length, 2); value.copy(b, 4);
  return b;
}

function message(type, tid, attrs, key) {
  let body = Buffer.concat(attrs);
  const header = Buffer.alloc(20);
  header.writeUInt16BE(type, 0); header.writeUInt32BE(MAGIC, 4); tid.copy(header, 8);
  if (key) {
    // MESSAGE-INTEGRITY covers the message with the length field already counting the integrity attribute.
    header.writeUInt16BE(body.length + 24, 2);
    const mac = createHmac('sha1', key).update(Buffer.concat([header, body])).digest();
    body = Buffer.concat([body, attr(ATTR.MESSAGE_INTEGRITY, mac)]);
  }
  header.writeUInt16BE(body.length, 2);
  return Buffer.concat([header, body]);
}

function parse(buf) {
  const type = buf.readUInt16BE(0);
  const attrs = {};
  for (let off = 20; off + 4 <= buf.length;) {
    const t = buf.readUInt16BE(off), len = buf.readUInt16BE(off + 2);
    attrs[t] = buf.subarray(off + 4, off + 4 + len);
    off += 4 + len + ((4 - (len % 4)) % 4);
  }
  const err = attrs[ATTR.ERROR_CODE];
  return { type, attrs, errorCode: err ? (err[2] & 0x7) * 100 + err[3] : null };
}

function exchange(socket, port, msg) {
  return new Promise((res, rej) => {
    const timer = setTimeout(() => { socket.off('message', onMessage); rej(new Error('no STUN answer')); }, 3000);
    const onMessage = m => { clearTimeout(timer); socket.off('message', onMessage); res(parse(m)); };
    socket.on('message', onMessage);
    socket.send(msg, port, '127.0.0.1');
  });
}

/** Tries an Allocate with these credentials: { ok: true } or { ok: false, errorCode }. */
export async function tryAllocate(port, username, credential) {
  // One socket for both requests: the server binds its nonce to the client's address and port.
  const socket = createSocket('udp4');
  await new Promise(r => socket.bind(0, '127.0.0.1', r));
  try {
    const transport = attr(ATTR.REQUESTED_TRANSPORT, Buffer.from([17, 0, 0, 0]));
    const first = await exchange(socket, port, message(0x0003, randomBytes(12), [transport]));
    if (first.errorCode !== 401) return { ok: first.type === 0x0103, errorCode: first.errorCode };
    const realm = first.attrs[ATTR.REALM], nonce = first.attrs[ATTR.NONCE];
    const key = createHash('md5').update(`${username}:${realm.toString()}:${credential}`).digest();
    const second = await exchange(socket, port, message(0x0003, randomBytes(12),
      [transport, attr(ATTR.USERNAME, Buffer.from(username)), attr(ATTR.REALM, realm), attr(ATTR.NONCE, nonce)], key));
    return second.type === 0x0103 ? { ok: true } : { ok: false, errorCode: second.errorCode };
  } finally {
    socket.close();
  }
}
