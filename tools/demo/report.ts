// Quotas for the current month, then the check that what the services answer is what was loaded: counts per
// entity and state read back through the list endpoints, and analytics' funnel and sales moved by exactly
// this run's leads, deals and orders. A mismatch fails the run like an unexpected HTTP answer.
import { BusinessCalendar, monthLabel } from '@crm/calendar';
import { listAll, unwrap } from '@crm/api-client';
import { api, eventually, GATEWAY_URL, send } from './client';
import type { LeadsResult } from './leads';
import type { OrderOutcome } from './orders';
import { ADMIN, type People } from './people';
import type { Deal } from './pipeline';

/** The services' business calendar (CRM_TIMEZONE, as they read it): the demo's "today" and "this month" are theirs. */
export const businessCalendar = new BusinessCalendar(process.env.CRM_TIMEZONE?.trim() || undefined);
export const currentMonth = () => monthLabel(businessCalendar.today());

/** Each rep's quota for this month, set by their team's manager (CNY; bigger for the product lines that sell dearer). */
export async function setQuotas(people: People): Promise<number> {
  const period = currentMonth();
  for (const [i, rep] of people.reps.entries()) {
    const amount = (300_000 + (rep.productLines.includes('motors') ? 200_000 : 0) + (i % 3) * 50_000).toFixed(2);
    const manager = api(people.managerOf(rep.team));
    await send(() => manager.PUT('/api/v1/quotas/{period}/{repId}', { params: { path: { period, repId: rep.id } }, body: { amount, currency: 'CNY' } }), {
      // analytics learns a rep's team from rep.upserted; until then the manager is refused.
      notYet: (r) => r.response.status === 403,
    });
  }
  return people.reps.length;
}

export interface AnalyticsCounts {
  funnel: Record<string, number>;
  ordersConfirmed: number;
}

/** Today's funnel cohort and today's confirmed orders, as analytics sees them now. */
export async function analyticsCounts(day: string, nextDay: string): Promise<AnalyticsCounts> {
  const admin = api(ADMIN);
  const funnel = await unwrap(admin.GET('/api/v1/analytics/funnel', { params: { query: { from: day, to: day } } }));
  const stages: Record<string, number> = {};
  for (const s of funnel.series) for (const point of s.points) stages[point.x] = (stages[point.x] ?? 0) + Number(point.y);
  const sales = await unwrap(admin.GET('/api/v1/analytics/sales', { params: { query: { groupBy: 'day', from: day, to: nextDay } } }));
  const ordersConfirmed = sales.series.filter((s) => s.measure === 'orders').reduce((n, s) => n + s.points.reduce((m, p) => m + Number(p.y), 0), 0);
  return { funnel: stages, ordersConfirmed };
}

const tally = <T>(items: T[], key: (item: T) => string) =>
  items.reduce<Record<string, number>>((acc, item) => ((acc[key(item)] = (acc[key(item)] ?? 0) + 1), acc), {});
const line = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort()
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

function same(what: string, planned: Record<string, number>, seen: Record<string, number>) {
  const keys = new Set([...Object.keys(planned), ...Object.keys(seen)]);
  const diff = [...keys].filter((k) => (planned[k] ?? 0) !== (seen[k] ?? 0));
  if (diff.length) throw new Error(`${what}: the API answers ${line(seen)}; the run made ${line(planned)}`);
}

export interface RunFacts {
  tag: string;
  runStart: string;
  day: string;
  nextDay: string;
  leads: LeadsResult;
  deals: Deal[];
  orders: OrderOutcome[];
  baseline: AnalyticsCounts;
}

/** Reads everything back through the APIs, checks it against the run, and returns the lines to print. */
export async function verifyAndSummarise(f: RunFacts): Promise<string[]> {
  const out: string[] = [];
  const mine = new Set(f.leads.worked.map((w) => w.leadId));

  const admin = api(ADMIN);
  const leads = (
    await listAll<{ id: string; status: string }>((cursor) => admin.GET('/api/v1/leads', { params: { query: { from: f.runStart, cursor, limit: 200 } } }))
  ).filter((l) => mine.has(l.id));
  const leadStatus = tally(leads, (l) => l.status);
  // Closed leads cannot move again; open ones may still be (re)assigned by the queue retry, so only these are compared.
  const closed = (c: Record<string, number>) => ({ converted: c.converted ?? 0, disqualified: c.disqualified ?? 0, qualified: c.qualified ?? 0 });
  same('leads by status', closed(tally(f.leads.worked, (w) => w.status)), closed(leadStatus));
  out.push(
    `leads      ${leads.length} (${line(f.leads.captured)}; web form via ${f.leads.webForm}); ${f.leads.merged} repeat submissions merged, ${f.leads.rejectedRows} bad CSV row rejected`,
  );
  out.push(`           by status: ${line(leadStatus)}; ${f.leads.followUps} follow-ups`);
  const overdue = (await listAll((cursor) => admin.GET('/api/v1/follow-ups/overdue', { params: { query: { cursor, limit: 200 } } }))).filter((o) =>
    mine.has(o.leadId),
  );
  out.push(`           ${overdue.length} open leads with an overdue next action (GET /api/v1/follow-ups/overdue)`);

  const dealIds = new Set(f.deals.map((d) => d.opportunityId));
  const opportunities = (
    await listAll<{ id: string; stage: string }>((cursor) => admin.GET('/api/v1/opportunities', { params: { query: { cursor, limit: 200 } } }))
  ).filter((o) => dealIds.has(o.id));
  const stages = tally(opportunities, (o) => o.stage);
  same(
    'opportunities by stage',
    tally(f.deals, (d) => d.target),
    stages,
  );
  out.push(`opps       ${opportunities.length} by stage: ${line(stages)}; ${f.deals.reduce((n, d) => n + d.strategies, 0)} strategy records`);

  const orderIds = new Set(f.orders.map((o) => o.orderId));
  const orders = (
    await listAll<{ id: string; status: string; paymentStatus: string }>((cursor) =>
      admin.GET('/api/v1/orders', { params: { query: { from: f.runStart, cursor, limit: 200 } } }),
    )
  ).filter((o) => orderIds.has(o.id));
  const orderStatus = tally(orders, (o) => o.status);
  same(
    'orders by status',
    tally(f.orders, (o) => o.final),
    orderStatus,
  );
  out.push(`orders     ${orders.length} (${f.orders.filter((o) => o.fromDeal).length} from won deals) by status: ${line(orderStatus)}`);
  out.push(`           'confirmed' is passed by every confirmed order (inventory answers within a second), so none rests there`);
  const alerts = (
    await listAll<{ orderId: string; kind: string }>((cursor) => admin.GET('/api/v1/alerts', { params: { query: { cursor, limit: 200 } } }))
  ).filter((a) => orderIds.has(a.orderId));
  out.push(
    `           alerts: ${line(tally(alerts, (a) => a.kind)) || 'none'}; feedback ${f.orders.filter((o) => o.feedback).length} (complaints ${f.orders.filter((o) => o.complaint).length})`,
  );

  const receivables = (await listAll((cursor) => admin.GET('/api/v1/receivables', { params: { query: { cursor, limit: 200 } } }))).filter((r) =>
    orderIds.has(r.orderId),
  );
  out.push(
    `finance    ${receivables.length} receivables by status: ${line(tally(receivables, (r) => r.status))}; ${f.orders.reduce((n, o) => n + o.payments, 0)} payments`,
  );
  const stock = await listAll((cursor) => admin.GET('/api/v1/stock', { params: { query: { belowReorderPoint: true, cursor, limit: 200 } } }));
  out.push(`inventory  at or below reorder point: ${stock.map((s) => `${s.sku}@${s.warehouseId} ${s.onHand}`).join(', ') || 'none'}`);

  // Analytics is fed by events: wait until this run's leads, deals and orders have all arrived.
  const expected = {
    lead: f.baseline.funnel.lead + f.leads.worked.length,
    opportunity: f.baseline.funnel.opportunity + f.deals.length,
    won: f.baseline.funnel.won + f.deals.filter((d) => d.target === 'won').length,
    ordersConfirmed: f.baseline.ordersConfirmed + f.orders.filter((o) => o.confirmed).length,
  };
  let seen: AnalyticsCounts | undefined;
  try {
    await eventually(
      'analytics to count this run',
      async () => {
        seen = await analyticsCounts(f.day, f.nextDay);
        const ok =
          seen.funnel.lead === expected.lead &&
          seen.funnel.opportunity === expected.opportunity &&
          seen.funnel.won === expected.won &&
          seen.ordersConfirmed === expected.ordersConfirmed;
        return ok ? true : undefined;
      },
      60_000,
    );
  } catch {
    throw new Error(
      `analytics does not add up: expected ${JSON.stringify(expected)}, it answers funnel ${JSON.stringify(seen?.funnel)} and ${seen?.ordersConfirmed} confirmed orders today`,
    );
  }
  out.push(
    `analytics  today's funnel: ${line(seen!.funnel)}; ${seen!.ordersConfirmed} orders confirmed today (this run added ${f.leads.worked.length} leads, ${f.deals.length} opportunities)`,
  );

  const a = GATEWAY_URL;
  const month = currentMonth();
  out.push('', 'try (export TOKEN=$(npm run --silent token)):');
  for (const path of [
    `/api/v1/analytics/funnel?from=${f.day}&to=${f.day}&groupBy=source`,
    `/api/v1/analytics/sales?groupBy=team&currency=CNY`,
    `/api/v1/analytics/pipeline?groupBy=stage`,
    `/api/v1/analytics/forecast?horizon=6&currency=CNY`,
    `/api/v1/analytics/kpis?period=${month}&currency=CNY&by=rep`,
    `/api/v1/analytics/rankings?period=${month}&currency=CNY&by=rep&metric=attainment`,
    `/api/v1/analytics/cycle-time`,
  ])
    out.push(`  curl -s -H "Authorization: Bearer $TOKEN" '${a}${path}'`);
  return out;
}
