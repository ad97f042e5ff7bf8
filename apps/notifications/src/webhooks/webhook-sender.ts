import { Injectable } from '@nestjs/common';
import type { AttemptResult } from './webhook-delivery.domain';

function describe(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

/** One POST of a signed body. Redirects are not followed (a 3xx is a failed attempt): the URL is what the owner registered. */
@Injectable()
export class WebhookSender {
  async post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<AttemptResult> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'user-agent': 'sales-crm-notifications', ...headers },
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      // The answer's body is not needed; dropping it frees the connection.
      await res.body?.cancel().catch(() => undefined);
      return { kind: 'answered', status: res.status, retryAfter: res.headers.get('retry-after') };
    } catch (err) {
      return { kind: 'failed', error: describe(err, timeoutMs) };
    }
  }
}
