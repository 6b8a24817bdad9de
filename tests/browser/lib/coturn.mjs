// coturn (Debian's turnserver) on loopback with the TURN REST API scheme (use-auth-secret).
import { spawn, execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { freePort } from './node.mjs';

export async function startCoturn(secret) {
  const port = await freePort();
  const minPort = 40000 + Math.floor(Math.random() * 10000);
  const proc = spawn('turnserver', ['-n', '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${port}`,
    `--min-port=${minPort}`, `--max-port=${minPort + 200}`, '--use-auth-secret', `--static-auth-secret=${secret}`,
    '--realm=orleansim', '--no-tls', '--no-dtls', '--no-cli', '--fingerprint', '--allow-loopback-peers',
    '--log-file=stdout', '--simple-log'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', d => { log += d; });
  proc.stderr.on('data', d => { log += d; });
  // Ready once it answers a STUN binding request.
  const deadline = Date.now() + 15_000;
  while (!(await stunBindingAnswers(port))) {
    if (proc.exitCode !== null) throw new Error(`turnserver exited:\n${log}`);
    if (Date.now() > deadline) throw new Error(`turnserver did not start:\n${log}`);
  }
  return {
    port, log: () => log,
    async stop() { proc.kill('SIGTERM'); await new Promise(r => proc.exitCode !== null ? r() : proc.once('exit', r)); },
  };
}

function stunBindingAnswers(port) {
  return new Promise(res => {
    const s = createSocket('udp4');
    const msg = Buffer.alloc(20);
    msg.writeUInt16BE(0x0001, 0); msg.writeUInt16BE(0, 2); msg.writeUInt32BE(0x2112A442, 4);
    for (let i = 8; i < 20; i++) msg[i] = Math.floor(Math.random() * 256);
    const timer = setTimeout(() => { s.close(); res(false); }, 300);
    s.on('message', () => { clearTimeout(timer); s.close(); res(true); });
    s.send(msg, port, '127.0.0.1');
  });
}

/** Runs Debian's turnutils_uclient (allocate + relay a few packets); true when it succeeds. */
export function uclientSucceeds(port, username, credential) {
  try {
    execFileSync('turnutils_uclient', ['-y', '-n', '2', '-m', '1', '-l', '64', '-u', username, '-w', credential, '-p', String(port), '127.0.0.1'],
      { stdio: 'pipe', timeout: 20_000 });
    return true;
  } catch { return false; }
}
