import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { InboxStream, STREAM_BATCH, type StreamDeps } from './inbox-stream';
import type { InboxRow } from './inbox.repository';

class FakeResponse extends EventEmitter {
  written = '';
  writableEnded = false;
  writableLength = 0;
  write(chunk: string) {
    this.written += chunk;
    return true;
  }
  end() {
    this.writableEnded = true;
  }
}

const row = (id: number) => ({ id: String(id) }) as InboxRow;
const ids = (text: string) => [...text.matchAll(/^id: (\d+)$/gm)].map((m) => m[1]);

/** A database of one user's ids, read the way the repository reads them; each read can be held open. */
function fakeDeps(db: number[]) {
  const reads: string[] = [];
  let gate: Promise<void> = Promise.resolve();
  let release = () => undefined as void;
  const deps: StreamDeps = {
    start: async () => ({ top: String(Math.max(0, ...db)), unread: db.length }),
    read: async (_u, cursor, limit) => {
      reads.push(cursor);
      await gate;
      return {
        unread: db.length,
        rows: db
          .filter((id) => id > Number(cursor))
          .slice(0, limit)
          .map(row),
      };
    },
    render: (r) => ({ id: r.id }) as never,
    pushed: () => undefined,
    error: () => undefined,
  };
  return {
    deps,
    reads,
    hold() {
      gate = new Promise((r) => (release = r));
    },
    release: () => release(),
  };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('InboxStream', () => {
  it('coalesces wake-ups: a burst during a read costs one more read, and nothing is sent twice', async () => {
    const db = [1, 2];
    const f = fakeDeps(db);
    const res = new FakeResponse();
    const s = new InboxStream('u', res as unknown as ServerResponse, f.deps, { heartbeatMs: 60_000, onClose: () => undefined });
    await s.open('0');
    await settle();
    expect(ids(res.written)).toEqual(['1', '2']);

    f.hold();
    db.push(3);
    s.wake();
    for (let i = 4; i < 1_004; i++) {
      db.push(i);
      s.wake();
    }
    f.release();
    for (let i = 0; i < 20; i++) await settle();
    expect(f.reads.length).toBeLessThanOrEqual(2 + Math.ceil(1_003 / STREAM_BATCH) + 1);
    expect(ids(res.written)).toEqual(db.map(String));
    s.close();
  });

  it('starts from now with the unread count and sends the count again only when it changes', async () => {
    const db = [5, 6];
    const f = fakeDeps(db);
    const res = new FakeResponse();
    const s = new InboxStream('u', res as unknown as ServerResponse, f.deps, { heartbeatMs: 60_000, onClose: () => undefined });
    await s.open(null);
    await settle();
    expect(ids(res.written)).toEqual([]);
    expect(res.written.match(/event: unread-count/g)).toHaveLength(1);
    db.push(7);
    s.wake();
    await settle();
    expect(ids(res.written)).toEqual(['7']);
    expect(res.written.endsWith('event: unread-count\ndata: {"unread":3}\n\n')).toBe(true);
    s.close();
    expect(res.writableEnded).toBe(true);
  });

  it('drops a client that does not read, so it can reconnect and resume', async () => {
    const f = fakeDeps([1]);
    const res = new FakeResponse();
    let closed = false;
    const s = new InboxStream('u', res as unknown as ServerResponse, f.deps, { heartbeatMs: 60_000, onClose: () => (closed = true) });
    res.writableLength = 5 * 1024 * 1024;
    await s.open('0');
    expect(closed).toBe(true);
    expect(s.isClosed).toBe(true);
  });
});
