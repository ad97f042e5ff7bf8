/**
 * `npm run bench [-- --smoke] [-- --only=http,relay,...]`: brings up the infrastructure (tools/infra.sh up), starts
 * the services each scenario needs on fresh databases and one topic prefix, measures the baselines and the
 * scenarios, and writes bench/results/latest.{json,md} (smoke runs: tmp/bench/). See bench/README.md.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { TEST_JWT_SECRET, startSystem, type TestSystem } from '@crm/testing';
import type { ServiceName } from '@crm/contracts';
import { kafkaBaselines, pgInsertBaseline, pgbenchBaseline } from './baselines';
import { AutovacuumStandIn } from './lib/autovacuum';
import { BenchContext, FULL, SMOKE } from './lib/context';
import { writeResults } from './lib/results';
import { httpOverhead } from './scenarios/s1-http-overhead';
import { leadIntake } from './scenarios/s2-lead-intake';
import { outboxRelay } from './scenarios/s3-outbox-relay';
import { orderConfirmation } from './scenarios/s4-order-confirmation';
import { inboxCost } from './scenarios/s5-inbox-cost';
import { analyticsIngest } from './scenarios/s6-analytics-ingest';
import { dashboardReads } from './scenarios/s7-dashboard-reads';
import { catchUp } from './scenarios/s8-catch-up';
import { customers } from './scenarios/s9-customers';
import { notifications } from './scenarios/s10-notifications';
import { rebuild } from './scenarios/s13-rebuild';
import { gatewayOverhead } from './scenarios/s11-gateway';
import { idle } from './scenarios/s12-idle';

const ROOT = resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',')
  .filter(Boolean);
const ctx = new BenchContext(smoke ? SMOKE : FULL);
const jwt = new JwtService({ secret: TEST_JWT_SECRET });
const token = (claims: object) => jwt.sign({ ...claims }, { expiresIn: '2h' });

const systems: TestSystem[] = [];
const system = async (names: ServiceName[], env: Record<string, string> = {}) => {
  // No per-client rate limit: the load generator is one client.
  // BENCH_SERVICE_NODE_OPTIONS reaches the services (and their migrations), e.g. `--require` of a script that starts
  // the inspector's profiler: Node 20 refuses `--cpu-prof` in NODE_OPTIONS.
  const nodeOptions: Record<string, string> = process.env.BENCH_SERVICE_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVICE_NODE_OPTIONS } : {};
  // OTEL_* (an OTLP endpoint, a sampler) reach the services too: what tracing costs is measured the same way.
  const otel = Object.fromEntries(Object.entries(process.env).filter(([name, value]) => name.startsWith('OTEL_') && value !== undefined)) as Record<
    string,
    string
  >;
  const s = await startSystem(names, { env: { LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0', ...nodeOptions, ...otel, ...env } });
  systems.push(s);
  ctx.prefixes.add(s.prefix); // how the memory sampler finds their processes
  return s;
};

const systemBehindGateway = async (names: ServiceName[]) => {
  const s = await startSystem(names, { env: { LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0' }, gateway: true });
  systems.push(s);
  ctx.prefixes.add(s.prefix);
  return s;
};

const ALL_SERVICES: ServiceName[] = ['leads', 'opportunities', 'orders', 'inventory', 'finance', 'analytics', 'customers', 'notifications'];

type Step = { name: string; needs: Array<'kafka' | 'insert' | 'pgbench'>; run(): Promise<void> };
let leads: TestSystem | undefined;
let analytics: TestSystem | undefined;
/** Stops the systems of the scenarios before it, so PostgreSQL and Kafka serve only this one. */
const alone = async (names: ServiceName[]) => {
  for (const s of systems.splice(0)) await s.stop();
  leads = analytics = undefined;
  return system(names);
};
const STEPS: Step[] = [
  { name: 'http', needs: [], run: async () => httpOverhead(ctx, (leads ??= await system(['leads']))) },
  { name: 'leads', needs: ['pgbench'], run: async () => leadIntake(ctx, (leads ??= await system(['leads'])), token) },
  { name: 'relay', needs: ['kafka'], run: () => outboxRelay(ctx) },
  { name: 'orders', needs: ['pgbench'], run: async () => orderConfirmation(ctx, await system(['orders', 'inventory', 'finance']), token) },
  { name: 'inbox', needs: ['kafka'], run: () => inboxCost(ctx) },
  { name: 'ingest', needs: ['kafka', 'insert'], run: async () => analyticsIngest(ctx, (analytics ??= await system(['analytics'])), token) },
  { name: 'catchup', needs: [], run: async () => catchUp(ctx, (analytics ??= await system(['analytics']))) },
  { name: 'dashboard', needs: [], run: async () => dashboardReads(ctx, await system(['analytics']), token) },
  { name: 'customers', needs: [], run: async () => customers(ctx, await system(['customers']), token) },
  { name: 'notifications', needs: [], run: async () => notifications(ctx, await system(['notifications']), token) },
  { name: 'gateway', needs: [], run: async () => gatewayOverhead(ctx, await systemBehindGateway(['leads']), token) },
  { name: 'idle', needs: [], run: async () => idle(ctx, await alone(ALL_SERVICES)) },
  // Last: the longest (10 M events in a full run), so a run cut short still has every other figure.
  { name: 'rebuild', needs: [], run: async () => rebuild(ctx, await alone(['analytics'])) },
];

async function main() {
  const startedAt = new Date();
  const dir = smoke || only ? join(ROOT, 'tmp', 'bench') : join(ROOT, 'bench', 'results');
  const chosen = STEPS.filter((s) => !only || only.includes(s.name));
  if (only && chosen.length !== only.length) throw new Error(`unknown scenario in --only; known: ${STEPS.map((s) => s.name).join(', ')}`);
  console.log(`bench: ${smoke ? 'smoke' : 'full'} run of ${chosen.map((s) => s.name).join(', ')}; prefix ${ctx.prefix}`);
  if (!process.env.KAFKA_BROKERS || !process.env.DATABASE_URL) {
    execFileSync('bash', ['tools/infra.sh', 'up'], { cwd: ROOT, stdio: 'inherit' });
    process.env.KAFKA_BROKERS ??= '127.0.0.1:9092';
    process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  }
  const sampler = setInterval(() => ctx.sampleServiceMemory(), 1_000);
  const autovacuum = new AutovacuumStandIn(process.env.DATABASE_URL);
  if (await autovacuum.startIfNeeded()) {
    ctx.autovacuumNote =
      "This machine's PostgreSQL has autovacuum off; as production would have it on, the bench ran autovacuum's" +
      ' default thresholds itself every 15 s (ANALYZE after 10 % of rows changed, VACUUM after 20 % dead: bench/src/lib/autovacuum.ts).';
    console.log('bench: autovacuum is off on this server; the bench stands in for it');
  }
  const errors: Record<string, string> = {};
  const needs = new Set(chosen.flatMap((s) => s.needs));
  try {
    const baselines: [string, () => Promise<void>][] = [
      ['kafka', () => kafkaBaselines(ctx)],
      ['insert', () => pgInsertBaseline(ctx)],
      ['pgbench', () => pgbenchBaseline(ctx)],
    ];
    for (const [name, run] of baselines) {
      if (!needs.has(name as never)) continue;
      console.log(`baseline ${name}`);
      await run().catch((err) => {
        errors[`baseline ${name}`] = String(err?.stack ?? err);
        console.error(`baseline ${name} failed: ${errors[`baseline ${name}`]}`);
      });
    }
    for (const step of chosen) {
      const t0 = Date.now();
      console.log(`scenario ${step.name}`);
      try {
        await step.run();
      } catch (err) {
        errors[step.name] = (err as Error)?.stack ?? String(err);
        console.error(`scenario ${step.name} failed: ${errors[step.name]}`);
      }
      ctx.sampleServiceMemory();
      console.log(`scenario ${step.name}: ${Math.round((Date.now() - t0) / 1000)} s`);
      // Written after every scenario too, so a long run that is cut short still leaves what it measured.
      writeResults(ctx, dir, { startedAt, seconds: (Date.now() - startedAt.getTime()) / 1000, only, errors });
    }
  } finally {
    clearInterval(sampler);
    await autovacuum.stop();
    ctx.details.autovacuumStandIn = autovacuum.actions;
    ctx.sampleServiceMemory();
    for (const s of systems) await s.stop().catch((err) => console.error(`stopping services: ${err}`));
    await ctx.cleanup();
  }
  const seconds = (Date.now() - startedAt.getTime()) / 1000;
  const path = writeResults(ctx, dir, { startedAt, seconds, only, errors, final: true });
  console.log(`\nwrote ${path} (${Math.round(seconds)} s)`);
  process.exit(Object.keys(errors).length ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
