import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

interface Line {
  sku: string;
  quantity: number;
}

/**
 * A small stand-in ERP for tests (node:http on 127.0.0.1, random port), speaking the protocol of
 * HttpErpConnector: all-or-nothing deductions from one warehouse, idempotent by Idempotency-Key,
 * and switches to answer errors or go slow.
 */
export class FakeErp {
  readonly requests: RecordedRequest[] = [];
  readonly stock = new Map<string, number>();
  warehouseId = 'erp-main';
  /** Every request answers this status while set (an ERP that stays down). */
  downStatus: number | null = null;
  /** The next N requests answer 503, then it recovers. */
  failNext = 0;
  levelsDelayMs = 0;
  requiredToken: string | null = null;
  /** Deductions are refused with this status (a 4xx: the ERP names the request invalid) while set. */
  refuseDeductions: number | null = null;
  private readonly answers = new Map<string, { status: number; body: unknown }>();
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (raw += chunk));
      req.on('end', () => {
        void this.handle(req.method ?? 'GET', req.url ?? '/', req.headers, raw).then(({ status, body }) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(body === undefined ? '' : JSON.stringify(body));
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path.split('?')[0] === path);
  }

  private async handle(method: string, url: string, headers: IncomingHttpHeaders, raw: string) {
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return { status: 400, body: { error: 'bad json' } };
    }
    this.requests.push({ method, path: url, headers, body });
    if (this.downStatus !== null) return { status: this.downStatus, body: { error: 'down' } };
    if (this.failNext > 0) {
      this.failNext--;
      return { status: 503, body: { error: 'try later' } };
    }
    if (this.requiredToken && headers.authorization !== `Bearer ${this.requiredToken}`) return { status: 401, body: { error: 'token' } };

    const path = url.split('?')[0];
    if (method === 'GET' && path === '/stock/levels') {
      if (this.levelsDelayMs) await new Promise((r) => setTimeout(r, this.levelsDelayMs));
      return { status: 200, body: { levels: [...this.stock].map(([sku, onHand]) => ({ sku, warehouseId: this.warehouseId, onHand })), nextCursor: null } };
    }
    if (method === 'POST' && (path === '/stock/deductions' || path === '/stock/releases')) {
      const key = headers['idempotency-key'];
      if (typeof key !== 'string') return { status: 400, body: { error: 'Idempotency-Key required' } };
      const replay = this.answers.get(`${path}:${key}`);
      if (replay) return replay;
      const { lines } = body as { lines: Line[] };
      const refused = path === '/stock/deductions' && this.refuseDeductions;
      // Like a real idempotent ERP it replays a refusal for the same key: a retry must come with a new one.
      const answer = refused
        ? { status: refused, body: { error: 'customer account blocked' } }
        : path === '/stock/deductions'
          ? this.deduct(lines)
          : this.release(lines);
      this.answers.set(`${path}:${key}`, answer);
      return answer;
    }
    return { status: 404, body: { error: 'no route' } };
  }

  private deduct(lines: Line[]) {
    const shortages = lines
      .filter((l) => (this.stock.get(l.sku) ?? 0) < l.quantity)
      .map((l) => ({ sku: l.sku, requested: l.quantity, available: this.stock.get(l.sku) ?? 0 }));
    if (shortages.length) return { status: 409, body: { status: 'insufficient', shortages } };
    for (const l of lines) this.stock.set(l.sku, (this.stock.get(l.sku) ?? 0) - l.quantity);
    return { status: 200, body: { status: 'deducted', warehouseId: this.warehouseId } };
  }

  private release(lines: Line[]) {
    for (const l of lines) this.stock.set(l.sku, (this.stock.get(l.sku) ?? 0) + l.quantity);
    return { status: 200, body: { status: 'released' } };
  }
}
