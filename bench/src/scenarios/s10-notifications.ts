import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { TestSystem } from '@crm/testing';
import type { BenchContext } from '../lib/context';
import { openSseClients, startRawSse, waitFor, type SseClients } from '../lib/sse-clients';
import { Latencies, median, round, sleep, type Percentiles } from '../lib/stats';

const SCENARIO = '10 Notifications';
const GOAL_P99_MS = 1_000;
/** Connections inserting the burst, as several fan-out consumers would. */
const WRITERS = 8;
/** How long one burst may take to arrive in full before the rest counts as lost. */
const ARRIVAL_TIMEOUT_MS = 60_000;

interface Burst {
  latency: Percentiles;
  totalMs: number;
  lost: number;
  repeated: number;
  /** When each notification was committed, relative to the first: the raw baseline replays this schedule. */
  schedule: { user: number; atMs: number }[];
}

/**
 * One burst: `count` in-app notifications spread over the users, each inserted and notified in its own
 * transaction as the fan-out does (INSERT + pg_notify with the recipient at commit), from WRITERS connections
 * at once. Latency per notification = its arrival on its user's stream − when its COMMIT returned.
 */
async function burst(dbUrl: string, users: string[], clients: SseClients, count: number): Promise<Burst> {
  const commits = new Map<string, { at: number; user: number }>();
  const writers = await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      const c = new Client({ connectionString: dbUrl });
      await c.connect();
      return c;
    }),
  );
  const repeatedBefore = clients.repeated;
  const started = performance.now();
  try {
    await Promise.all(
      writers.map(async (c, w) => {
        for (let i = w; i < count; i += WRITERS) {
          const user = i % users.length;
          const { rows } = await c.query(
            `WITH n AS (
               INSERT INTO notifications (event_id, recipient_id, type, audience, record_kind, record_id, params, critical, in_app)
               VALUES (gen_random_uuid(), $1, 'lead_assigned', 'owner', 'lead', $2, $3, false, true) RETURNING id, recipient_id)
             SELECT id::text AS id, pg_notify('notifications', recipient_id) FROM n`,
            [users[user], randomUUID(), JSON.stringify({ label: `Bench lead ${i}`, dueAt: new Date().toISOString() })],
          );
          commits.set(rows[0].id, { at: performance.now(), user });
        }
      }),
    );
  } finally {
    await Promise.all(writers.map((c) => c.end()));
  }
  const ids = [...commits.keys()];
  await waitFor(() => ids.every((id) => clients.arrivals.has(id)), ARRIVAL_TIMEOUT_MS);
  const lat = new Latencies();
  let lost = 0;
  let last = started;
  for (const [id, { at }] of commits) {
    const arrived = clients.arrivals.get(id);
    if (arrived === undefined) {
      lost++;
      continue;
    }
    lat.record(Math.max(0, arrived - at)); // the event can beat the COMMIT's answer back to this process
    last = Math.max(last, arrived);
  }
  const first = Math.min(...[...commits.values()].map((c) => c.at));
  const schedule = [...commits.values()].map((c) => ({ user: c.user, atMs: c.at - first })).sort((a, b) => a.atMs - b.atMs);
  return { latency: lat.summary(), totalMs: last - started, lost, repeated: clients.repeated - repeatedBefore, schedule };
}

/** The raw baseline: the same events, on the same schedule, written by a bare node:http SSE server to as many clients. */
async function rawBurst(clients: SseClients, raw: Awaited<ReturnType<typeof startRawSse>>, schedule: Burst['schedule'], data: string, tag: string) {
  const sent = new Map<string, number>();
  const started = performance.now();
  for (let i = 0; i < schedule.length;) {
    const now = performance.now() - started;
    for (; i < schedule.length && schedule[i].atMs <= now; i++) {
      const id = `${tag}-${i}`;
      sent.set(id, started + schedule[i].atMs);
      raw.send(schedule[i].user, id, data);
    }
    await new Promise((r) => setImmediate(r));
  }
  await waitFor(() => [...sent.keys()].every((id) => clients.arrivals.has(id)), ARRIVAL_TIMEOUT_MS);
  const lat = new Latencies();
  let last = started;
  let lost = 0;
  for (const [id, due] of sent) {
    const arrived = clients.arrivals.get(id);
    if (arrived === undefined) lost++;
    else {
      lat.record(Math.max(0, arrived - due));
      last = Math.max(last, arrived);
    }
  }
  return { latency: lat.summary(), totalMs: last - started, lost };
}

/**
 * 10. Live notifications: `sseClients` streams (one user each) on the notifications service, a burst of
 * `sseNotifications` spread over the users, commit → arrival per notification; beside it a bare node:http SSE
 * server writing the same events on the same schedule to as many clients of the same kind.
 */
export async function notifications(ctx: BenchContext, system: TestSystem, token: (claims: object) => string): Promise<void> {
  const { sseClients: userCount, sseNotifications: count } = ctx.scale;
  const svc = system.services.notifications.url;
  const dbUrl = system.databases.notifications.url;
  const users = Array.from({ length: userCount }, () => randomUUID());
  // Half the users have a recipient row in English: the stream renders in each one's language.
  const admin = new Client({ connectionString: dbUrl });
  await admin.connect();
  await admin.query(
    `INSERT INTO recipients (user_id, roles, locale, source) SELECT u, '{sales_rep}', CASE WHEN o % 2 = 0 THEN 'en' ELSE 'zh-CN' END, 'admin' FROM unnest($1::text[]) WITH ORDINALITY AS t(u, o)`,
    [users],
  );
  await admin.end();

  const clients = await openSseClients(
    () => `${svc}/api/v1/notifications/stream`,
    userCount,
    (i) => ({ authorization: `Bearer ${token({ sub: users[i], roles: ['sales_rep'] })}` }),
  );
  const raw = await startRawSse();
  const rawClients = await openSseClients(
    (i) => `${raw.url}/?u=${i}`,
    userCount,
    () => ({}),
  );
  try {
    await burst(dbUrl, users, clients, Math.max(userCount, count / 10)); // warm-up
    const runs: Burst[] = [];
    const rawRuns: Awaited<ReturnType<typeof rawBurst>>[] = [];
    for (let rep = 0; rep < ctx.scale.reps; rep++) {
      const b = await burst(dbUrl, users, clients, count);
      runs.push(b);
      rawRuns.push(await rawBurst(rawClients, raw, b.schedule, clients.sample ?? '{}', `r${rep}`));
      console.log(
        `  [${SCENARIO}] burst ${rep + 1}: p50 ${b.latency.p50} p95 ${b.latency.p95} p99 ${b.latency.p99} max ${b.latency.max} ms, total ${round(b.totalMs)} ms, lost ${b.lost}, repeated ${b.repeated}; raw p99 ${rawRuns[rep].latency.p99} ms`,
      );
      await sleep(1_000);
    }
    const m = (pick: (b: Burst) => number) => round(median(runs.map(pick)), 1);
    const r = (pick: (b: Awaited<ReturnType<typeof rawBurst>>) => number) => round(median(rawRuns.map(pick)), 1);
    const p99 = m((b) => b.latency.p99);
    const lost = runs.reduce((s, b) => s + b.lost, 0);
    const repeated = runs.reduce((s, b) => s + b.repeated, 0);
    const shape = `${userCount.toLocaleString('en-US')} streams, ${count.toLocaleString('en-US')} notifications from ${WRITERS} connections, one transaction each; median of ${ctx.scale.reps} bursts`;
    const rawName = 'bare node:http SSE, same events and schedule';
    for (const [figure, key] of [
      ['commit → stream p50', 'p50'],
      ['commit → stream p95', 'p95'],
    ] as const) {
      ctx.row({
        scenario: SCENARIO,
        figure,
        value: m((b) => b.latency[key]),
        unit: 'ms',
        baseline: { name: rawName, value: r((x) => x.latency[key]), unit: 'ms' },
        goal: '–',
        met: null,
      });
    }
    ctx.row({
      scenario: SCENARIO,
      figure: 'commit → stream p99',
      value: p99,
      unit: 'ms',
      baseline: { name: rawName, value: r((x) => x.latency.p99), unit: 'ms' },
      goal: `p99 <= ${GOAL_P99_MS} ms`,
      met: p99 <= GOAL_P99_MS,
      note: `${shape}; per-burst p99 ${runs.map((b) => b.latency.p99).join(', ')} ms, max ${runs.map((b) => b.latency.max).join(', ')} ms`,
    });
    ctx.row({
      scenario: SCENARIO,
      figure: 'burst: first insert → last arrival',
      value: m((b) => b.totalMs),
      unit: 'ms',
      baseline: { name: rawName, value: r((x) => x.totalMs), unit: 'ms' },
      goal: '–',
      met: null,
    });
    ctx.row({
      scenario: SCENARIO,
      figure: 'notifications lost or repeated',
      value: lost + repeated,
      unit: '',
      goal: '0',
      met: lost + repeated === 0,
      note: `lost ${lost}, repeated ${repeated} over ${ctx.scale.reps} bursts (raw lost ${rawRuns.reduce((s, x) => s + x.lost, 0)})`,
    });
    ctx.details.notifications = { runs: runs.map(({ schedule: _, ...b }) => b), raw: rawRuns };
  } finally {
    clients.closeAll();
    rawClients.closeAll();
    await raw.stop();
  }
}
