import { resolve } from 'node:path';
import { Client } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import type { ServiceName } from '@crm/contracts';
import type { TestSystem, ThrowawayKafka, ThrowawayPostgres } from '@crm/testing';
import type { FaultPlan } from './plan';

/** What every part of a chaos run shares: the system, its infrastructure, and what the load and faults recorded. */
export const ROOT = resolve(__dirname, '..', '..', '..', '..');
export const SERVICES: ServiceName[] = ['leads', 'orders', 'inventory', 'finance', 'analytics'];
export const CONSUMERS: ServiceName[] = ['leads', 'orders', 'inventory', 'finance', 'analytics'];
export const SKUS = [
  ['CH-DRILL', 'tools'],
  ['CH-BIT', 'tools'],
  ['CH-PUMP', 'pumps'],
] as const;
export const SLOW_SKU = 'CH-SLOW';
export const INITIAL_STOCK = 1_000_000;
export const SESSION_TIMEOUT_MS = 10_000; // what the services' consumers run with (SESSION_TIMEOUT_MS in libs/messaging's InboxConsumer)
export const admin = { sub: 'chaos-admin', roles: ['admin'] };
export const REWIND = 50; // messages per partition an offset rewind hands inventory again

export const log = (msg: string) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${msg}`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
  /** --cluster: three brokers, two replicas of each service (cluster.ts). */
  cluster: boolean;
  /** Each infrastructure fault from its start to the end of its recovery, with its longest publish stall (cluster run). */
  windows: { fault: string; from: number; to: number; recoveryMs?: number; stallMs?: number; stallService?: string }[];
  duplicates: Record<string, number>;
  initialStock: Record<string, number>;
}

export function expectStatus(status: number, wanted: number[]) {
  if (!wanted.includes(status)) throw new Error(`unexpected status ${status}, wanted ${wanted.join('/')}`);
}

export async function sqlClient(run: Pick<Run, 'system'>, service: string): Promise<Client> {
  const client = new Client({ connectionString: run.system.databases[service].url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  return client;
}

export const chaosKafkaAdmin = (run: Pick<Run, 'kafka'>) =>
  new Kafka({ clientId: 'chaos-check', brokers: run.kafka.brokers.split(','), logLevel: logLevel.NOTHING }).admin();
