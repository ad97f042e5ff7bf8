import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { TEST_JWT_SECRET, type TestSystem } from '@crm/testing';
import { CpuMeter } from '../lib/cpu';
import type { BenchContext } from '../lib/context';
import { AnalyticsEventStream, bulkProducer } from '../lib/event-stream';
import { round } from '../lib/stats';
import { appliedCount } from './s6-analytics-ingest';

const ROOT = resolve(__dirname, '..', '..', '..');
/** Messages per produce request: about 1 MB, under the broker's largest record batch once split by topic and partition. */
const PRODUCE_CHUNK = 2_000;

/**
 * Runs `npm run analytics:rebuild` against the system's database and topics: its wall time, output, and CPU ms of
 * the process and of its database's backends (sampled while it runs: they end with it).
 */
async function runRebuild(system: TestSystem, timeoutMinutes: number): Promise<{ seconds: number; cpuMs: number; pgMs: number; output: string }> {
  const database = new URL(system.databases.analytics.url).pathname.slice(1);
  // Sampled while it runs: the process and its backends end with it.
  const meter = new CpuMeter(new Set([system.prefix]), new Set([database]), 250).start();
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'test',
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    KAFKA_TOPIC_PREFIX: system.prefix,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'warn',
    ANALYTICS_DATABASE_URL: system.databases.analytics.url,
    VAULT_DATABASE_URL: system.vault.url,
  };
  const t0 = performance.now();
  const child = spawn(process.execPath, ['-r', './tools/register.js', 'apps/analytics/src/rebuild.ts', `--timeout-minutes=${timeoutMinutes}`], {
    cwd: ROOT,
    env,
  });
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output = (output + b.toString()).slice(-4_000)));
  child.stderr.on('data', (b: Buffer) => (output = (output + b.toString()).slice(-4_000)));
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  const ms = meter.stop();
  if (code !== 0) throw new Error(`rebuild exited with ${code}: ${output}`);
  return { seconds: (performance.now() - t0) / 1000, cpuMs: ms['analytics-rebuild'] ?? 0, pgMs: ms.postgres ?? 0, output };
}

/**
 * 13. Rebuild: N events of the year fixture (in rounds with fresh ids, as scenario 6) on the topics, the service
 * stopped, then a full rebuild of the read model from the topics (`npm run analytics:rebuild`, a process of its
 * own); its time (boot included) and events/s, and CPU ms per event of the rebuild and of PostgreSQL.
 */
export async function rebuild(ctx: BenchContext, system: TestSystem): Promise<void> {
  const n = Number(process.env.BENCH_REBUILD_EVENTS ?? ctx.scale.rebuildEvents);
  const kafka = await ctx.kafka();
  const producer = await bulkProducer(kafka);
  const stream = new AnalyticsEventStream(system.prefix, 2027);
  const svc = system.services.analytics;
  try {
    // The live consumer applies what is produced until it stops; the rebuild then starts from an empty read model.
    await svc.stop();
    const p0 = performance.now();
    for (let i = 0; i < n; i += PRODUCE_CHUNK) await stream.send(producer, Math.min(PRODUCE_CHUNK, n - i));
    const produceSeconds = (performance.now() - p0) / 1000;
    console.log(`  rebuild: produced ${n} events in ${round(produceSeconds, 1)} s`);
    // Minutes allowed: generous for 10 M events at a few thousand a second.
    const run = await runRebuild(system, Math.max(30, Math.ceil(n / 2_000 / 60)));
    const pgMs = run.pgMs;
    const applied = await appliedCount(system);
    const rate = applied / run.seconds;
    ctx.details.rebuild = { events: n, applied, produceSeconds: round(produceSeconds, 1), seconds: round(run.seconds, 1), cpuMs: run.cpuMs, pgMs };
    const tenMillion = 10_000_000 / rate;
    ctx.row({
      scenario: '13 Rebuild',
      figure: `full rebuild of ${n} events from the topics: events/s`,
      value: round(rate),
      unit: 'events/s',
      goal: 'report',
      met: null,
      note:
        `${applied} applied in ${round(run.seconds, 1)} s (process boot included); at this rate 10 M events take ${round(tenMillion / 60, 1)} min; ` +
        `CPU ms/event rebuild ${round(run.cpuMs / n, 3)}, its database's backends ${round(pgMs / n, 3)}; produced in ${round(produceSeconds, 1)} s`,
    });
    ctx.row({ scenario: '13 Rebuild', figure: `time to rebuild ${n} events`, value: round(run.seconds, 1), unit: 's', goal: 'report', met: null });
    if (applied !== n) throw new Error(`rebuild applied ${applied} of ${n} events`);
  } finally {
    await producer.disconnect();
    await svc.start();
  }
}
