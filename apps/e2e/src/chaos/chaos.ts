/**
 * `npm run test:chaos [-- --quick]`: the system under a steady load of lead intake and order-to-cash while
 * services are SIGKILLed, the broker is stopped and killed, PostgreSQL is paused and restarted and a handler
 * is held longer than the consumer session timeout; then SQL reconciliation across the services' databases.
 * Everything runs on its own throwaway broker and PostgreSQL cluster (never the shared ones). Exit 1 when a
 * goal is missed. See apps/e2e/src/chaos/README.md.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import type { ServiceName } from '@crm/contracts';
import { freePort, startSystem, startThrowawayKafka, startThrowawayPostgres, type TestSystem, type ThrowawayKafka, type ThrowawayPostgres } from '@crm/testing';
import { reconcile } from './reconcile';
import { FAULT_PLANS, type FaultPlan } from './plan';

const ROOT = resolve(__dirname, '..', '..', '..', '..');
const SERVICES: ServiceName[] = ['leads', 'orders', 'inventory', 'finance', 'analytics'];
const CONSUMERS: ServiceName[] = ['leads', 'orders', 'inventory', 'finance', 'analytics'];
const SKUS = [
  ['CH-DRILL', 'tools'],
  ['CH-BIT', 'tools'],
  ['CH-PUMP', 'pumps'],
] as const;
const SLOW_SKU = 'CH-SLOW';
const INITIAL_STOCK = 1_000_000;
const SESSION_TIMEOUT_MS = 10_000; // what the services' consumers run with (SESSION_TIMEOUT_MS in libs/messaging's InboxConsumer)
const admin = { sub: 'chaos-admin', roles: ['admin'] };
const REWIND = 50; // messages per partition an offset rewind hands inventory again

const log = (msg: string) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RequestRecord {
  kind: string;
  start: number;
  end: number;
  status: number;
}
export interface Stall {
  from: number;
  to: number;
}

export interface Run {
  plan: FaultPlan;
  system: TestSystem;
  pg: ThrowawayPostgres;
  kafka: ThrowawayKafka;
  rep: { sub: string; roles: string[]; team: string };
  acceptedOrders: Map<string, { total: string; lines: { sku: string; quantity: number }[] }>;
  acceptedLeads: Set<string>;
  requests: RequestRecord[];
  stalls: Stall[];
  faults: Record<string, number>;
  recoveries: { fault: string; ms: number }[];
  duplicates: Record<string, number>;
  initialStock: Record<string, number>;
}

async function main() {
  const plan = FAULT_PLANS[process.argv.includes('--quick') ? 'quick' : 'full'];
  const started = Date.now();
  log(`plan ${plan.name}: ${JSON.stringify(plan)}`);
  const kafkaPort = await freePort();
  const [pg, kafka] = await Promise.all([
    startThrowawayPostgres({ port: await freePort() }),
    startThrowawayKafka({ port: kafkaPort, controllerPort: await freePort() }),
  ]);
  log(`own PostgreSQL ${pg.url}, own Kafka ${kafka.brokers}`);
  // testInfra() (databases, topics, readers) reads these on first use: everything below is on our own infra.
  process.env.KAFKA_BROKERS = kafka.brokers;
  process.env.DATABASE_URL = pg.url;
  let system: TestSystem | undefined;
  let ok = false;
  try {
    system = await startSystem(SERVICES, {
      env: { ORDERS_AUTO_CONFIRM_LIMITS: 'USD:100000000', RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
      readyTimeoutMs: 240_000,
    });
    log(`services up in ${Math.round((Date.now() - started) / 1000)} s`);
    const run: Run = {
      plan,
      system,
      pg,
      kafka,
      rep: { sub: randomUUID(), roles: ['sales_rep'], team: 'north' },
      acceptedOrders: new Map(),
      acceptedLeads: new Set(),
      requests: [],
      stalls: [],
      faults: { service_kill: 0, kafka_stop: 0, kafka_kill: 0, pg_pause: 0, pg_restart: 0, slow_handler: 0, offset_rewind: 0 },
      recoveries: [],
      duplicates: {},
      initialStock: {},
    };
    await setUp(run);
    ok = await chaos(run);
    log(`total ${Math.round((Date.now() - started) / 1000)} s`);
  } catch (err) {
    console.error(err);
    if (system) for (const s of Object.values(system.services)) console.error(s.logs().split('\n').slice(-15).join('\n'));
  } finally {
    if (system) await Promise.all(Object.values(system.services).map((s) => s.kill().catch(() => undefined)));
    // Kept for a post-mortem (tmp/ is git-ignored).
    mkdirSync(join(ROOT, 'tmp', 'chaos'), { recursive: true });
    copyFileSync(kafka.logFile, join(ROOT, 'tmp', 'chaos', 'broker.log'));
    if (system)
      writeFileSync(
        join(ROOT, 'tmp', 'chaos', 'services.log'),
        Object.values(system.services)
          .map((s) => s.logs())
          .join('\n'),
      );
    await Promise.all([pg.destroy(), kafka.destroy()]);
  }
  process.exit(ok ? 0 : 1);
}

async function setUp(run: Run) {
  const { system } = run;
  const inventory = system.as(admin, 'inventory');
  for (const [sku, line] of [...SKUS, [SLOW_SKU, 'tools'] as const]) {
    await inventory
      .put(`/api/v1/items/${sku}`)
      .send({ name: `Item ${sku}`, productLine: line, reorderPoint: 0 })
      .expect((r) => expectStatus(r.status, [200, 201]));
    await inventory.post('/api/v1/stock/receipts').send({ sku, warehouseId: 'main', quantity: INITIAL_STOCK }).expect(201);
    run.initialStock[sku] = INITIAL_STOCK;
  }
  const leads = system.as(admin, 'leads');
  const reps: string[] = [];
  for (let i = 0; i < 4; i++) {
    const res = await leads.post('/api/v1/reps').send({ name: `Chaos Rep ${i}`, email: `rep${i}@chaos.example`, team: 'north', capacity: 100_000 });
    expectStatus(res.status, [201]);
    reps.push(res.body.id);
  }
  expectStatus((await leads.post('/api/v1/assignment-rules').send({ name: 'everyone', position: 1, target: { kind: 'pool', repIds: reps } })).status, [201]);
  const orders = await sqlClient(run, 'orders');
  try {
    const deadline = Date.now() + 60_000;
    while ((await orders.query('SELECT count(*)::int AS n FROM catalogue_items')).rows[0].n < SKUS.length + 1) {
      if (Date.now() > deadline) throw new Error('orders never learned the catalogue');
      await sleep(500);
    }
  } finally {
    await orders.end();
  }
}

function expectStatus(status: number, wanted: number[]) {
  if (!wanted.includes(status)) throw new Error(`unexpected status ${status}, wanted ${wanted.join('/')}`);
}

export async function sqlClient(run: Pick<Run, 'system'>, service: string): Promise<Client> {
  const client = new Client({ connectionString: run.system.databases[service].url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  return client;
}

// ------------------------------------------------------------------ load

async function timed(run: Run, kind: string, fn: () => Promise<{ status: number }>) {
  const start = Date.now();
  let status = 0;
  try {
    status = (await fn()).status;
  } catch {
    status = 0; // connection refused or reset: the service was just killed
  }
  run.requests.push({ kind, start, end: Date.now(), status });
  return status;
}

async function placeOrder(run: Run) {
  const lines = SKUS.filter(() => Math.random() < 0.6).map(([sku]) => ({
    sku,
    productName: sku,
    quantity: 1 + Math.floor(Math.random() * 3),
    unitPrice: '12.34',
  }));
  if (!lines.length) lines.push({ sku: SKUS[0][0], productName: SKUS[0][0], quantity: 1, unitPrice: '12.34' });
  const orders = run.system.as(run.rep, 'orders');
  let id: string | undefined;
  let total = '';
  const key = randomUUID();
  const created = await timed(run, 'order.create', async () => {
    const res = await orders
      .post('/api/v1/orders')
      .set('idempotency-key', key)
      .timeout(15_000)
      .send({ customer: { name: 'Chaos Customer', company: 'Chaos Ltd' }, currency: 'USD', paymentTerms: 'NET30', lines });
    if (res.status === 201) ({ id, total } = res.body);
    return res;
  });
  if (created !== 201 || !id) return;
  run.acceptedOrders.set(id, { total, lines });
  // Submitting is retried until it is accepted (or the order is past it), for as long as a service restart
  // can take here: a draft left behind would never be confirmed.
  for (const deadline = Date.now() + 180_000; Date.now() < deadline;) {
    const status = await timed(run, 'order.submit', () => orders.post(`/api/v1/orders/${id}/submit`).timeout(15_000));
    if (status === 200 || status === 409) return;
    await sleep(1_000);
  }
}

async function captureLead(run: Run) {
  const n = randomUUID();
  let id: string | undefined;
  await timed(run, 'lead.create', async () => {
    const res = await run.system
      .as(admin, 'leads')
      .post('/api/v1/leads')
      .set('idempotency-key', n)
      .timeout(15_000)
      .send({ name: `Lead ${n.slice(0, 8)}`, email: `${n}@chaos.example`, source: 'web_form', region: 'north' });
    if (res.status === 201) id = res.body.id ?? res.body.leadId;
    return res;
  });
  if (id) run.acceptedLeads.add(id);
}

async function load(run: Run, going: () => boolean) {
  const inFlight = new Set<Promise<void>>();
  while (going()) {
    if (inFlight.size < 12) {
      for (const p of [placeOrder(run), captureLead(run)]) {
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      }
    }
    await sleep(1_000 / run.plan.ratePerSecond);
  }
  await Promise.all(inFlight);
}

// ------------------------------------------------------------------ faults

/** Inbox duplicates each service absorbed: crm_events_consumed_total{outcome="duplicate"}, summed over incarnations. */
class DuplicateCounter {
  private banked: Record<string, number> = {};
  private current: Record<string, number> = {};
  constructor(private readonly run: Run) {}

  async scrape(service: string) {
    try {
      const text = await (await fetch(`${this.run.system.services[service].url}/metrics`, { signal: AbortSignal.timeout(1_000) })).text();
      let sum = 0;
      for (const line of text.split('\n'))
        if (line.startsWith('crm_events_consumed_total{') && line.includes('outcome="duplicate"')) sum += Number(line.split(' ').pop());
      // A smaller count is a new process: the old one's count is banked.
      if (sum < (this.current[service] ?? 0)) this.banked[service] = (this.banked[service] ?? 0) + (this.current[service] ?? 0);
      this.current[service] = sum;
    } catch {
      // down or busy: the next scrape catches up
    }
  }

  bankBeforeKill(service: string) {
    this.banked[service] = (this.banked[service] ?? 0) + (this.current[service] ?? 0);
    this.current[service] = 0;
  }

  totals() {
    return Object.fromEntries(CONSUMERS.map((s) => [s, (this.banked[s] ?? 0) + (this.current[s] ?? 0)]));
  }
}

async function killLoop(run: Run, gate: Gate, duplicates: DuplicateCounter) {
  const kills = Object.fromEntries(CONSUMERS.map((s) => [s, 0]));
  const interval = Math.max(1_000, run.plan.durationMs / (run.plan.killsPerService * CONSUMERS.length));
  let i = 0;
  while (CONSUMERS.some((s) => kills[s] < run.plan.killsPerService)) {
    const service = CONSUMERS[i++ % CONSUMERS.length];
    if (kills[service] >= run.plan.killsPerService || gate.restarting.has(service)) {
      await sleep(200);
      continue;
    }
    // A random point within the slot: mid-batch some of the time, since the load keeps every consumer busy.
    await sleep(interval * (0.5 + Math.random()));
    while (gate.quiet) await sleep(200);
    await duplicates.scrape(service);
    duplicates.bankBeforeKill(service);
    await run.system.services[service].kill();
    kills[service] += 1;
    run.faults.service_kill += 1;
    const killedAt = Date.now();
    const restart = startService(run, service)
      .then(() => {
        gate.restarts.push(Date.now() - killedAt);
      })
      .finally(() => gate.restarting.delete(service));
    gate.restarting.set(service, restart);
  }
  await Promise.all(gate.restarting.values());
  log(`kills per service: ${JSON.stringify(kills)}`);
  return kills;
}

async function startService(run: Run, service: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run.system.services[service].start();
    } catch (err) {
      // Not ready within 90 s (the broker was down meanwhile): kill and start again.
      log(`${service} restart attempt ${attempt} failed: ${(err as Error).message.split('\n')[0]}`);
      await run.system.services[service].kill();
      if (attempt >= 5) throw err;
    }
  }
}

/** From the end of a fault until every service is ready and a fresh order is allocated and a fresh lead assigned. */
async function recovery(run: Run, fault: string, from: number) {
  const deadline = from + 240_000;
  for (;;) {
    const ready = await Promise.all(
      Object.values(run.system.services).map((s) =>
        fetch(`${s.url}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then(
          (r) => r.ok,
          () => false,
        ),
      ),
    );
    if (ready.every(Boolean)) break;
    if (Date.now() > deadline) throw new Error(`${fault}: services not ready 240 s after the fault`);
    await sleep(250);
  }
  // Where the time goes, for a post-mortem of a slow recovery.
  const phases: string[] = [];
  const mark = (phase: string) => phases.push(`${phase} ${((Date.now() - from) / 1000).toFixed(1)}`);
  mark('ready');
  const orders = run.system.as(run.rep, 'orders');
  let id: string | undefined;
  while (!id) {
    const res = await orders
      .post('/api/v1/orders')
      .timeout(5_000)
      .send({
        customer: { name: 'Canary' },
        currency: 'USD',
        paymentTerms: 'NET30',
        lines: [{ sku: SKUS[0][0], productName: 'canary', quantity: 1, unitPrice: '1.00' }],
      })
      .catch(() => undefined);
    if (res?.status === 201) id = res.body.id;
    else if (Date.now() > deadline) throw new Error(`${fault}: canary order not accepted`);
    else await sleep(250);
  }
  run.acceptedOrders.set(id, { total: '1.0000', lines: [{ sku: SKUS[0][0], quantity: 1 }] });
  mark('accepted');
  while (
    (
      await orders
        .post(`/api/v1/orders/${id}/submit`)
        .timeout(5_000)
        .catch(() => undefined)
    )?.status !== 200
  ) {
    if (Date.now() > deadline) throw new Error(`${fault}: canary order not submitted`);
    await sleep(250);
  }
  mark('submitted');
  for (;;) {
    const res = await orders
      .get(`/api/v1/orders/${id}`)
      .timeout(5_000)
      .catch(() => undefined);
    if (res?.body?.status === 'allocated') break;
    if (Date.now() > deadline) throw new Error(`${fault}: canary order not allocated 240 s after the fault`);
    await sleep(250);
  }
  const ms = Date.now() - from;
  run.recoveries.push({ fault, ms });
  log(`${fault}: recovered in ${(ms / 1000).toFixed(1)} s (${phases.join(', ')}, allocated)`);
}

/** Locks the slow SKU's stock row so inventory's handler for an order of it blocks past the session timeout. */
async function slowHandler(run: Run) {
  const locker = await sqlClient(run, 'inventory');
  try {
    await locker.query('BEGIN');
    await locker.query(`SELECT * FROM stock_levels WHERE sku = $1 FOR UPDATE`, [SLOW_SKU]);
    const orders = run.system.as(run.rep, 'orders');
    const res = await orders
      .post('/api/v1/orders')
      .timeout(15_000)
      .send({
        customer: { name: 'Slow' },
        currency: 'USD',
        paymentTerms: 'NET30',
        lines: [{ sku: SLOW_SKU, productName: 'slow', quantity: 2, unitPrice: '5.00' }],
      });
    if (res.status !== 201) throw new Error(`slow order not created: ${res.status}`);
    run.acceptedOrders.set(res.body.id, { total: res.body.total, lines: [{ sku: SLOW_SKU, quantity: 2 }] });
    expectStatus((await orders.post(`/api/v1/orders/${res.body.id}/submit`).timeout(15_000)).status, [200]);
    log(`slow handler: inventory blocked on ${SLOW_SKU} for ${(SESSION_TIMEOUT_MS + 10_000) / 1000} s (session timeout ${SESSION_TIMEOUT_MS / 1000} s)`);
    await sleep(SESSION_TIMEOUT_MS + 10_000);
  } finally {
    await locker.query('COMMIT').catch(() => undefined);
    await locker.end();
  }
}

/**
 * A consumer group loses its committed offsets, as after a broker restored from an old snapshot: inventory is
 * killed, its groups are rewound by REWIND messages per partition, and it starts again to be handed events it
 * has already applied. Random kills make such redeliveries only now and then; this one always does.
 */
async function offsetRewind(run: Run, duplicates: DuplicateCounter) {
  const service = 'inventory';
  await duplicates.scrape(service);
  duplicates.bankBeforeKill(service);
  await run.system.services[service].kill();
  const admin = chaosKafkaAdmin(run);
  await admin.connect();
  let rewound = 0;
  try {
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(`${run.system.prefix}${service}.`));
    for (const groupId of groups) {
      // Offsets can only be set once the killed member has left the group (its session timed out).
      const deadline = Date.now() + SESSION_TIMEOUT_MS + 30_000;
      while ((await admin.describeGroups([groupId])).groups[0].state !== 'Empty') {
        if (Date.now() > deadline) throw new Error(`${groupId} still has members ${SESSION_TIMEOUT_MS + 30_000} ms after the kill`);
        await sleep(500);
      }
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
        const low = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.low)]));
        const back = partitions
          .filter((p) => Number(p.offset) > 0)
          .map((p) => {
            const offset = Math.max(low.get(p.partition) ?? 0, Number(p.offset) - REWIND);
            rewound += Number(p.offset) - offset;
            return { partition: p.partition, offset: String(offset) };
          });
        if (back.length) await admin.setOffsets({ groupId, topic, partitions: back });
      }
    }
    log(`offset rewind: ${service}'s groups handed ${rewound} applied events again`);
  } finally {
    await admin.disconnect();
    await startService(run, service);
  }
}

/** Infrastructure faults and their recovery are measured while no service is being killed or restarted. */
interface Gate {
  quiet: boolean;
  restarting: Map<string, Promise<void>>;
  restarts: number[];
}

async function infraFaults(run: Run, gate: Gate, duplicates: DuplicateCounter) {
  const { plan, kafka, pg } = run;
  const schedule: string[] = [];
  const queue = {
    kafka_stop: plan.kafkaGraceful,
    kafka_kill: plan.kafkaKill,
    pg_pause: plan.pgPauses,
    pg_restart: plan.pgRestarts,
    slow_handler: plan.slowHandlers,
    offset_rewind: plan.offsetRewinds,
  } as Record<string, number>;
  while (Object.values(queue).some((n) => n > 0)) {
    for (const kind of Object.keys(queue)) if (queue[kind]-- > 0) schedule.push(kind);
  }
  for (const fault of schedule) {
    await sleep(plan.gapMs);
    gate.quiet = true;
    await Promise.all(gate.restarting.values());
    log(`fault: ${fault}`);
    let end = Date.now();
    switch (fault) {
      case 'kafka_stop':
      case 'kafka_kill':
        await (fault === 'kafka_stop' ? kafka.stop() : kafka.kill());
        await sleep(plan.kafkaDownMs);
        end = Date.now();
        await kafka.start();
        // The clock starts once the broker answers again: its own start-up (JVM, log recovery) is not ours.
        log(`${fault}: broker answers ${((Date.now() - end) / 1000).toFixed(1)} s after its restart`);
        end = Date.now();
        break;
      case 'pg_pause': {
        const stall = { from: Date.now(), to: 0 };
        pg.pause();
        await sleep(10_000);
        pg.resume();
        stall.to = end = Date.now();
        run.stalls.push(stall);
        break;
      }
      case 'pg_restart':
        await pg.restart();
        end = Date.now();
        break;
      case 'slow_handler':
        await slowHandler(run);
        end = Date.now();
        break;
      case 'offset_rewind':
        await offsetRewind(run, duplicates);
        end = Date.now();
        break;
    }
    run.faults[fault] += 1;
    try {
      await recovery(run, fault, end);
    } catch (err) {
      // Recorded as a recovery that took this long: the report fails it, the run goes on to reconcile.
      log(`${fault}: ${(err as Error).message}`);
      run.recoveries.push({ fault, ms: Date.now() - end });
    }
    gate.quiet = false;
  }
}

async function chaos(run: Run): Promise<boolean> {
  const until = Date.now() + run.plan.durationMs;
  const duplicates = new DuplicateCounter(run);
  const scraping = setInterval(() => CONSUMERS.forEach((s) => void duplicates.scrape(s)), 2_000);
  const gate: Gate = { quiet: false, restarting: new Map(), restarts: [] };
  let faulting = true;
  // The load runs for the plan's duration and at least as long as faults are being injected.
  const loading = load(run, () => faulting || Date.now() < until);
  const [kills] = await Promise.all([killLoop(run, gate, duplicates), infraFaults(run, gate, duplicates)]);
  faulting = false;
  await loading;
  const sorted = [...gate.restarts].sort((a, b) => a - b);
  log(
    `load and faults over: ${run.acceptedOrders.size} orders and ${run.acceptedLeads.size} leads accepted; service restart (kill to ready) median ${sorted[sorted.length >> 1]} ms, max ${sorted[sorted.length - 1]} ms`,
  );
  for (const s of CONSUMERS) await duplicates.scrape(s);
  const result = await reconcile(run, { kills: kills as Record<string, number>, waitMs: 180_000, duplicates: () => duplicates.totals() });
  clearInterval(scraping);
  return result;
}

export const chaosKafkaAdmin = (run: Pick<Run, 'kafka'>) =>
  new Kafka({ clientId: 'chaos-check', brokers: [run.kafka.brokers], logLevel: logLevel.NOTHING }).admin();

if (require.main === module) void main();
