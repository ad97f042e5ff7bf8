import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ErpRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/**
 * A stand-in ERP for tests on 127.0.0.1 and a random port: it records every request and answers with the
 * statuses queued in `answers` (then 200), or `downStatus` to every request while that is set (an ERP that
 * keeps refusing, e.g. 401 after a token rotation), with `retryAfter` as the Retry-After of error answers.
 */
export class FakeErp {
  readonly requests: ErpRequest[] = [];
  /** Statuses for the next requests, in order; empty → 200. */
  answers: number[] = [];
  downStatus: number | null = null;
  retryAfter: string | null = null;
  private server?: Server;

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', () => {
        let body: unknown = raw;
        try {
          body = JSON.parse(raw);
        } catch {
          // recorded as text
        }
        this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
        const status = this.downStatus ?? this.answers.shift() ?? 200;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (status >= 400 && this.retryAfter !== null) headers['retry-after'] = this.retryAfter;
        res.writeHead(status, headers).end(JSON.stringify(status < 300 ? { ok: true } : { error: `status ${status}` }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
