// Twelve closed months of history before this month, loaded through the historical import (ADR 0015): the
// seeded year of libs/sample-year (leads, deals, orders, with busy and quiet months) mapped onto the demo's
// reps, catalogue and currencies, posted to leads, opportunities and orders with its original dates, then
// checked in analytics month by month, and the forecasts a running system would have kept are back-filled.
import { unwrap, type components } from '@crm/api-client';
import { generateYear, type GenLead, type GenOpportunity, type GenOrder } from '@crm/sample-year';
import { ITEMS } from './catalogue';
import { api, eventually } from './client';
import { ADMIN, integration, type People, type ProductLine } from './people';

const BATCH = 250;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Calendar-month weights (January first): quiet around the Spring Festival and in summer, busy before year end. */
const SEASON = [0.8, 0.5, 1.0, 1.1, 1.2, 1.0, 0.8, 0.8, 1.1, 1.2, 1.4, 1.6];
const CURRENCY: Record<string, string> = { EUR: 'CNY', USD: 'USD' };
const PRODUCT_LINE: Record<string, ProductLine> = { pumps: 'pumps', valves: 'valves', controls: 'motors' };
const STAGE: Record<string, string> = { qualification: 'needs_analysis', proposal: 'proposal', negotiation: 'negotiation', contract: 'contract' };
type Schemas = components['schemas'];
const NAMES = ['Li Na', 'Wang Jun', 'Zhang Wei', 'Liu Yang', 'Chen Hao', 'Emma Becker', 'Kenji Sato', 'Ana Silva', 'Zhao Lei', 'Sun Mei'];

export interface HistoryResult {
  months: string[];
  imported: Record<'leads' | 'opportunities' | 'orders', { imported: number; alreadyImported: number }>;
  /** Net bookings per month and currency that analytics shows for the history. */
  net: Record<string, Record<string, string>>;
  forecastsStored: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const monthOf = (ms: number) => iso(ms).slice(0, 7);

/** The year: from the first day of the month a year ago up to (not including) this month; nothing later is kept. */
export function historyWindow(now = new Date()): { start: number; end: number } {
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  return { start: Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), 1), end };
}

/** The import records of the seeded year, cut at `end`: a step that would come later has not happened yet. */
export function historyRecords(seed: number, people: People, now = new Date()) {
  const { start, end } = historyWindow(now);
  const firstMonth = new Date(start).getUTCMonth();
  const year = generateYear(
    seed,
    { leads: 400, directOpportunities: 60, directOrders: 80 },
    // Spread past the cut, so the last closed month is as busy as the others (its late deals are still open).
    { start, season: SEASON.map((_, i) => SEASON[(firstMonth + i) % 12]), spanDays: 400 },
  );
  const reps = people.reps.filter((r) => !r.manager);
  const repOf = new Map(year.reps.map((r, i) => [r.repId, reps[i % reps.length]]));
  const past = (ms: number | undefined) => (ms !== undefined && ms < end ? ms : undefined);
  const prefix = `demo-${seed}`;
  const customer = (i: number) => ({ name: NAMES[i % NAMES.length], company: `${NAMES[(i * 7) % NAMES.length].split(' ')[1]} Industrial ${i % 37}` });
  const itemOf = (sku: string) => ITEMS[Number(sku.replace(/\D/g, '')) % ITEMS.length];

  const leadIds = new Map<string, string>();
  const leads = year.leads.flatMap((l: GenLead, i): Schemas['LeadHistoryDto'][] => {
    if (!past(l.capturedAt)) return [];
    const externalId = `${prefix}-lead-${i}`;
    leadIds.set(l.leadId, externalId);
    const rep = l.repId ? repOf.get(l.repId) : undefined;
    const firstFollowUp = past(l.firstFollowUpAt);
    const disqualified = past(l.disqualifiedAt);
    return [
      {
        externalId,
        source: l.source as Schemas['LeadHistoryDto']['source'],
        name: NAMES[i % NAMES.length],
        email: `history.${seed}.${i}@customer.example`,
        region: l.region,
        productInterest: l.productLine ? PRODUCT_LINE[l.productLine] : undefined,
        capturedAt: iso(l.capturedAt),
        ownerRepId: rep?.id,
        assignedAt: rep ? iso(Math.min(l.capturedAt + HOUR, end - 1)) : undefined,
        followUps: firstFollowUp ? [{ at: iso(firstFollowUp), channel: 'call', content: 'first call: needs and budget' }] : undefined,
        qualifiedAt: past(l.qualifiedAt) ? iso(l.qualifiedAt as number) : undefined,
        convertedAt: past(l.convertedAt) ? iso(l.convertedAt as number) : undefined,
        disqualifiedAt: disqualified ? iso(disqualified) : undefined,
        disqualifyReason: disqualified ? 'no budget' : undefined,
      },
    ];
  });

  const ordersByDeal = new Map(year.orders.filter((o) => o.opportunityId).map((o) => [o.opportunityId as string, o]));
  const dealIds = new Map<string, string>();
  const lineOf = (l: GenOrder['lines'][number]) => {
    const item = itemOf(l.sku);
    return { sku: item.sku, productName: item.name, quantity: l.quantity, unitPrice: l.unitPrice, discount: l.discount };
  };
  const opportunities = year.opportunities.flatMap((o: GenOpportunity, i): Schemas['OpportunityHistoryDto'][] => {
    if (!past(o.createdAt) || (o.leadId && !leadIds.has(o.leadId))) return [];
    const externalId = `${prefix}-deal-${i}`;
    const outcome = o.outcome !== 'open' && past(o.closedAt) !== undefined ? o.outcome : undefined;
    const closed = outcome !== undefined;
    const won = closed && o.outcome === 'won' ? ordersByDeal.get(o.opportunityId) : undefined;
    if (won) dealIds.set(o.opportunityId, externalId);
    return [
      {
        externalId,
        leadExternalId: o.leadId ? leadIds.get(o.leadId) : undefined,
        customer: customer(i),
        repId: repOf.get(o.repId)!.id,
        team: repOf.get(o.repId)!.team,
        region: o.region,
        productLine: PRODUCT_LINE[o.productLine],
        expectedAmount: o.expectedAmount,
        currency: CURRENCY[o.currency],
        expectedCloseDate: o.expectedCloseDate,
        createdAt: iso(o.createdAt),
        stage: STAGE[o.stages[0].stage],
        moves: o.stages.slice(1).flatMap((s) => (past(s.at) ? [{ toStage: STAGE[s.stage], at: iso(s.at) }] : [])),
        lines: won?.lines.map(lineOf),
        outcome,
        closedAt: closed ? iso(o.closedAt as number) : undefined,
        lostReason: closed && o.outcome === 'lost' ? 'price' : undefined,
        paymentTerms: won ? 'NET30' : undefined,
      },
    ];
  });

  const orders = year.orders.flatMap((o: GenOrder, i): Schemas['OrderHistoryDto'][] => {
    if (!past(o.confirmedAt) || (o.opportunityId && !dealIds.has(o.opportunityId))) return [];
    const steps: { status: Schemas['StatusChangeHistoryDto']['status']; at: number }[] = [
      { status: 'submitted', at: o.confirmedAt - HOUR / 2 },
      { status: 'confirmed', at: o.confirmedAt },
    ];
    const paid = o.payments.filter((p) => past(p.at));
    const paymentStatus = !paid.length ? 'unpaid' : paid.at(-1)!.outstanding === '0.00' ? 'paid' : 'partially_paid';
    if (o.cancelledAt) steps.push({ status: 'cancelled', at: o.cancelledAt });
    else {
      steps.push({ status: 'allocated', at: o.confirmedAt + HOUR });
      if (o.shippedAt) {
        const delivered = o.shippedAt + 3 * DAY;
        steps.push({ status: 'shipped', at: o.shippedAt }, { status: 'delivered', at: delivered });
        if (paymentStatus === 'paid') steps.push({ status: 'completed', at: Math.max(delivered, paid.at(-1)!.at) + HOUR });
      }
    }
    const done = steps.filter((s) => past(s.at));
    const cancelled = done.some((s) => s.status === 'cancelled');
    return [
      {
        externalId: `${prefix}-order-${i}`,
        opportunityExternalId: o.opportunityId ? dealIds.get(o.opportunityId) : undefined,
        customer: customer(i + 1000),
        repId: repOf.get(o.repId)!.id,
        team: repOf.get(o.repId)!.team,
        region: o.region,
        currency: CURRENCY[o.currency],
        lines: o.lines.map(lineOf),
        createdAt: iso(o.confirmedAt - HOUR),
        statusChanges: done.map((s) => ({ status: s.status, at: iso(s.at) })),
        paymentStatus,
        carrier: done.some((s) => s.status === 'shipped') ? 'SF Express' : undefined,
        trackingNumber: done.some((s) => s.status === 'shipped') ? `SF${String(i).padStart(8, '0')}` : undefined,
        cancelReason: cancelled ? 'customer changed their plans' : undefined,
      },
    ];
  });
  const months = Array.from({ length: 12 }, (_, i) => monthOf(Date.UTC(new Date(start).getUTCFullYear(), new Date(start).getUTCMonth() + i, 1)));
  return { start, end, months, leads, opportunities, orders };
}

type Records = ReturnType<typeof historyRecords>;
type ImportAnswer = { imported: number; alreadyImported: number; records: { externalId: string; outcome: string }[] };

/** Posts the records in batches, each one request to the owning service's import. */
async function importAll<T>(list: T[], post: (batch: T[]) => Promise<ImportAnswer>): Promise<ImportAnswer> {
  const total: ImportAnswer = { imported: 0, alreadyImported: 0, records: [] };
  for (let i = 0; i < list.length; i += BATCH) {
    const body = await post(list.slice(i, i + BATCH));
    total.imported += body.imported;
    total.alreadyImported += body.alreadyImported;
    total.records.push(...body.records);
  }
  return total;
}

/** Confirmed and cancelled amounts per month and currency, as analytics reports them. */
async function bookings(r: Pick<Records, 'start' | 'end'>): Promise<Record<string, Record<string, { confirmed: string; cancelled: string; net: string }>>> {
  const query = { groupBy: 'month' as const, from: iso(r.start).slice(0, 10), to: iso(r.end - DAY).slice(0, 10) };
  const body = await unwrap(api(ADMIN).GET('/api/v1/analytics/sales', { params: { query } }));
  const out: Record<string, Record<string, { confirmed: string; cancelled: string; net: string }>> = {};
  for (const s of body.series) {
    if (!s.currency || !['confirmed', 'cancelled', 'net'].includes(s.measure)) continue;
    for (const p of s.points)
      ((out[p.x.slice(0, 7)] ??= {})[s.currency] ??= { confirmed: '0.00', cancelled: '0.00', net: '0.00' })[s.measure as 'net'] = String(p.y);
  }
  return out;
}

const cents = (amount: string | undefined) => Math.round(Number(amount ?? '0') * 100);

/** Imports the year, waits until analytics shows this run's new orders in their months, and back-fills the forecasts. */
export async function importHistory(seed: number, people: People): Promise<HistoryResult> {
  const r = historyRecords(seed, people);
  const before = await bookings(r);
  const history = api(integration('history'));
  const leads = await importAll(r.leads, (batch) => unwrap(history.POST('/api/v1/history/leads', { body: { leads: batch } })));
  const opportunities = await importAll(r.opportunities, (batch) => unwrap(history.POST('/api/v1/history/opportunities', { body: { opportunities: batch } })));
  const orders = await importAll(r.orders, (batch) => unwrap(history.POST('/api/v1/history/orders', { body: { orders: batch } })));

  // What analytics must add per month and currency: the orders imported now (not those of an earlier run).
  const fresh = new Set(orders.records.filter((x) => x.outcome === 'imported').map((x) => x.externalId));
  const expected = new Map<string, number>();
  const add = (at: string, currency: string, amount: number) =>
    expected.set(`${at.slice(0, 7)}|${currency}`, (expected.get(`${at.slice(0, 7)}|${currency}`) ?? 0) + amount);
  for (const o of r.orders.filter((x) => fresh.has(x.externalId))) {
    const total = o.lines.reduce((sum, l) => sum + cents(l.unitPrice) * l.quantity - cents(l.discount), 0);
    for (const s of o.statusChanges ?? []) if (s.status === 'confirmed') add(s.at, o.currency, total);
    for (const s of o.statusChanges ?? []) if (s.status === 'cancelled') add(s.at, o.currency, -total);
  }
  const net = await eventually(
    'analytics to place the imported orders in their months',
    async () => {
      const now = await bookings(r);
      const off = r.months.flatMap((m) =>
        ['CNY', 'USD'].filter((c) => cents(now[m]?.[c]?.net) - cents(before[m]?.[c]?.net) !== (expected.get(`${m}|${c}`) ?? 0)).map((c) => `${m} ${c}`),
      );
      return off.length ? undefined : now;
    },
    180_000,
  );
  const backfill = await unwrap(history.POST('/api/v1/analytics/forecast/snapshots/backfill', { body: { from: r.months[3], to: r.months[11] } }));
  return {
    months: r.months,
    imported: { leads, opportunities, orders },
    net: Object.fromEntries(r.months.map((m) => [m, Object.fromEntries(Object.entries(net[m] ?? {}).map(([c, v]) => [c, v.net]))])),
    forecastsStored: backfill.stored,
  };
}
