/**
 * `npm run test:chaos [-- --quick]`: the system under a steady load of lead intake and order-to-cash while
 * services are SIGKILLed, the broker is stopped and killed, PostgreSQL is paused and restarted and a handler
 * is held longer than the consumer session timeout; then SQL reconciliation across the services' databases.
 * Everything runs on its own throwaway broker and PostgreSQL cluster (never the shared ones). Exit 1 when a
 * goal is missed. See apps/e2e/src/chaos/README.md.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { freePort, startSystem, startThrowawayKafka, startThrowawayPostgres, type TestSystem } from '@crm/testing';
import { reconcile } from './reconcile';
import { FAULT_PLANS } from './plan';
import { admin, CONSUMERS, expectStatus, INITIAL_STOCK, log, ROOT, SERVICES, SKUS, SLOW_SKU, sleep, sqlClient, type Run } from './run';
import { load } from './load';
import { DuplicateCounter, infraFaults, killLoop, type Gate } from './faults';
import { CLUSTER_NODES, CLUSTER_REPLICAS, clusterPlan, PublishStalls } from './cluster';

async function main() {
  const cluster = process.argv.includes('--cluster');
  const base = FAULT_PLANS[process.argv.includes('--quick') ? 'quick' : 'full'];
  const plan = cluster ? clusterPlan(base) : base;
  const started = Date.now();
  log(`plan ${plan.name}${cluster ? ` on ${CLUSTER_NODES} brokers, ${CLUSTER_REPLICAS} replicas per service` : ''}: ${JSON.stringify(plan)}`);
  const kafkaPort = await freePort();
  const [pg, kafka] = await Promise.all([
    startThrowawayPostgres({ port: await freePort() }),
    startThrowawayKafka({ port: kafkaPort, controllerPort: await freePort(), nodes: cluster ? CLUSTER_NODES : 1 }),
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
      replicas: cluster ? CLUSTER_REPLICAS : 1,
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
      cluster,
      windows: [],
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
    for (const node of kafka.nodes) copyFileSync(node.logFile, join(ROOT, 'tmp', 'chaos', node.id === 1 ? 'broker.log' : `broker-${node.id}.log`));
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

async function chaos(run: Run): Promise<boolean> {
  const until = Date.now() + run.plan.durationMs;
  const duplicates = new DuplicateCounter(run);
  const scraping = setInterval(() => Object.keys(run.system.services).forEach((s) => void duplicates.scrape(s)), 2_000);
  const stalls = new PublishStalls(run);
  if (run.cluster) await stalls.start(SERVICES);
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
  await stalls.stop();
  for (const w of run.windows) Object.assign(w, (({ ms, service }) => ({ stallMs: ms, stallService: service }))(stalls.max(w.from, w.to)));
  for (const s of Object.keys(run.system.services)) await duplicates.scrape(s);
  const result = await reconcile(run, { kills: kills as Record<string, number>, waitMs: 180_000, duplicates: () => duplicates.totals() });
  clearInterval(scraping);
  return result;
}

if (require.main === module) void main();
