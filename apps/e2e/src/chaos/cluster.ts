import { Client } from 'pg';
import { replicaKeys, underReplicated, type ThrowawayKafkaNode } from '@crm/testing';
import { chaosKafkaAdmin, log, sleep, type Run } from './run';
import type { FaultPlan } from './plan';

/**
 * `--cluster`: the system on a three-broker cluster with two replicas of every service. The broker faults hit
 * one node at a time (the one leading the most partitions of the busiest topics is killed -9, another is
 * stopped gracefully), each restart waits until the node is back in every ISR, and the publish stall of each
 * fault is measured from the outboxes.
 */
export const CLUSTER_NODES = 3;
export const CLUSTER_REPLICAS = 2;
/** The topics the order-to-cash and lead-intake load writes most. */
const BUSIEST = ['crm.orders.v1', 'crm.leads.v1', 'crm.inventory.v1'];

/** The cluster run injects broker and service faults only (the database faults are the single-broker run's). */
export const clusterPlan = (plan: FaultPlan): FaultPlan => ({ ...plan, pgPauses: 0, pgRestarts: 0, slowHandlers: 0, offsetRewinds: 0 });

/** A random process (replica) of the service. */
export function pickReplica(run: Pick<Run, 'system'>, service: string): string {
  const keys = replicaKeys(run.system, service);
  return keys[Math.floor(Math.random() * keys.length)];
}

/** The running node that leads the most partitions of the busiest topics. */
async function busiestLeader(run: Run): Promise<ThrowawayKafkaNode> {
  const admin = chaosKafkaAdmin(run);
  await admin.connect();
  try {
    const topics = BUSIEST.map((t) => `${run.system.prefix}${t}`);
    const { topics: meta } = await admin.fetchTopicMetadata({ topics });
    const leads = new Map<number, number>();
    for (const t of meta) for (const p of t.partitions) leads.set(p.leader, (leads.get(p.leader) ?? 0) + 1);
    const up = run.kafka.nodes.filter((n) => n.running());
    return up.sort((a, b) => (leads.get(b.id) ?? 0) - (leads.get(a.id) ?? 0))[0];
  } finally {
    await admin.disconnect();
  }
}

/** Restarts the node and waits until it is back in the ISR of every partition of the run's topics. */
async function rejoin(run: Run, node: ThrowawayKafkaNode): Promise<void> {
  await node.start();
  const deadline = Date.now() + 120_000;
  for (;;) {
    const short = await underReplicated(run.kafka.brokers, run.system.prefix).catch(() => -1);
    if (short === 0) return;
    if (Date.now() > deadline) throw new Error(`node ${node.id}: ${short} partitions still under-replicated 120 s after its restart`);
    await sleep(500);
  }
}

/**
 * One broker fault of the cluster run: kill -9 the busiest leader, or stop another node gracefully; `recover`
 * measures the system's recovery while that node is down; then the node restarts and rejoins every ISR.
 */
export async function brokerFault(run: Run, fault: 'kafka_kill' | 'kafka_stop', recover: (from: number) => Promise<void>): Promise<void> {
  const leader = await busiestLeader(run);
  const node = fault === 'kafka_kill' ? leader : run.kafka.nodes.find((n) => n !== leader && n.running())!;
  log(`${fault}: node ${node.id} (${node.address})${node === leader ? ', the busiest leader' : ''}`);
  await (fault === 'kafka_kill' ? node.kill() : node.stop());
  await recover(Date.now());
  await sleep(run.plan.kafkaDownMs);
  const restarted = Date.now();
  await rejoin(run, node);
  log(`${fault}: node ${node.id} back in every ISR ${((Date.now() - restarted) / 1000).toFixed(1)} s after its restart`);
}

/**
 * The publish stall: every 250 ms, the age of the oldest unpublished outbox row in each service's database
 * (how long an event committed by a service has been waiting for the broker). Its maximum over a fault and its
 * recovery is that fault's longest stall.
 */
export class PublishStalls {
  private samples: { at: number; service: string; ageMs: number }[] = [];
  private timer?: NodeJS.Timeout;
  private clients: Record<string, Client> = {};

  constructor(private readonly run: Run) {}

  async start(services: string[]) {
    for (const s of services) {
      this.clients[s] = new Client({ connectionString: this.run.system.databases[s].url, connectionTimeoutMillis: 2_000 });
      await this.clients[s].connect();
      this.clients[s].on('error', () => undefined);
    }
    let busy = false;
    this.timer = setInterval(() => {
      if (busy) return;
      busy = true;
      void Promise.all(Object.entries(this.clients).map(([service, c]) => this.sample(service, c))).finally(() => (busy = false));
    }, 250);
  }

  private async sample(service: string, client: Client) {
    const at = Date.now();
    try {
      const { rows } = await client.query(
        'SELECT coalesce(extract(epoch FROM now() - min(created_at)) * 1000, 0)::int AS age FROM outbox WHERE published_at IS NULL',
      );
      this.samples.push({ at, service, ageMs: rows[0].age });
    } catch {
      // a slow answer is not a stall of the broker; the next sample catches up
    }
  }

  /** The longest wait of an unpublished event between from and to, and in which service. */
  max(from: number, to: number): { ms: number; service: string } {
    let worst = { ms: 0, service: '-' };
    for (const s of this.samples) if (s.at >= from && s.at <= to && s.ageMs > worst.ms) worst = { ms: s.ageMs, service: s.service };
    return worst;
  }

  async stop() {
    clearInterval(this.timer);
    await Promise.all(Object.values(this.clients).map((c) => c.end().catch(() => undefined)));
  }
}
