// The live notification stream, read with fetch (EventSource cannot send the Authorization header) and parsed
// with eventsource-parser. It reconnects after a drop with a growing, jittered delay, resuming after the last
// notification it saw (Last-Event-ID), so nothing is lost or shown twice.
import { createParser } from 'eventsource-parser';
import type { components } from '@crm/api-client';

export type NotificationItem = components['schemas']['NotificationItemDto'];

export interface StreamHandlers {
  onNotification(item: NotificationItem): void;
  onUnread(unread: number): void;
  /** Each time the stream (re)connects: what was missed meanwhile may be read again. */
  onOpen?(): void;
}

/** The wait before reconnect attempt `attempt` (0-based): from `base` doubling to 30 s, with jitter so clients spread out. */
export function backoffMs(attempt: number, base = 1_000, random = Math.random()): number {
  const ceiling = Math.min(30_000, base * 2 ** Math.min(attempt, 10));
  return Math.round(ceiling * (0.5 + random / 2));
}

/**
 * Opens the stream and keeps it open until `signal` aborts. `getToken` is asked on every (re)connection, so a
 * renewed token is used; no token (signed out) ends it.
 */
export function openNotificationStream(opts: {
  url: string;
  getToken(): string | null;
  language: string;
  signal: AbortSignal;
  handlers: () => StreamHandlers;
}): void {
  let lastEventId: string | undefined;
  let attempt = 0;
  let base = 1_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  opts.signal.addEventListener('abort', () => clearTimeout(timer));

  const connect = async () => {
    const token = opts.getToken();
    if (!token || opts.signal.aborted) return;
    try {
      const res = await fetch(opts.url, {
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'text/event-stream',
          'Accept-Language': opts.language,
          ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}),
        },
        cache: 'no-store',
        signal: opts.signal,
      });
      // An ended session is noticed (and signed out) by the next API call; do not hammer the stream meanwhile.
      if (res.status === 401 || res.status === 403) return;
      if (!res.ok || !res.body) throw new Error(`stream: HTTP ${res.status}`);
      attempt = 0;
      opts.handlers().onOpen?.();
      const parser = createParser({
        onEvent: (e) => {
          if (e.event === 'notification') {
            if (e.id) lastEventId = e.id;
            opts.handlers().onNotification(JSON.parse(e.data) as NotificationItem);
          } else if (e.event === 'unread-count') {
            opts.handlers().onUnread((JSON.parse(e.data) as { unread: number }).unread);
          }
        },
        onRetry: (ms) => (base = Math.max(500, ms)),
      });
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(value);
      }
    } catch {
      // A dropped connection or an unavailable service: try again below, unless we were closed.
    }
    if (opts.signal.aborted) return;
    timer = setTimeout(() => void connect(), backoffMs(attempt++, base));
  };
  void connect();
}
