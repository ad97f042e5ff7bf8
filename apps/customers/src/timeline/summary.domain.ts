import { formatAmount } from '@crm/money';
import type { SummaryRows } from './timeline.repository';

export interface Owner {
  ownerRepId: string | null;
  team: string | null;
}

/** The customer summary as the API shows it: every amount in the canonical decimal text, per currency. */
export function customerSummary(id: string, owner: Owner, rows: SummaryRows) {
  const money = (list: SummaryRows['openPipeline']) => list.map((r) => ({ currency: r.currency, amount: formatAmount(r.amount) }));
  return {
    id,
    openPipeline: money(rows.openPipeline),
    lifetimeRevenue: money(rows.lifetimeRevenue),
    outstandingReceivables: money(rows.outstanding).filter((r) => r.amount !== '0.00'),
    lastContact: rows.lastContact
      ? { at: new Date(rows.lastContact.at).toISOString(), channel: rows.lastContact.channel, repId: rows.lastContact.repId, leadId: rows.lastContact.leadId }
      : null,
    satisfaction: { average: rows.satisfaction.average === null ? null : formatAmount(rows.satisfaction.average), count: rows.satisfaction.count },
    owner: { repId: owner.ownerRepId, team: owner.team },
    reps: rows.reps,
  };
}
