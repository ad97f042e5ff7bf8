import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type ReceivedEvent = EventSourceMessage & { arrivedAt: number };

/** A live stream opened with node:http and read with eventsource-parser, as a test's client. */
export interface SseClient {
  status: number;
  headers: IncomingMessage['headers'];
  /** Each with the time it arrived (ms since the epoch), for latency checks. */
  events: ReceivedEvent[];
  comments: string[];
  retry?: number;
  /** Resolves once `pick` holds for the events received so far (or rejects after `timeoutMs`). */
  until(pick: (events: ReceivedEvent[]) => boolean, timeoutMs?: number): Promise<ReceivedEvent[]>;
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
          client.events.push({ ...e, arrivedAt: Date.now() });
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
