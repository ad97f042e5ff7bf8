import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { TestService } from '@crm/testing';
import { fanOut, setRecordOwner } from '../testing/notifications-fixtures';

/** A lead assigned to `userId` through the real fan-out; resolves once committed. */
export async function assignLead(svc: TestService, userId: string, label = `Lead ${randomUUID().slice(0, 8)}`): Promise<string> {
  const leadId = randomUUID();
  await setRecordOwner(svc, 'lead', leadId, userId, { label });
  await fanOut(svc, { eventType: 'lead.assigned', record: { kind: 'lead', id: leadId }, data: { leadId, dueAt: '2026-12-01T02:00:00Z' } });
  return leadId;
}

/** A live stream opened with node:http and read with eventsource-parser, as a test's client. */
export interface SseClient {
  status: number;
  headers: IncomingMessage['headers'];
  events: EventSourceMessage[];
  comments: string[];
  retry?: number;
  /** Resolves once `pick` holds for the events received so far (or rejects after `timeoutMs`). */
  until(pick: (events: EventSourceMessage[]) => boolean, timeoutMs?: number): Promise<EventSourceMessage[]>;
  close(): void;
}

export function openStream(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req: ClientRequest = request(`${baseUrl}${path}`, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const waiters = new Set<() => void>();
      const client: SseClient = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        events: [],
        comments: [],
        until(pick, timeoutMs = 5_000) {
          return new Promise((ok, fail) => {
            const check = () => {
              if (!pick(client.events)) return;
              waiters.delete(check);
              clearTimeout(timer);
              ok(client.events);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`stream: condition not met in ${timeoutMs} ms; got ${JSON.stringify(client.events.map((e) => [e.event, e.id]))}`));
            }, timeoutMs);
            waiters.add(check);
            check();
          });
        },
        close: () => req.destroy(),
      };
      const parser = createParser({
        onEvent: (e) => {
          client.events.push(e);
          for (const w of [...waiters]) w();
        },
        onComment: (c) => client.comments.push(c),
        onRetry: (ms) => (client.retry = ms),
      });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => parser.feed(chunk));
      res.on('error', () => undefined);
      resolve(client);
    });
    req.on('error', reject);
    req.end();
  });
}

export const notificationIds = (events: EventSourceMessage[]) => events.filter((e) => e.event === 'notification').map((e) => e.id);
export const lastUnread = (events: EventSourceMessage[]) => {
  const e = events.filter((x) => x.event === 'unread-count').pop();
  return e ? (JSON.parse(e.data) as { unread: number }).unread : undefined;
};
