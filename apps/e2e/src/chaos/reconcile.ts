import { readTopic, testKafka } from '@crm/testing';
import { chaosKafkaAdmin, sqlClient, type Run } from './run';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const money = (v: unknown) => Math.round(Number(v ?? 0) * 10_000);

/** SQL across the services' databases: what was accepted exists once, every copy agrees with its source. */
async function snapshot(run: Run) {
  const ids = [...run.acceptedOrders.keys()];
  const leadIds = [...run.acceptedLeads];
  const [orders, inventory, finance, analytics, leads] = await Promise.all(
    ['orders', 'inventory', 'finance', 'analytics', 'leads'].map((s) => sqlClient(run, s)),
  );
  try {
    const q = async <T>(c: typeof orders, text: string, params: unknown[] = []) => (await c.query(text, params)).rows as T[];
    const orderRows = await q<{ id: string; status: string; total: string }>(orders, 'SELECT id, status, total FROM orders WHERE id = ANY($1)', [ids]);
    const byStatus: Record<string, number> = {};
    for (const r of orderRows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    const missingOrders = ids.length - orderRows.length;
    // Orders that confirmed: allocated is where each ends under ample stock.
    const confirmed = await q<{ id: string; total: string }>(orders, `SELECT id, total FROM orders WHERE status IN ('confirmed', 'allocated', 'on_hold')`);
    const unsettled = await q<{ n: number }>(orders, `SELECT count(*)::int AS n FROM orders WHERE status IN ('confirmed', 'on_hold')`);
    const expectedOut = await q<{ sku: string; qty: string }>(
      orders,
      `SELECT l.sku, sum(l.quantity) AS qty FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.status = 'allocated' GROUP BY l.sku`,
    );
    const onHand = await q<{ sku: string; on_hand: number }>(inventory, 'SELECT sku, sum(on_hand)::int AS on_hand FROM stock_levels GROUP BY sku');
    const stockDiffs = onHand
      .map((s) => {
        const out = Number(expectedOut.find((e) => e.sku === s.sku)?.qty ?? 0);
        return { sku: s.sku, expected: (run.initialStock[s.sku] ?? 0) - out, actual: s.on_hand };
      })
      .filter((d) => d.expected !== d.actual);
    const doubleDeducted = await q<{ n: number }>(
      inventory,
      `SELECT count(*)::int AS n FROM (SELECT order_id, sku FROM stock_movements WHERE reason = 'order_deduction' GROUP BY order_id, sku HAVING count(*) > 1) d`,
    );
    const receivables = await q<{ order_id: string; amount: string; n: number }>(
      finance,
      `SELECT order_id, max(amount) AS amount, count(*)::int AS n FROM receivables WHERE status <> 'voided' GROUP BY order_id`,
    );
    const recByOrder = new Map(receivables.map((r) => [r.order_id, r]));
    const missingReceivables = confirmed.filter((o) => !recByOrder.has(o.id)).length;
    const doubleReceivables = receivables.filter((r) => r.n > 1).length;
    const wrongAmounts = confirmed.filter((o) => recByOrder.has(o.id) && money(recByOrder.get(o.id)!.amount) !== money(o.total)).length;
    const [facts] = await q<{ n: number; total: string }>(
      analytics,
      'SELECT count(*)::int AS n, sum(total) AS total FROM order_facts WHERE confirmed_at IS NOT NULL',
    );
    const [sales] = await q<{ n: string; total: string }>(analytics, 'SELECT sum(orders_confirmed) AS n, sum(confirmed_amount) AS total FROM sales_daily');
    const sourceTotal = confirmed.reduce((sum, o) => sum + money(o.total), 0);
    const analyticsStatus = await q<{ order_id: string; status: string }>(analytics, 'SELECT order_id, status FROM order_facts');
    const statusOf = new Map((await q<{ id: string; status: string }>(orders, 'SELECT id, status FROM orders')).map((r) => [r.id, r.status]));
    const statusMismatch = analyticsStatus.filter((f) => statusOf.has(f.order_id) && f.status !== statusOf.get(f.order_id)).length;
    const leadRows = await q<{ id: string; owner_rep_id: string | null; assignments: number }>(
      leads,
      `SELECT l.id, l.owner_rep_id, (SELECT count(*)::int FROM assignments a WHERE a.lead_id = l.id) AS assignments FROM leads l WHERE l.id = ANY($1)`,
      [leadIds],
    );
    const [leadCount] = await q<{ n: number }>(leads, 'SELECT count(*)::int AS n FROM leads');
    const [leadFacts] = await q<{ n: number }>(analytics, 'SELECT count(*)::int AS n FROM lead_facts WHERE captured_at IS NOT NULL');
    const [leadsDaily] = await q<{ n: string }>(analytics, 'SELECT sum(captured) AS n FROM leads_daily');
    // Applied in published order: within a partition, a consumer's inbox rows in offset order never go back in time.
    const outOfOrder: Record<string, number> = {};
    for (const [name, client] of [
      ['inventory', inventory],
      ['finance', finance],
      ['analytics', analytics],
    ] as const) {
      const [{ n }] = await q<{ n: number }>(
        client,
        `
        SELECT count(*)::int AS n FROM (
          SELECT applied_at < max(applied_at) OVER (PARTITION BY consumer, topic, partition ORDER BY "offset" ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS back
          FROM inbox WHERE topic LIKE '%crm.orders.v1') x WHERE back`,
      );
      outOfOrder[name] = n;
    }
    const outbox = await q<{ event_id: string; message_key: string }>(
      orders,
      `SELECT event_id, message_key FROM outbox WHERE topic = 'crm.orders.v1' ORDER BY seq`,
    );
    return {
      byStatus,
      missingOrders,
      unsettled: unsettled[0].n,
      stockDiffs,
      doubleDeducted: doubleDeducted[0].n,
      missingReceivables,
      doubleReceivables,
      wrongAmounts,
      confirmedCount: confirmed.length,
      sourceTotal,
      facts: { n: facts.n, total: money(facts.total) },
      sales: { n: Number(sales.n ?? 0), total: money(sales.total) },
      statusMismatch,
      missingLeads: leadIds.length - leadRows.length,
      ownerless: leadRows.filter((l) => !l.owner_rep_id).length,
      reassigned: leadRows.filter((l) => l.assignments !== 1).length,
      leadCount: leadCount.n,
      leadFacts: leadFacts.n,
      leadsDaily: Number(leadsDaily.n ?? 0),
      outOfOrder,
      outbox,
    };
  } finally {
    await Promise.all([orders, inventory, finance, analytics, leads].map((c) => c.end()));
  }
}

/** Each key's events on the topic, first deliveries in offset order, are in the order the outbox committed them. */
async function publishedOrder(run: Run, outbox: { event_id: string; message_key: string }[]) {
  const messages = await readTopic(await testKafka('chaos-reader'), `${run.system.prefix}crm.orders.v1`);
  const seen = new Set<string>();
  const onTopic = new Map<string, string[]>();
  let redelivered = 0;
  for (const m of messages.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset))) {
    // Structured mode: the event in the value is the record; its `ce_id` header is only a copy.
    const id: string = JSON.parse(m.value ?? '{}').id;
    if (seen.has(id)) {
      redelivered += 1;
      continue;
    }
    seen.add(id);
    onTopic.set(m.key ?? '', [...(onTopic.get(m.key ?? '') ?? []), id]);
  }
  const committed = new Map<string, string[]>();
  for (const r of outbox) committed.set(r.message_key, [...(committed.get(r.message_key) ?? []), r.event_id]);
  let misordered = 0;
  let unpublished = 0;
  for (const [key, ids] of committed) {
    const topicIds = onTopic.get(key) ?? [];
    if (topicIds.length < ids.length) unpublished += 1;
    else if (ids.some((id, i) => topicIds[i] !== id)) misordered += 1;
  }
  return { misordered, unpublished, redelivered, keys: committed.size };
}

/** The consumer groups are stable: the same members in state Stable 10 s apart (no rebalance loop). */
async function groupsStable(run: Run) {
  const admin = chaosKafkaAdmin(run);
  await admin.connect();
  try {
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(run.system.prefix));
    const describe = async () =>
      (await admin.describeGroups(groups)).groups.map(
        (g) =>
          `${g.groupId}:${g.state}:${g.members
            .map((m) => m.memberId)
            .sort()
            .join(',')}`,
      );
    const first = await describe();
    await sleep(10_000);
    const second = await describe();
    const unstable = groups.filter((g, i) => first[i] !== second[i] || !first[i].includes(':Stable:'));
    return { groups: groups.length, unstable };
  } finally {
    await admin.disconnect();
  }
}

export async function reconcile(run: Run, opts: { kills: Record<string, number>; waitMs: number; duplicates: () => Record<string, number> }): Promise<boolean> {
  const deadline = Date.now() + opts.waitMs;
  let s = await snapshot(run);
  const settled = () =>
    s.missingOrders === 0 &&
    s.unsettled === 0 &&
    !s.stockDiffs.length &&
    s.missingReceivables === 0 &&
    s.facts.n === s.confirmedCount &&
    s.leadFacts === s.leadCount &&
    s.ownerless === 0 &&
    s.statusMismatch === 0 &&
    (s.byStatus.submitted ?? 0) === 0;
  while (!settled() && Date.now() < deadline) {
    await sleep(3_000);
    s = await snapshot(run);
  }
  const order = await publishedOrder(run, s.outbox);
  const stable = await groupsStable(run);
  const duplicates = opts.duplicates();
  const totalDuplicates = Object.values(duplicates).reduce((a, b) => a + b, 0);
  // Requests whose whole 2 s budget fell inside a stall; one started in its last 2 s may finish after it, slowly but fine.
  const stallRequests = run.requests.filter((r) => run.stalls.some((st) => r.start >= st.from && r.start < st.to - 2_000));
  const slowStall = stallRequests.filter((r) => r.end - r.start > 2_000 || ![200, 201, 503, 0].includes(r.status));
  const stall503 = stallRequests.filter((r) => r.status === 503).length;
  const maxRecovery = Math.max(0, ...run.recoveries.map((r) => r.ms));
  const p = run.plan;
  const lost =
    s.missingOrders +
    s.unsettled +
    (s.byStatus.submitted ?? 0) +
    s.missingReceivables +
    Math.max(0, s.confirmedCount - s.facts.n) +
    s.missingLeads +
    s.ownerless +
    Math.max(0, s.leadCount - s.leadFacts) +
    order.unpublished;
  const doubled =
    s.doubleDeducted +
    s.doubleReceivables +
    Math.max(0, s.facts.n - s.confirmedCount) +
    Math.max(0, s.leadFacts - s.leadCount) +
    s.reassigned +
    s.stockDiffs.filter((d) => d.actual < d.expected).length;
  const checks: Check[] = [
    {
      name: 'faults injected as planned',
      ok:
        Object.values(opts.kills).every((k) => k >= p.killsPerService) &&
        run.faults.kafka_stop >= p.kafkaGraceful &&
        run.faults.kafka_kill >= p.kafkaKill &&
        run.faults.pg_pause >= p.pgPauses &&
        run.faults.pg_restart >= p.pgRestarts &&
        run.faults.slow_handler >= p.slowHandlers &&
        run.faults.offset_rewind >= p.offsetRewinds,
      detail: `kills ${JSON.stringify(opts.kills)}; ${JSON.stringify(run.faults)}`,
    },
    {
      name: 'every accepted order exists',
      ok: s.missingOrders === 0,
      detail: `${run.acceptedOrders.size} accepted, ${s.missingOrders} missing; statuses ${JSON.stringify(s.byStatus)}`,
    },
    {
      name: 'every accepted order is allocated (saga completed)',
      ok: s.unsettled === 0 && Object.keys(s.byStatus).every((k) => k === 'allocated'),
      detail: JSON.stringify(s.byStatus),
    },
    {
      name: 'stock = initial - allocated quantities, exactly',
      ok: !s.stockDiffs.length && s.doubleDeducted === 0,
      detail: s.stockDiffs.length ? JSON.stringify(s.stockDiffs) : `all SKUs exact; ${s.doubleDeducted} double deductions`,
    },
    {
      name: 'one receivable per confirmed order, right amount',
      ok: s.missingReceivables === 0 && s.doubleReceivables === 0 && s.wrongAmounts === 0,
      detail: `${s.confirmedCount} confirmed: ${s.missingReceivables} missing, ${s.doubleReceivables} doubled, ${s.wrongAmounts} wrong amount`,
    },
    {
      name: 'analytics totals = source totals',
      ok:
        s.facts.n === s.confirmedCount &&
        s.facts.total === s.sourceTotal &&
        s.sales.n === s.confirmedCount &&
        s.sales.total === s.sourceTotal &&
        s.leadFacts === s.leadCount &&
        s.leadsDaily === s.leadCount,
      detail: `orders ${s.facts.n}/${s.sales.n} vs ${s.confirmedCount}, amount ${s.facts.total / 1e4}/${s.sales.total / 1e4} vs ${s.sourceTotal / 1e4}; leads ${s.leadFacts}/${s.leadsDaily} vs ${s.leadCount}`,
    },
    {
      name: 'every lead has exactly one owner',
      ok: s.missingLeads === 0 && s.ownerless === 0 && s.reassigned === 0,
      detail: `${run.acceptedLeads.size} accepted: ${s.missingLeads} missing, ${s.ownerless} without owner, ${s.reassigned} not assigned exactly once`,
    },
    {
      name: 'per-key order: published in commit order, applied in offset order',
      ok: order.misordered === 0 && Object.values(s.outOfOrder).every((n) => n === 0) && s.statusMismatch === 0,
      detail: `${order.keys} keys, ${order.misordered} misordered on the topic; applied out of order ${JSON.stringify(s.outOfOrder)}; analytics status mismatches ${s.statusMismatch}`,
    },
    {
      name: 'duplicates were delivered and absorbed',
      ok: totalDuplicates > 0,
      detail: `inbox duplicates ${JSON.stringify(duplicates)}; ${order.redelivered} re-sent copies on crm.orders.v1`,
    },
    {
      name: 'requests during a database stall fail fast (<= 2 s, 503)',
      ok: run.stalls.length === 0 || (slowStall.length === 0 && stall503 > 0),
      detail: `${stallRequests.length} requests during ${run.stalls.length} stalls: ${stall503} answered 503, ${slowStall.length} slower than 2 s or not 2xx/503, max ${Math.max(0, ...stallRequests.map((r) => r.end - r.start))} ms`,
    },
    {
      name: 'recovery within 30 s after each fault',
      ok: maxRecovery <= 30_000,
      detail: run.recoveries.map((r) => `${r.fault} ${(r.ms / 1000).toFixed(1)} s`).join(', '),
    },
    {
      name: 'no rebalance loop (groups stable)',
      ok: stable.unstable.length === 0,
      detail: `${stable.groups} groups, unstable: ${stable.unstable.join(' ') || 'none'}`,
    },
  ];
  const requests = run.requests.length;
  const statuses: Record<string, number> = {};
  for (const r of run.requests) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  console.log('\n================ chaos reconciliation report ================');
  console.log(`plan ${p.name}; ${requests} requests (by status ${JSON.stringify(statuses)})`);
  console.log(`faults injected: service kills ${JSON.stringify(opts.kills)}, ${JSON.stringify(run.faults)}`);
  console.log(`duplicates absorbed: ${JSON.stringify(duplicates)} (total ${totalDuplicates})`);
  console.log(`lost: ${lost}   double-applied: ${doubled}   max recovery: ${(maxRecovery / 1000).toFixed(1)} s`);
  if (run.cluster) {
    console.log('per fault: recovery, and the longest publish stall (oldest unpublished outbox row) from the fault to its recovery:');
    for (const w of run.windows) {
      console.log(
        `  ${w.fault.padEnd(12)} recovery ${((w.recoveryMs ?? 0) / 1000).toFixed(1)} s, publish stall ${((w.stallMs ?? 0) / 1000).toFixed(1)} s (${w.stallService}), fault to rejoined ${((w.to - w.from) / 1000).toFixed(1)} s`,
      );
    }
  }
  for (const c of checks) console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`);
  for (const r of slowStall.slice(0, 10))
    console.log(
      `  during a stall: ${r.kind} -> ${r.status} in ${r.end - r.start} ms (started ${r.start - run.stalls.find((st) => r.start >= st.from)!.from} ms into it)`,
    );
  const ok = checks.every((c) => c.ok) && lost === 0 && doubled === 0;
  console.log(`================ ${ok ? 'PASSED' : 'FAILED'} ================\n`);
  return ok;
}
