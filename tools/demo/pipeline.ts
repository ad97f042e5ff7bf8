// The opportunities made from converted leads, moved through the default pipeline the way reps do it:
// each exit criterion met first (needs report before leaving needs_analysis, product lines before leaving
// proposal), tasks done, strategy records kept as a chain, then won with payment terms or lost with a reason.
import { lineTotal, sumAmounts } from '@crm/money';
import { etagOf, ifMatch, unwrap } from '@crm/api-client';
import { api, inParallel, send, type Actor } from './client';
import { itemsOf } from './catalogue';
import { ADMIN, type People } from './people';
import { dateIn, type Rng } from './random';
import type { WorkedLead } from './leads';

export type Target = 'needs_analysis' | 'proposal' | 'negotiation' | 'contract' | 'won' | 'lost';
const STAGES: Target[] = ['needs_analysis', 'proposal', 'negotiation', 'contract'];

export interface Deal {
  opportunityId: string;
  lead: WorkedLead;
  target: Target;
  repId: string;
  team: string | null;
  currency: string;
  customer: { name: string; company?: string; email?: string; phone?: string };
  region: string | null;
  strategies: number;
}

const LOSSES = [
  { reason: 'Price 12% above the competing offer', competitor: 'Hengli Pumps' },
  { reason: 'Project postponed to the next fiscal year' },
  { reason: 'Lost to a local supplier with a shorter lead time', competitor: 'Foshan Fluid Tech' },
  { reason: 'Customer repairs the existing equipment instead' },
  { reason: 'Budget cut after the annual audit' },
  { reason: 'Specification favoured a competitor brand', competitor: 'Nordic Valve AB' },
];
const TERMS = ['NET30', 'NET60', 'EOM', 'DUE_ON_RECEIPT', 'NET45'];

/** Which stage each deal ends in: about a third won, a sixth lost, the rest spread over the open stages. */
export function planTargets(rng: Rng, n: number): Target[] {
  const won = Math.round(n * 0.32);
  const lost = Math.round(n * 0.15);
  const open = n - won - lost;
  const spread = Array.from({ length: open }, (_, i) => STAGES[i % STAGES.length]);
  return rng.shuffle([...Array<Target>(won).fill('won'), ...Array<Target>(lost).fill('lost'), ...spread]);
}

/** Lines of the deal's product line in its currency, with a volume discount on bigger lines. */
export function linesFor(rng: Rng, productLine: 'pumps' | 'valves' | 'motors', currency: string) {
  const items = rng.shuffle(itemsOf(productLine)).slice(0, rng.int(1, 2));
  return items.map((item) => {
    const quantity = rng.int(item.qty[0], item.qty[1]);
    const unitPrice = item.price[currency as 'CNY' | 'USD'] ?? item.price.USD;
    const gross = lineTotal({ quantity, unitPrice });
    const discount = quantity >= 10 ? (Math.floor(Number(gross) * 0.05 * 100) / 100).toFixed(2) : '0';
    return { sku: item.sku, productName: item.name, quantity, unitPrice, discount };
  });
}

export async function workPipeline(rng: Rng, people: People, converted: WorkedLead[], concurrency: number): Promise<Deal[]> {
  const targets = planTargets(rng, converted.length);
  // Lines and strategy details come from the seed before anything runs in parallel: same seed, same deals.
  const plans = converted.map((lead, i) => ({
    lead,
    target: targets[i],
    lines: linesFor(rng, lead.plan.productInterest, lead.plan.currency),
    discount: rng.int(3, 12),
  }));
  return inParallel(plans, concurrency, async ({ lead, target, lines, discount }, i) => {
    const id = lead.opportunityId!;
    const path = { id };
    const opened = await send(() => api(ADMIN).GET('/api/v1/opportunities/{id}', { params: { path } }));
    const o = await unwrap(opened);
    const owner: Actor = people.byId.get(o.repId)?.actor ?? ADMIN;
    const as = api(owner);
    const deal: Deal = {
      opportunityId: id,
      lead,
      target,
      repId: o.repId,
      team: o.team,
      currency: o.currency,
      customer: o.customer,
      region: o.region,
      strategies: 0,
    };
    // Every change of the opportunity's terms or stage acts on the version the previous one answered.
    let etag = etagOf(opened);
    const reach = target === 'won' ? 'contract' : target === 'lost' ? STAGES[i % 3] : target;
    const depth = STAGES.indexOf(reach);
    let strategyId: string | undefined;
    const recordStrategy = async (rationale: string, pct: number) => {
      const body = {
        ...(strategyId && { replacesId: strategyId }),
        products: lines.map((l) => l.sku),
        pricing: pct > discount ? 'project price, tier B' : 'list price, tier A',
        discountPercent: pct,
        promotions: pct > discount ? ['free commissioning', 'extended 24-month warranty'] : ['free commissioning'],
        rationale,
      };
      strategyId = (await unwrap(as.POST('/api/v1/opportunities/{id}/strategies', { params: { path }, body }))).id;
      deal.strategies++;
    };
    if (depth >= 1) {
      // needs_analysis → proposal needs fields.needsReport; a site survey task is engagement for the score.
      const fields = { needsReport: `https://docs.demo.crm.example/needs/${id}.pdf`, decisionMaker: lead.plan.name };
      etag = etagOf(await send(() => as.PATCH('/api/v1/opportunities/{id}', { params: { path, header: ifMatch(etag) }, body: { fields } })));
      const withTask = await unwrap(
        as.POST('/api/v1/opportunities/{id}/tasks', {
          params: { path },
          body: { key: 'site_survey', title: 'Site survey with the plant engineer', dueAt: dateIn(3) },
        }),
      );
      const task = (withTask.tasks as { id: string; key: string }[]).find((t) => t.key === 'site_survey')!;
      await unwrap(as.POST('/api/v1/opportunities/{id}/tasks/{taskId}/complete', { params: { path: { id, taskId: task.id } } }));
      etag = etagOf(await send(() => as.POST('/api/v1/opportunities/{id}/stage', { params: { path, header: ifMatch(etag) }, body: { toStage: 'proposal' } })));
    }
    if (depth >= 2) {
      // proposal → negotiation needs product lines; the expected amount follows the quoted lines.
      const amount = sumAmounts(lines.map((l) => lineTotal(l)));
      etag = etagOf(
        await send(() => as.PATCH('/api/v1/opportunities/{id}', { params: { path, header: ifMatch(etag) }, body: { lines, expectedAmount: amount } })),
      );
      await recordStrategy('First quotation: standard configuration at list price.', Math.max(0, discount - 3));
      etag = etagOf(
        await send(() => as.POST('/api/v1/opportunities/{id}/stage', { params: { path, header: ifMatch(etag) }, body: { toStage: 'negotiation' } })),
      );
    }
    if (depth >= 3) {
      await recordStrategy('Buyer compares us with a local supplier on price: project discount plus commissioning.', discount);
      etag = etagOf(await send(() => as.POST('/api/v1/opportunities/{id}/stage', { params: { path, header: ifMatch(etag) }, body: { toStage: 'contract' } })));
    }
    if (target === 'won') {
      await unwrap(
        as.POST('/api/v1/opportunities/{id}/win', {
          params: { path, header: ifMatch(etag) },
          body: { paymentTerms: TERMS[i % TERMS.length], promisedDeliveryDate: dateIn(20 + ((i * 11) % 50)) },
        }),
      );
    } else if (target === 'lost') {
      await unwrap(as.POST('/api/v1/opportunities/{id}/lose', { params: { path, header: ifMatch(etag) }, body: LOSSES[i % LOSSES.length] }));
    }
    return deal;
  });
}
