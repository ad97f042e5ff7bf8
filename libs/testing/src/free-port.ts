import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The kernel's range for outgoing connections' local ports. A port taken with `listen(0)` comes from it, so
 * between the probe and the service's own listen an outgoing connection (to Kafka, PostgreSQL) may take it:
 * EADDRINUSE. Ports below it are only ever taken by a listen.
 */
function ephemeralLow(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

const tryListen = (port: number) =>
  new Promise<boolean>((done) => {
    const server = createServer();
    server.unref();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });

/** A port nothing listens on right now, on 127.0.0.1, outside the range outgoing connections draw from. */
export async function freePort(): Promise<number> {
  const high = ephemeralLow() - 1;
  const low = Math.max(1024, high - 12_000);
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (await tryListen(port)) return port;
  }
  throw new Error(`no free port on 127.0.0.1 between ${low} and ${high}`);
}
