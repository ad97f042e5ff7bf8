import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, startGateway, type RunningGateway } from '@crm/testing';

// The gateway (real nginx, configured by tools/gateway) in front of two replicas of a service, as after
// `npm start -- --replicas 2`: requests are balanced across them, a replica that is down or answers 502/503/504
// is passed over for the requests that are safe to send again, and a POST that reached a replica is never sent
// to a second one.
jest.setTimeout(60_000);

interface Replica {
  url: string;
  hits: Record<string, number>;
  close(): Promise<void>;
}

/** A stand-in replica: counts requests by method and answers every one with `status`. */
async function replica(status: number): Promise<Replica> {
  const hits: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    hits[req.method ?? '?'] = (hits[req.method ?? '?'] ?? 0) + 1;
    req.resume();
    req.on('end', () => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status })));
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('the gateway in front of two replicas', () => {
  const replicas: Replica[] = [];
  const gateways: RunningGateway[] = [];
  const gatewayFor = async (...urls: string[]) => {
    const gateway = await startGateway({ upstreams: { leads: urls.join(',') } });
    gateways.push(gateway);
    return gateway.url;
  };
  const send = async (url: string, method: 'GET' | 'POST', times: number) => {
    const statuses: number[] = [];
    for (let i = 0; i < times; i++) {
      const res = await fetch(`${url}/api/v1/leads`, { method, ...(method === 'POST' && { body: '{}', headers: { 'content-type': 'application/json' } }) });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    return statuses;
  };
  const start = async (status: number) => {
    const r = await replica(status);
    replicas.push(r);
    return r;
  };

  afterAll(async () => {
    for (const g of gateways) await g.stop();
    for (const r of replicas) await r.close();
  });

  it('spreads requests over both replicas', async () => {
    const [a, b] = [await start(200), await start(200)];
    expect(await send(await gatewayFor(a.url, b.url), 'GET', 10)).toEqual(Array(10).fill(200));
    expect([a.hits.GET, b.hits.GET]).toEqual([5, 5]);
  });

  it('sends a POST to a replica once: a 503 from it is the answer, not a reason to try the other', async () => {
    const [failing, healthy] = [await start(503), await start(200)];
    const statuses = await send(await gatewayFor(failing.url, healthy.url), 'POST', 6);
    expect(failing.hits.POST).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 503)).toHaveLength(failing.hits.POST);
    expect(failing.hits.POST + healthy.hits.POST).toBe(6);
  });

  it('passes a GET on from a replica answering 503, and any request on from a replica that is down', async () => {
    const [failing, healthy] = [await start(503), await start(200)];
    expect(await send(await gatewayFor(failing.url, healthy.url), 'GET', 6)).toEqual(Array(6).fill(200));
    expect(healthy.hits.GET).toBe(6);
    expect(failing.hits.GET).toBeGreaterThanOrEqual(1);

    const up = await start(200);
    const down = `http://127.0.0.1:${await freePort()}`; // nothing listens: no replica saw the request
    expect(await send(await gatewayFor(down, up.url), 'POST', 4)).toEqual(Array(4).fill(200));
    expect(up.hits.POST).toBe(4);
  });
});
