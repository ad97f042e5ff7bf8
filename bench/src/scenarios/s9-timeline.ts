import type { Client } from 'pg';
import { decodeCursor } from '@crm/http';
import type { BenchContext } from '../lib/context';
import { Latencies, measureGets, median, round, type Measured } from '../lib/stats';
import { dropIndexes, rebuildIndexes } from './s9-customers-seed';

const SCENARIO = '9 Customers';
const GOAL_MS = 50;
const LIMIT = 50;
type Auth = { authorization: string };

const KINDS: Record<string, string[]> = {
  lead: ['lead.captured', 'lead.assigned', 'lead.followed_up', 'lead.followed_up', 'lead.qualified'],
  opportunity: ['opportunity.created', 'opportunity.stage_changed', 'opportunity.stage_changed', 'opportunity.terms_changed', 'opportunity.won'],
  order: ['order.drafted', 'order.confirmed', 'order.shipped', 'order.delivered', 'order.feedback_received'],
  receivable: ['receivable.created', 'payment.received', 'receivable.overdue', 'payment.received', 'receivable.created'],
};
const kindOf = (rk: string) => `(ARRAY[${KINDS[rk].map((k) => `'${k}'`).join(',')}])[1 + (g / 7) % 5]`;

/**
 * The records the timeline has heard of (`records` of them, 1 in 5 open; a quarter each lead, opportunity, order,
 * receivable) and their entries (`entries`, about 20 a record, over three years). A record's account is skewed
 * (floor(accounts × u²), u uniform): the first accounts have thousands of entries, the median one about 60.
 * 1 in 20 entries is about a contact of the account itself (contact.created), which every caller sees.
 * Functions of pg_temp from s9-customers-seed (same connection).
 */
export const seedSql = (accounts: number, contacts: number, records: number, entries: number) => `
CREATE FUNCTION pg_temp.rec_account(r bigint) RETURNS bigint IMMUTABLE LANGUAGE sql AS
  $$ SELECT 1 + floor(${accounts} * power(((r * 2654435761) % 4294967296)::float8 / 4294967296, 2))::bigint $$;
CREATE FUNCTION pg_temp.rec_rep(r bigint) RETURNS bigint IMMUTABLE LANGUAGE sql AS $$ SELECT pg_temp.rep(r, 3) $$;
INSERT INTO customer_records (record_id, record_kind, account_id, contact_id, link_explicit, rep_id, team, status, open, amount, currency, updated_at)
SELECT pg_temp.uid('d', r), rk, pg_temp.uid('a', pg_temp.rec_account(r)), pg_temp.uid('c', 1 + (r * 31) % ${contacts}), true,
       pg_temp.uid('f', pg_temp.rec_rep(r)), pg_temp.team(pg_temp.rec_rep(r)),
       CASE WHEN r % 5 = 0 THEN 'open' ELSE 'closed' END, r % 5 = 0,
       CASE WHEN rk IN ('opportunity', 'order', 'receivable') THEN 100 + r % 5000 END, CASE WHEN rk <> 'lead' THEN 'USD' END, now()
  FROM (SELECT r, (ARRAY['lead','opportunity','order','receivable'])[1 + r % 4] AS rk FROM generate_series(1::bigint, ${records}) r) s;
SELECT setseed(0.42);
INSERT INTO timeline_entries (id, at, kind, record_kind, record_id, account_id, contact_id, rep_id, team, detail)
SELECT pg_temp.uid('e', g), at, kind, rk, rid, pg_temp.uid('a', pg_temp.rec_account(r)), pg_temp.uid('c', 1 + (r * 31) % ${contacts}),
       rep, team, jsonb_build_object('summary', kind || ' #' || g)
  FROM (SELECT g, r, timestamptz '2023-01-01' + random() * interval '3 years' AS at,
          CASE WHEN g % 20 = 0 THEN 'contact' ELSE (ARRAY['lead','opportunity','order','receivable'])[1 + r % 4] END AS rk,
          CASE WHEN g % 20 = 0 THEN 'contact.created'
               ELSE CASE r % 4 WHEN 0 THEN ${kindOf('lead')} WHEN 1 THEN ${kindOf('opportunity')} WHEN 2 THEN ${kindOf('order')} ELSE ${kindOf('receivable')} END END AS kind,
          CASE WHEN g % 20 = 0 THEN pg_temp.uid('c', 1 + (r * 31) % ${contacts}) ELSE pg_temp.uid('d', r) END AS rid,
          CASE WHEN g % 20 = 0 THEN NULL ELSE pg_temp.uid('f', pg_temp.rec_rep(r)) END AS rep,
          CASE WHEN g % 20 = 0 THEN NULL ELSE pg_temp.team(pg_temp.rec_rep(r)) END AS team
        FROM (SELECT g, 1 + (g * 7919) % ${records} AS r FROM generate_series(1::bigint, ${entries}) g) s) e;`;

export async function seedTimeline(client: Client, accounts: number, contacts: number, entries: number) {
  const records = Math.max(100, Math.round(entries / 20));
  const defs = await dropIndexes(client, ['timeline_entries', 'customer_records']);
  const t0 = performance.now();
  await client.query(seedSql(accounts, contacts, records, entries));
  const rowSeconds = round((performance.now() - t0) / 1000, 1);
  const indexSeconds = await rebuildIndexes(client, defs);
  await client.query('ANALYZE timeline_entries; ANALYZE customer_records');
  return { records, entries, rowSeconds, indexSeconds };
}

interface Item {
  id: string;
  at: string;
}

/** 9 (timeline, seeded by `seedTimeline`). First pages across account sizes, deep pages (cursors 30–40 pages in) on the largest, a rep's view, a kind filter. */
export async function timeline(ctx: BenchContext, client: Client, base: string, admin: Auth, token: (claims: object) => string) {
  const accounts = ctx.scale.customerAccounts;

  // Sizes: the 10 largest accounts, and 30 spread over the rest (by rank), with their entry counts.
  const sized: { n: number; entries: number }[] = (
    await client.query(
      `SELECT n, (SELECT count(*) FROM timeline_entries e WHERE e.account_id = pg_temp.uid('a', n))::int AS entries
         FROM unnest(ARRAY(SELECT generate_series(1, 10) UNION ALL SELECT (10 + i * ${Math.floor((accounts - 10) / 30)}) FROM generate_series(1, 29) i)) n`,
    )
  ).rows;
  const uid = (n: number) => `a0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  const big = sized.slice(0, 10).map((s) => uid(s.n));
  const all = sized.map((s) => uid(s.n));
  ctx.details.timelineAccounts = sized;

  // Deep cursors: walk the largest accounts 40 pages in (as far as they go), keep the cursors of pages 30 to 40.
  const deep: { account: string; cursor: string }[] = [];
  for (const account of big) {
    let cursor: string | null = null;
    for (let page = 1; page <= 40; page++) {
      const url = `${base}/api/v1/accounts/${account}/timeline?limit=${LIMIT}${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await fetch(url, { headers: admin });
      const body = (await res.json()) as { items: Item[]; nextCursor: string | null };
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
      cursor = body.nextCursor;
      if (!cursor) break;
      if (page >= 30 || (ctx.scale.smoke && page >= 2)) deep.push({ account, cursor });
    }
  }
  if (!deep.length) throw new Error('no account has enough entries for a deep page');

  // A rep-scoped caller: the owner of the largest account.
  const [{ owner }] = (await client.query('SELECT owner_rep_id AS owner FROM accounts WHERE id = $1', [big[0]])).rows;
  const rep = { authorization: `Bearer ${token({ sub: owner, roles: ['sales_rep'] })}` };
  const page = (account: string, extra = '') => `${base}/api/v1/accounts/${account}/timeline?limit=${LIMIT}${extra}`;
  const classes: [string, (i: number) => string, Auth, string][] = [
    [
      'first page',
      (i) => page(all[i % all.length]),
      admin,
      `${all.length} accounts, ${Math.min(...sized.map((s) => s.entries))}–${Math.max(...sized.map((s) => s.entries))} entries`,
    ],
    [
      'deep page',
      (i) => page(deep[i % deep.length].account, `&cursor=${deep[i % deep.length].cursor}`),
      admin,
      `${deep.length} cursors 30–40 pages into the 10 largest accounts`,
    ],
    [
      'first page, rep-scoped',
      (i) => page(big[0], i % 2 ? '' : `&cursor=${deep[0].cursor}`),
      rep,
      `the rep owning the largest account; first and deep page alternately`,
    ],
    [
      'first page, kind filter',
      (i) => page(big[i % big.length], '&kind=lead.followed_up,order.feedback_received'),
      admin,
      'two kinds on the 10 largest accounts',
    ],
  ];
  const rate = ctx.scale.smoke ? 5 : 10;
  const results: Record<string, unknown> = {};
  const apis: Record<string, Measured> = {};
  for (const [name, url, auth, what] of classes) {
    for (let i = 0; i < 20; i++) await (await fetch(url(i), { headers: auth })).arrayBuffer(); // warm-up
    const api = await measureGets(ctx.scale, rate, url, auth);
    apis[name] = api;
    results[name] = { api, what };
    console.log(`  [9] timeline ${name}: p50 ${api.p50} p95 ${api.p95} p99 ${api.p99} ms, ${api.failures} failed`);
    ctx.row({
      scenario: SCENARIO,
      figure: `timeline ${name} p95 (GET /api/v1/accounts/:id/timeline)`,
      value: api.p95,
      unit: 'ms',
      goal: `p95 <= ${GOAL_MS} ms`,
      met: api.p95 <= GOAL_MS && !api.failures,
      note: `open loop ${rate}/s for ${ctx.scale.stepSeconds} s × ${ctx.scale.reps} (median): p50 ${api.p50}, p95 ${api.p95}, p99 ${api.p99} ms${api.failures ? `; ${api.failures} failed (${api.firstFailure})` : ''}; ${what}`,
    });
  }

  // Raw: the same first and deep pages in SQL alone, once through the index and once with it switched off.
  const rawFirst = `SELECT * FROM timeline_entries WHERE account_id = $1 ORDER BY at DESC, id DESC LIMIT ${LIMIT + 1}`;
  const rawDeep = `SELECT * FROM timeline_entries WHERE account_id = $1 AND (at, id) < ($2::timestamptz, $3::uuid) ORDER BY at DESC, id DESC LIMIT ${LIMIT + 1}`;
  const cursorArgs = (c: string) => decodeCursor(c).slice(1) as string[];
  const timed = async (runs: [string, unknown[]][]) => {
    const lat = new Latencies();
    for (const [text, params] of runs) {
      const s = performance.now();
      await client.query(text, params);
      lat.record(performance.now() - s);
    }
    return lat.summary();
  };
  const firstRuns: [string, unknown[]][] = all.map((a) => [rawFirst, [a]]);
  const deepRuns: [string, unknown[]][] = deep.map((d) => [rawDeep, [d.account, ...cursorArgs(d.cursor)]]);
  await timed(firstRuns.slice(0, 5));
  const indexed = { first: await timed(firstRuns), deep: await timed(deepRuns) };
  await client.query('SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off');
  const scans = 3;
  const noIndex = { first: await timed(firstRuns.slice(0, scans)), deep: await timed(deepRuns.slice(0, scans)) };
  await client.query('RESET enable_indexscan; RESET enable_bitmapscan; RESET enable_indexonlyscan');
  for (const which of ['first', 'deep'] as const) {
    const api = apis[which === 'first' ? 'first page' : 'deep page'];
    const i = indexed[which];
    const n = noIndex[which];
    console.log(`  [9] raw ${which} page: indexed p50 ${i.p50} p95 ${i.p95} p99 ${i.p99} ms; no index p50 ${n.p50} p95 ${n.p95} ms`);
    ctx.row({
      scenario: SCENARIO,
      figure: `timeline ${which} page: raw scan without index p50 ÷ API p95`,
      value: round(n.p50 / api.p95, 1),
      unit: 'x',
      baseline: { name: 'the same page in SQL, indexes off (sequential scan, p50)', value: n.p50, unit: 'ms' },
      ratio: round(n.p50 / api.p95, 1),
      goal: 'context (no goal)',
      met: null,
      note: `raw SQL through the index: p50 ${i.p50}, p95 ${i.p95}, p99 ${i.p99} ms (${i.count} pages); API p95 ${api.p95} ms includes HTTP, the access check and the ORM`,
    });
    results[`raw ${which}`] = { indexed: i, noIndex: n };
  }
  results.medianApiP95 = median(Object.values(apis).map((a) => a.p95));
  ctx.details.timeline = results;
}
