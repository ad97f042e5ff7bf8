import type { TestSystem } from '@crm/testing';
import { AnalyticsEventStream, bulkProducer } from '../lib/event-stream';
import type { BenchContext } from '../lib/context';
import { round, sleep } from '../lib/stats';
import { appliedCount } from './s6-analytics-ingest';

/**
 * 8. Catch-up: analytics under a steady load is stopped for a while (the load goes on), then started; how long
 * until it is back to a steady lag, and how many rebalances its group went through meanwhile.
 */
export async function catchUp(ctx: BenchContext, system: TestSystem): Promise<void> {
  const kafka = await ctx.kafka();
  const producer = await bulkProducer(kafka);
  const stream = new AnalyticsEventStream(system.prefix, 2026);
  const svc = system.services.analytics;
  const capacity = ctx.baselines.analyticsApply ?? 1_000;
  // A third of the measured apply rate: the headroom a consumer is normally sized with.
  const rate = Math.max(10, Math.round(capacity / 3));
  const groupId = `${system.prefix}analytics.events`;
  const admin = kafka.admin();
  await admin.connect();
  let rebalances = 0;
  let lastState = '';
  let watching = false;
  let finished = false;
  const watcher = (async () => {
    while (!finished) {
      const [group] = (await admin.describeGroups([groupId]).catch(() => ({ groups: [] }))).groups;
      const state = group?.state ?? '';
      if (watching && state !== lastState && (state === 'PreparingRebalance' || state === 'CompletingRebalance')) rebalances++;
      lastState = state || 'none';
      await sleep(100);
    }
  })();
  try {
    const base = await appliedCount(system);
    const producedBase = stream.produced;
    const lag = async () => stream.produced - producedBase - ((await appliedCount(system)) - base);
    const load = stream.startAt(producer, rate, true);
    await sleep(ctx.scale.smoke ? 3_000 : 15_000);
    const steadyLag = await lag();
    await svc.stop();
    await sleep(ctx.scale.pauseSeconds * 1000);
    const backlog = await lag();
    watching = true;
    const restartedAt = performance.now();
    await svc.start();
    const readyAfter = (performance.now() - restartedAt) / 1000;
    // Drained: back within one second of events of the steady lag.
    let drained = NaN;
    while (performance.now() - restartedAt < 300_000) {
      if ((await lag()) <= Math.max(steadyLag, 0) + rate) {
        drained = (performance.now() - restartedAt) / 1000;
        break;
      }
      await sleep(250);
    }
    await sleep(1_000);
    watching = false;
    await load.stop();
    ctx.details.catchUp = { rate, steadyLag, backlog, readyAfter, drained, rebalances };
    ctx.row({
      scenario: '8 Catch-up',
      figure: `backlog drain after ${ctx.scale.pauseSeconds} s stopped at ${rate} events/s (${backlog} events behind)`,
      value: round(drained, 1),
      unit: 's',
      goal: 'drains within 60 s',
      met: drained <= 60,
      note: `from the restart (ready after ${round(readyAfter, 1)} s) until the lag is back within ${rate} events of the steady ${steadyLag}; load = a third of the measured apply rate (${capacity}/s)`,
    });
    ctx.row({
      scenario: '8 Catch-up',
      figure: 'rebalances of the analytics group during the catch-up',
      value: rebalances,
      unit: '',
      goal: '<= 2 rebalances',
      met: rebalances <= 2,
      note: 'group state polled every 100 ms (DescribeGroups): entries into PreparingRebalance/CompletingRebalance',
    });
  } finally {
    finished = true;
    await watcher.catch(() => undefined);
    await admin.disconnect();
    await producer.disconnect();
  }
}
