import type { TestSystem } from '@crm/testing';
import { Client } from 'pg';
import type { BenchContext } from '../lib/context';
import { Latencies, measureGets, round, type Measured } from '../lib/stats';
import { checkFidelity, seedCustomers } from './s9-customers-seed';
import { seedTimeline, timeline } from './s9-timeline';

const SCENARIO = '9 Customers';
const GOAL_MS = 50;

type Auth = { authorization: string };

/** A deterministic pseudo-random sequence, so every run searches for the same fragments. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * What people type, taken from sampled rows: Latin names (a surname, a first name's start, a company stem),
 * Chinese names (surname and given name, a company's brand, city and brand), email fragments (the local part,
 * the company domain) and phone fragments typed with a space ("138 0013").
 */
async function fragments(client: Client, count: number): Promise<Record<string, string[]>> {
  const contacts: { name: string; emails: string[]; phones: string[] }[] = (
    await client.query('SELECT name, emails, phones FROM contacts TABLESAMPLE BERNOULLI (5) REPEATABLE (7) LIMIT 2000')
  ).rows;
  const accounts: { name: string }[] = (await client.query('SELECT name FROM accounts TABLESAMPLE BERNOULLI (20) REPEATABLE (7) LIMIT 1000')).rows;
  const rnd = prng(17);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const han = (s: string) => /\p{Script=Han}/u.test(s);
  const latin = contacts.filter((c) => !han(c.name));
  const chinese = contacts.filter((c) => han(c.name));
  const latinCo = accounts.filter((a) => !han(a.name));
  const chineseCo = accounts.filter((a) => han(a.name));
  const make = (gen: (i: number) => string) => Array.from({ length: count }, (_, i) => gen(i));
  return {
    latin: make((i) => {
      const [first, last] = pick(latin).name.split(' ');
      return [last, first.slice(0, 4), pick(latinCo).name.slice(0, 6)][i % 3];
    }),
    chinese: make((i) => {
      const co = pick(chineseCo).name;
      return [pick(chinese).name.slice(0, 2), pick(chinese).name, co.slice(2, 4), co.slice(0, 4)][i % 4];
    }),
    email: make((i) => {
      const [local, domain] = pick(contacts).emails[0].split('@');
      return i % 2 ? local : domain.replace(/\.example$/, '');
    }),
    phone: make(() => {
      const digits = pick(contacts).phones[0].replace(/\D/g, '');
      const at = 2 + Math.floor(rnd() * (digits.length - 9));
      return `${digits.slice(at, at + 3)} ${digits.slice(at + 3, at + 7)}`;
    }),
  };
}

/** The service's own rows for the fidelity check: written through its API, with inputs that need normalising. */
async function createThroughApi(url: string, auth: Auth): Promise<{ accountId: string; contactId: string }> {
  const post = async (path: string, body: object) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  };
  const accountId = await post('/api/v1/accounts', { name: '北京 华为科技 有限公司', domains: ['https://WWW.Huawei-Bench.example/'] });
  const contactId = await post('/api/v1/contacts', {
    name: 'Ｌｉ Wei',
    emails: [' Li.Wei@Huawei-Bench.EXAMPLE', 'li.wei@huawei-bench.example'],
    phones: ['+86 138-0013 8000', '(010) 6552 9988'],
    accountIds: [accountId],
  });
  return { accountId, contactId };
}

/** The raw baseline: the same fragment as `ILIKE '%fragment%'` over every contact, indexes switched off (a sequential scan). */
async function rawScan(client: Client, frags: string[], limit: number): Promise<Measured & { plan: string }> {
  await client.query('SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off');
  // A phone fragment is looked for as typed and as digits, as the service does.
  const sqlText = `SELECT id, name FROM contacts WHERE search_text ILIKE $1 OR search_text ILIKE $2 ORDER BY created_at DESC, id DESC LIMIT ${limit + 1}`;
  const like = (f: string) => `%${f.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const params = (f: string) => [like(f), /^[\d\s()+.-]+$/.test(f) && f.replace(/\D/g, '').length >= 3 ? like(f.replace(/\D/g, '')) : like(f)];
  const plan = (await client.query(`EXPLAIN ${sqlText}`, params(frags[0]))).rows.map((r) => r['QUERY PLAN']).join('\n');
  await client.query(sqlText, params(frags[0])); // warm-up
  const lat = new Latencies();
  for (const f of frags) {
    const s = performance.now();
    await client.query(sqlText, params(f));
    lat.record(performance.now() - s);
  }
  await client.query('RESET enable_indexscan; RESET enable_bitmapscan; RESET enable_indexonlyscan');
  const s = lat.summary();
  return { p50: s.p50, p95: s.p95, p99: s.p99, requests: s.count, failures: 0, plan };
}

/** 9. Customer search over 1 M contacts (and the account timeline over 10 M entries): p95 against the raw ILIKE scan. */
export async function customers(ctx: BenchContext, system: TestSystem, token: (claims: object) => string): Promise<void> {
  const base = system.services.customers.url;
  const client = new Client({ connectionString: system.databases.customers.url });
  await client.connect();
  try {
    const admin = { authorization: `Bearer ${token({ sub: 'bench-admin', roles: ['admin'] })}` };
    const own = await createThroughApi(base, admin);
    const { customerAccounts: accounts, customerContacts: contacts } = ctx.scale;
    const seeded = await seedCustomers(client, accounts, contacts);
    await checkFidelity(client, own.accountId, own.contactId);
    console.log(`  [9] seeded ${accounts} accounts, ${contacts} contacts in ${seeded.rowSeconds} s, indexes in ${seeded.indexSeconds} s`);
    ctx.details.customersSeed = { accounts, contacts, ...seeded, normalisers: 'replicated in SQL, checked against rows the service wrote' };
    // The records and timeline before any measurement: a rep's search reads the records too (open work).
    const tl = await seedTimeline(client, accounts, contacts, ctx.scale.timelineEntries);
    console.log(`  [9] seeded ${tl.records} records, ${tl.entries} timeline entries in ${tl.rowSeconds} s, indexes in ${tl.indexSeconds} s`);
    ctx.details.timelineSeed = tl;

    const frags = await fragments(client, ctx.scale.smoke ? 20 : 60);
    // A rep sees only the contacts they own (1 in 60): the same Latin fragments through the owner filter.
    const rep = { authorization: `Bearer ${token({ sub: 'f0000000-0000-4000-8000-000000000007', roles: ['sales_rep'] })}` }; // rep 7 of 60
    const classes: [string, string[], Auth][] = [
      ['Latin name/company', frags.latin, admin],
      ['Chinese name/company', frags.chinese, admin],
      ['email', frags.email, admin],
      ['phone', frags.phone, admin],
      ['Latin, rep-scoped', frags.latin, rep],
    ];
    const rate = ctx.scale.smoke ? 5 : 10;
    const results: Record<string, unknown> = {};
    for (const [name, list, auth] of classes) {
      const url = (i: number) => `${base}/api/v1/contacts?q=${encodeURIComponent(list[i % list.length])}`;
      for (let i = 0; i < list.length; i++) await (await fetch(url(i), { headers: auth })).arrayBuffer(); // warm-up: each fragment once
      const api = await measureGets(ctx.scale, rate, url, auth);
      const raw = name.includes('rep') ? undefined : await rawScan(client, list.slice(0, ctx.scale.smoke ? 5 : 9), 50);
      results[name] = { fragments: list, api, raw: raw && { ...raw, plan: undefined }, rawPlan: raw?.plan };
      ctx.row({
        scenario: SCENARIO,
        figure: `search p95, ${name} (GET /api/v1/contacts?q=)`,
        value: api.p95,
        unit: 'ms',
        goal: `p95 <= ${GOAL_MS} ms`,
        met: api.p95 <= GOAL_MS && !api.failures,
        note: `open loop ${rate}/s for ${ctx.scale.stepSeconds} s × ${ctx.scale.reps} (median): p50 ${api.p50}, p95 ${api.p95}, p99 ${api.p99} ms${api.failures ? `; ${api.failures} failed (${api.firstFailure})` : ''}; ${list.length} fragments`,
      });
      console.log(
        `  [9] ${name}: p50 ${api.p50} p95 ${api.p95} p99 ${api.p99} ms, ${api.failures} failed${raw ? `; raw ILIKE p50 ${raw.p50} p95 ${raw.p95} p99 ${raw.p99} ms` : ''}`,
      );
      if (raw) {
        ctx.row({
          scenario: SCENARIO,
          figure: `search ${name}: raw ILIKE scan p95 ÷ API p95`,
          value: round(raw.p95 / api.p95, 1),
          unit: 'x',
          baseline: { name: "raw ILIKE '%fragment%' sequential scan (p95)", value: raw.p95, unit: 'ms' },
          ratio: round(raw.p95 / api.p95, 1),
          goal: 'context (no goal)',
          met: null,
          note: `raw p50 ${raw.p50}, p95 ${raw.p95}, p99 ${raw.p99} ms over ${raw.requests} fragments (SQL alone, no HTTP)`,
        });
      }
    }
    ctx.details.customersSearch = results;
    await timeline(ctx, client, base, admin, token);
  } finally {
    await client.end();
  }
}
