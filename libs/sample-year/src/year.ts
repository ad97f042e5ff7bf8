import { createEvent, type EventEnvelope, type EventName, type NewEvent } from '@crm/contracts';
import { lineTotal, sumAmounts } from '@crm/money';
import {
  DAY,
  HOUR,
  iso,
  PRODUCT_LINES,
  prng,
  REGIONS,
  SOURCES,
  STAGES,
  TEAMS,
  type GenLead,
  type GenOpportunity,
  type GenOrder,
  type GenRep,
  type YearFixture,
} from './year-model';
import { emitOrders, newOrder } from './year-orders';

/**
 * A year (2025) of the whole journey across regions, reps, sources and two currencies: leads captured,
 * assigned, answered, qualified, converted; opportunities through stages to won/lost/open; orders
 * confirmed, cancelled, shipped, paid in one or two payments, rated. Plain records for the test's own
 * arithmetic, and the events the services would have published.
 */
export function generateYear(
  seed = 2025,
  size = { leads: 400, directOpportunities: 60, directOrders: 80 },
  // start: the year's first moment (default 2025-01-01); season: twelve relative weights of its months, which
  // make busy and quiet months (none: every day alike, the same year for the same seed as before); spanDays: how
  // long the activity lasts (default 365: captures stop a month before the end, so deals can close; a longer span
  // cut at day 365 keeps the last month as busy as the others, with deals still open at the cut).
  options: { start?: number; season?: readonly number[]; spanDays?: number } = {},
): YearFixture {
  const r = prng(seed);
  const start = options.start ?? Date.UTC(2025, 0, 1);
  const season = options.season;
  const stretch = (options.spanDays ?? 365) / 365;
  /** A day in [0, last] (stretched to the span): uniform, or by rejection in proportion to its month's weight. */
  const day = (last: number) => {
    for (;;) {
      const d = r.int(0, Math.round(last * stretch));
      if (!season) return d;
      const month = new Date(start + d * DAY).getUTCMonth() - new Date(start).getUTCMonth();
      if (r.next() * Math.max(...season) < season[(month + 12) % 12]) return d;
    }
  };
  const events: EventEnvelope[] = [];
  const emit = <N extends EventName>(name: N, at: number, e: NewEvent<N>) => events.push({ ...createEvent(name, e), time: iso(at) });

  const reps: GenRep[] = Array.from({ length: 8 }, (_, i) => ({ repId: r.uuid(), team: TEAMS[i % TEAMS.length] }));
  reps.forEach((rep, i) =>
    emit('rep.upserted', start, {
      subject: rep.repId,
      data: { repId: rep.repId, name: `Rep ${i}`, email: `rep${i}@crm.example`, team: rep.team, capacity: 20, active: true, updatedAt: iso(start) },
    }),
  );
  const items = Array.from({ length: 8 }, (_, i) => ({ sku: `SKU-${i}`, productLine: PRODUCT_LINES[i % PRODUCT_LINES.length] }));
  items.forEach((it) =>
    emit('item.upserted', start, { subject: it.sku, data: { sku: it.sku, name: it.sku, productLine: it.productLine, active: true, updatedAt: iso(start) } }),
  );
  const money = (lo: number, hi: number) => `${r.int(lo, hi)}.${String(r.int(0, 99)).padStart(2, '0')}`;

  const leads: GenLead[] = [];
  const opportunities: GenOpportunity[] = [];
  const orders: GenOrder[] = [];

  for (let i = 0; i < size.leads; i++) {
    const lead: GenLead = {
      leadId: r.uuid(),
      source: r.pick(SOURCES),
      region: r.pick(REGIONS),
      productLine: r.chance(0.9) ? r.pick(PRODUCT_LINES) : undefined,
      capturedAt: start + day(330) * DAY + r.int(0, 23) * HOUR + r.int(0, 59) * 60_000,
    };
    leads.push(lead);
    emit('lead.captured', lead.capturedAt, {
      subject: lead.leadId,
      data: {
        leadId: lead.leadId,
        source: lead.source as (typeof SOURCES)[number],
        contact: { name: `Lead ${i}` },
        region: lead.region,
        productLine: lead.productLine,
        capturedAt: iso(lead.capturedAt),
      },
    });
    if (!r.chance(0.85)) continue;
    const rep = r.pick(reps);
    lead.repId = rep.repId;
    emit('lead.assigned', lead.capturedAt + HOUR, {
      subject: lead.leadId,
      data: {
        leadId: lead.leadId,
        repId: rep.repId,
        team: rep.team,
        rule: 'region',
        assignedAt: iso(lead.capturedAt + HOUR),
        firstFollowUpDueAt: iso(lead.capturedAt + DAY),
      },
    });
    if (r.chance(0.7)) {
      lead.firstFollowUpAt = lead.capturedAt + r.int(2, 72) * HOUR + r.int(0, 59) * 60_000;
      const followUps = [lead.firstFollowUpAt, ...(r.chance(0.4) ? [lead.firstFollowUpAt + 2 * DAY] : [])];
      // The later follow-up is published first: the first response time must still be the earliest.
      for (const at of followUps.reverse()) {
        emit('lead.followed_up', at, {
          subject: lead.leadId,
          data: { leadId: lead.leadId, followUpId: r.uuid(), repId: rep.repId, channel: 'call', at: iso(at), content: 'called' },
        });
      }
    }
    if (r.chance(0.5)) {
      lead.qualifiedAt = lead.capturedAt + 3 * DAY;
      emit('lead.qualified', lead.qualifiedAt, { subject: lead.leadId, data: { leadId: lead.leadId, by: rep.repId, qualifiedAt: iso(lead.qualifiedAt) } });
      if (r.chance(0.7)) {
        lead.convertedAt = lead.qualifiedAt + 2 * DAY;
        emit('lead.converted', lead.convertedAt, {
          subject: lead.leadId,
          data: {
            leadId: lead.leadId,
            repId: rep.repId,
            team: rep.team,
            customer: { name: `Lead ${i}` },
            region: lead.region,
            productLine: lead.productLine,
            capturedAt: iso(lead.capturedAt),
            convertedAt: iso(lead.convertedAt),
          },
        });
        opportunities.push(newOpportunity(lead.leadId, rep, lead.region, lead.productLine ?? 'pumps', lead.convertedAt));
      }
    } else if (r.chance(0.2)) {
      lead.disqualifiedAt = lead.capturedAt + 4 * DAY;
      emit('lead.disqualified', lead.disqualifiedAt, {
        subject: lead.leadId,
        data: { leadId: lead.leadId, by: rep.repId, reason: 'no budget', disqualifiedAt: iso(lead.disqualifiedAt) },
      });
    }
  }
  for (let i = 0; i < size.directOpportunities; i++) {
    const rep = r.pick(reps);
    opportunities.push(newOpportunity(null, rep, r.pick(REGIONS), r.pick(PRODUCT_LINES), start + day(340) * DAY + r.int(0, 23) * HOUR));
  }

  function newOpportunity(leadId: string | null, rep: GenRep, region: string, productLine: string, createdAt: number): GenOpportunity {
    const stages = [{ ...STAGES[0], at: createdAt }];
    for (let s = 1; s < STAGES.length && r.chance(0.7); s++) stages.push({ ...STAGES[s], at: createdAt + s * 7 * DAY + r.int(0, 20) * HOUR });
    const late = createdAt > start + 273 * DAY; // from October of a calendar year: still open
    const outcome = late ? 'open' : r.chance(0.55) ? 'won' : r.chance(0.6) ? 'lost' : 'open';
    return {
      opportunityId: r.uuid(),
      leadId,
      repId: rep.repId,
      team: rep.team,
      region,
      productLine,
      currency: r.chance(0.75) ? 'EUR' : 'USD',
      expectedAmount: money(1000, 50000),
      expectedCloseDate: iso(createdAt + r.int(20, 150) * DAY).slice(0, 10),
      createdAt,
      stages,
      outcome,
      closedAt: outcome === 'open' ? undefined : stages[stages.length - 1].at + r.int(3, 10) * DAY,
    };
  }

  const newLines = () =>
    Array.from({ length: r.int(1, 3) }, () => {
      const line = { lineId: r.uuid(), sku: r.pick(items).sku, quantity: r.int(1, 5), unitPrice: money(10, 2000), discount: r.chance(0.2) ? '5.00' : '0' };
      return { ...line, lineTotal: lineTotal(line) };
    });

  for (const o of opportunities) {
    emit('opportunity.created', o.createdAt, {
      subject: o.opportunityId,
      data: {
        opportunityId: o.opportunityId,
        leadId: o.leadId,
        repId: o.repId,
        team: o.team,
        customer: { name: 'Customer' },
        region: o.region,
        productLine: o.productLine,
        expectedAmount: o.expectedAmount,
        currency: o.currency,
        expectedCloseDate: o.expectedCloseDate,
        stage: o.stages[0].stage,
        winProbability: o.stages[0].p,
        createdAt: iso(o.createdAt),
      },
    });
    o.stages.slice(1).forEach((s, i) =>
      emit('opportunity.stage_changed', s.at, {
        subject: o.opportunityId,
        data: {
          opportunityId: o.opportunityId,
          repId: o.repId,
          fromStage: o.stages[i].stage,
          toStage: s.stage,
          winProbability: s.p,
          by: o.repId,
          changedAt: iso(s.at),
        },
      }),
    );
    if (o.outcome === 'lost') {
      emit('opportunity.lost', o.closedAt as number, {
        subject: o.opportunityId,
        data: {
          opportunityId: o.opportunityId,
          repId: o.repId,
          stage: o.stages[o.stages.length - 1].stage,
          reason: 'price',
          lostAt: iso(o.closedAt as number),
        },
      });
    }
    if (o.outcome === 'won') {
      const lines = newLines();
      emit('opportunity.won', o.closedAt as number, {
        subject: o.opportunityId,
        data: {
          opportunityId: o.opportunityId,
          leadId: o.leadId,
          repId: o.repId,
          team: o.team,
          customer: { name: 'Customer' },
          region: o.region,
          currency: o.currency,
          amount: sumAmounts(lines.map((l) => l.lineTotal)),
          lines: lines.map(({ sku, quantity, unitPrice, discount }) => ({ sku, productName: sku, quantity, unitPrice, discount })),
          createdAt: iso(o.createdAt),
          wonAt: iso(o.closedAt as number),
        },
      });
      orders.push(newOrder(r, o.opportunityId, { repId: o.repId, team: o.team }, o.region, o.currency, (o.closedAt as number) + 2 * DAY, lines));
    }
  }
  for (let i = 0; i < size.directOrders; i++) {
    orders.push(newOrder(r, null, r.pick(reps), r.pick(REGIONS), r.chance(0.7) ? 'EUR' : 'USD', start + day(350) * DAY + r.int(0, 23) * HOUR, newLines()));
  }

  emitOrders(r, emit, orders);
  return { reps, items, leads, opportunities, orders, events };
}
