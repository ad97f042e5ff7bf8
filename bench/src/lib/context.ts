import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { Client } from 'pg';
import type { Kafka } from 'kafkajs';
import { createEvent, type EventEnvelope } from '@crm/contracts';
import { createTestDatabase, deleteTopicsWithPrefix, testInfra, testKafka, uniqueTopicPrefix, type TestDatabase } from '@crm/testing';

/** How big a run is: `--smoke` proves the suite works in seconds; the full run gives the committed figures. */
export interface Scale {
  smoke: boolean;
  reps: number;
  /** Messages for the raw Kafka / pg baselines and the relay and inbox scenarios. */
  messages: number;
  /** Seconds of one fixed-rate or rate-step run. */
  stepSeconds: number;
  /** Scenario 6's hold. */
  holdSeconds: number;
  /** Scenario 7's history. */
  historyOrders: number;
  /** Scenario 9's customers and timeline. */
  customerAccounts: number;
  customerContacts: number;
  timelineEntries: number;
  /** Scenario 12's events on the topics, rebuilt from (BENCH_REBUILD_EVENTS overrides it). */
  rebuildEvents: number;
  /** Scenario 8's pause. */
  pauseSeconds: number;
  httpSeconds: number;
  /** Scenario 10's live streams and the burst of notifications spread over them. */
  sseClients: number;
  sseNotifications: number;
}

export const FULL: Scale = {
  smoke: false,
  reps: 3,
  messages: 20_000,
  stepSeconds: 10,
  holdSeconds: 300,
  historyOrders: 1_000_000,
  customerAccounts: 100_000,
  customerContacts: 1_000_000,
  timelineEntries: 10_000_000,
  rebuildEvents: 10_000_000,
  pauseSeconds: 60,
  httpSeconds: 10,
  sseClients: 1_000,
  sseNotifications: 10_000,
};
export const SMOKE: Scale = {
  smoke: true,
  reps: 3,
  messages: 2_000,
  stepSeconds: 2,
  holdSeconds: 10,
  historyOrders: 20_000,
  customerAccounts: 1_000,
  customerContacts: 10_000,
  timelineEntries: 50_000,
  rebuildEvents: 20_000,
  pauseSeconds: 5,
  httpSeconds: 2,
  sseClients: 100,
  sseNotifications: 1_000,
};

export interface Row {
  scenario: string;
  figure: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number; unit: string };
  ratio?: number;
  goal: string;
  met: boolean | null;
  note?: string;
}

/** What every scenario gets: the scale, shared infrastructure, the baselines measured so far, and a place for rows. */
export class BenchContext {
  readonly prefix = uniqueTopicPrefix();
  readonly rows: Row[] = [];
  readonly baselines: Record<string, number> = {};
  readonly memory: Record<string, number> = {};
  /** Scenario 12's figures per process: CPU ms/s and resident MiB at idle (and the transactions of its database). */
  idle?: Record<string, { cpuMsPerSecond: number; residentMiB: number; txPerSecond?: number }>;
  /** Topic prefixes of the systems started for this run, and its own: their processes are this run's. */
  readonly prefixes = new Set<string>([this.prefix]);
  readonly details: Record<string, unknown> = {};
  /** Set when the server's autovacuum is off and the bench stands in for it (lib/autovacuum.ts). */
  autovacuumNote?: string;
  private readonly databases: TestDatabase[] = [];
  private kafkaClient?: Kafka;

  constructor(readonly scale: Scale) {}

  async kafka(): Promise<Kafka> {
    return (this.kafkaClient ??= await testKafka('bench'));
  }

  async database(prefix: string): Promise<TestDatabase> {
    const db = await createTestDatabase(`bench_${prefix}`);
    this.databases.push(db);
    return db;
  }

  async serverUrl(): Promise<string> {
    return (await testInfra()).databaseUrl;
  }

  row(r: Omit<Row, 'ratio'> & { ratio?: number }): void {
    const ratio = r.ratio ?? (r.baseline && r.baseline.value ? r.value / r.baseline.value : undefined);
    this.rows.push({ ...r, ratio: ratio === undefined ? undefined : Math.round(ratio * 1000) / 1000 });
    const b = r.baseline ? ` vs ${r.baseline.name} ${r.baseline.value} ${r.baseline.unit}` : '';
    console.log(`  [${r.scenario}] ${r.figure}: ${r.value} ${r.unit}${b} → ${r.met === null ? 'n/a' : r.met ? 'met' : 'MISSED'} (${r.goal})`);
  }

  /** Peak resident memory (VmHWM) of every process started with this run's topic prefix, by service. */
  sampleServiceMemory(): void {
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        const env = readFileSync(`/proc/${pid}/environ`, 'utf8');
        if (![...this.prefixes].some((p) => env.includes(`KAFKA_TOPIC_PREFIX=${p}\0`) || env.includes(`BENCH_PREFIX=${p}\0`))) continue;
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        const service = /apps\/([a-z]+)\/src\/main\.ts/.exec(cmd)?.[1] ?? /BENCH_ROLE=([a-z-]+)/.exec(env)?.[1];
        if (!service) continue;
        const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
        this.memory[service] = Math.max(this.memory[service] ?? 0, Math.round(hwm));
      } catch {
        // the process ended between listing and reading
      }
    }
    const self = Math.round(process.memoryUsage().rss / 1024 / 1024);
    this.memory['bench (load generator)'] = Math.max(this.memory['bench (load generator)'] ?? 0, self);
  }

  async cleanup(): Promise<void> {
    for (const db of this.databases.splice(0)) await db.drop().catch(() => undefined);
    if (this.kafkaClient) await deleteTopicsWithPrefix(this.kafkaClient, this.prefix).catch(() => undefined);
  }
}

export async function sql<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  // A connection ended by the server (another run's DROP DATABASE … WITH (FORCE)) fails the query; without a
  // listener its 'error' event would also end the bench.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A contract-valid event of about 1 KiB serialised (`lead.captured` with a message body). */
export function kibEvent(i: number, subject?: string, time?: string): EventEnvelope {
  const leadId = subject ?? crypto.randomUUID();
  const event = createEvent('lead.captured', {
    subject: leadId,
    data: {
      leadId,
      source: 'web_form',
      campaign: 'bench',
      contact: { name: `Bench Lead ${i}`, company: 'Bench Ltd', email: `lead${i}@bench.example` },
      region: 'north',
      message: 'x'.repeat(560),
      capturedAt: new Date().toISOString(),
    },
  });
  return time ? { ...event, time } : event;
}

export const machine = () => ({
  cpus: Number(execFileSync('nproc').toString().trim()),
  cpuModel: /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown',
  memoryGiB: Math.round(Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024 / 1024),
  node: process.version,
  postgres: execFileSync('psql', ['--version']).toString().trim(),
  kafka: 'Apache Kafka 4.1.1 (KRaft, single node, tools/infra.sh)',
});
