import { replicaKeys } from '@crm/testing';
import { brokerFault, pickReplica } from './cluster';
import { chaosKafkaAdmin, CONSUMERS, expectStatus, log, REWIND, SESSION_TIMEOUT_MS, SKUS, SLOW_SKU, sleep, sqlClient, type Run } from './run';

/**
 * Inbox duplicates each service absorbed: crm_events_consumed_total{outcome="duplicate"}, summed over incarnations.
 * Counted per process (a service's replicas are `name`, `name-2`), reported per service.
 */
export class DuplicateCounter {
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
    const of = (k: string) => (this.banked[k] ?? 0) + (this.current[k] ?? 0);
    return Object.fromEntries(CONSUMERS.map((s) => [s, replicaKeys(this.run.system, s).reduce((n, k) => n + of(k), 0)]));
  }
}

export async function killLoop(run: Run, gate: Gate, duplicates: DuplicateCounter) {
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
    // With replicas, one of them at random: the other keeps serving and takes over its partitions.
    const target = pickReplica(run, service);
    await duplicates.scrape(target);
    duplicates.bankBeforeKill(target);
    await run.system.services[target].kill();
    kills[service] += 1;
    run.faults.service_kill += 1;
    const killedAt = Date.now();
    const restart = startService(run, target)
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
export async function recovery(run: Run, fault: string, from: number) {
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
export interface Gate {
  quiet: boolean;
  restarting: Map<string, Promise<void>>;
  restarts: number[];
}

export async function infraFaults(run: Run, gate: Gate, duplicates: DuplicateCounter) {
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
    const from = Date.now();
    let end = from;
    let recovered = false;
    const recover = async (at: number) => {
      try {
        await recovery(run, fault, at);
      } catch (err) {
        // Recorded as a recovery that took this long: the report fails it, the run goes on to reconcile.
        log(`${fault}: ${(err as Error).message}`);
        run.recoveries.push({ fault, ms: Date.now() - at });
      }
    };
    switch (fault) {
      case 'kafka_stop':
      case 'kafka_kill':
        if (run.cluster) {
          // One node of three: recovery is measured while it is down (the cluster must carry on without it).
          await brokerFault(run, fault, recover);
          recovered = true;
          break;
        }
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
    if (!recovered) await recover(end);
    run.windows.push({ fault, from, to: Date.now(), recoveryMs: run.recoveries[run.recoveries.length - 1]?.ms });
    gate.quiet = false;
  }
}
