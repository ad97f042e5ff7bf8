import { Agent, createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createParser } from 'eventsource-parser';
import { sleep } from './stats';

/** Where each event arrived: `arrivals.get(id)` is the performance.now() of its first arrival; repeats are counted. */
export interface SseClients {
  arrivals: Map<string, number>;
  repeated: number;
  /** The JSON of one received notification, to size the raw baseline's events alike. */
  sample?: string;
  closeAll(): void;
}

/**
 * `count` SSE clients over node:http (127.0.0.1 only), `headersFor(i)` each, opened `concurrency` at a time;
 * resolves once every stream has answered 200 and sent its first event (or rejects after `timeoutMs`).
 */
export async function openSseClients(
  url: (i: number) => string,
  count: number,
  headersFor: (i: number) => Record<string, string>,
  opts: { concurrency?: number; timeoutMs?: number } = {},
): Promise<SseClients> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(url(0))) throw new Error(`SSE clients connect to 127.0.0.1 only, not ${url(0)}`);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const requests: ReturnType<typeof request>[] = [];
  const clients: SseClients = {
    arrivals: new Map(),
    repeated: 0,
    closeAll: () => {
      for (const r of requests) r.destroy();
      agent.destroy();
    },
  };
  const openOne = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const req = request(url(i), { agent, headers: { accept: 'text/event-stream', ...headersFor(i) } }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`stream ${i}: ${res.statusCode}`));
        let first = true;
        const parser = createParser({
          onEvent: (e) => {
            if (first) {
              first = false;
              resolve();
            }
            if (e.event !== 'notification' || !e.id) return;
            if (clients.arrivals.has(e.id)) clients.repeated++;
            else clients.arrivals.set(e.id, performance.now());
            clients.sample ??= e.data;
          },
        });
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => parser.feed(chunk));
        res.on('error', () => undefined);
      });
      req.on('error', reject);
      req.end();
      requests.push(req);
    });
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  const concurrency = opts.concurrency ?? 50;
  try {
    for (let i = 0; i < count; i += concurrency) {
      if (Date.now() > deadline) throw new Error(`opened ${i} of ${count} streams before the deadline`);
      await Promise.all(Array.from({ length: Math.min(concurrency, count - i) }, (_, k) => openOne(i + k)));
    }
  } catch (err) {
    clients.closeAll();
    throw err;
  }
  return clients;
}

/** Waits until `done()` or the deadline; returns whether it got there. */
export async function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await sleep(10);
  return done();
}

/**
 * The raw baseline: a bare node:http SSE server in this process. Each client opens `/?u=<index>`; `send`
 * writes one event to that client's response, as the service would after its database read.
 */
export async function startRawSse(): Promise<{
  url: string;
  streams: Map<number, ServerResponse>;
  send(user: number, id: string, data: string): void;
  stop(): Promise<void>;
}> {
  const streams = new Map<number, ServerResponse>();
  const server = createServer((req, res) => {
    const user = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('u'));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write('retry: 2000\n\nevent: unread-count\ndata: {"unread":0}\n\n');
    streams.set(user, res);
    req.on('close', () => streams.delete(user));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    streams,
    send(user, id, data) {
      streams.get(user)?.write(`id: ${id}\nevent: notification\ndata: ${data}\n\n`);
    },
    async stop() {
      for (const res of streams.values()) res.end();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
