import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { paginate, type AuthUser, type Page } from '@crm/http';
import { entryScope } from '../visibility';
import { TimelineEntryEntity } from './timeline-entry.entity';
import type { TimelineQuery } from './timeline.dto';

export type Subject = 'account' | 'contact';
/** A sum per currency, exact (SQL numeric, as text). */
export interface CurrencyAmount {
  currency: string;
  amount: string;
}
export interface SummaryRows {
  openPipeline: CurrencyAmount[];
  lifetimeRevenue: CurrencyAmount[];
  outstanding: CurrencyAmount[];
  lastContact: { at: Date; channel: string; repId: string; leadId: string } | null;
  satisfaction: { average: string | null; count: number };
  reps: { repId: string; openRecords: number; records: number }[];
}

const COLUMN: Record<Subject, string> = { account: 'account_id', contact: 'contact_id' };

/** The timeline's reads: a page of one account's (or contact's) entries, and the figures of its summary. */
@Injectable()
export class TimelineRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first on (at, id), served by the (account_id | contact_id, at DESC, id DESC) index; hidden entries are left out in SQL so pages stay full. */
  page(user: AuthUser, subject: Subject, id: string, q: TimelineQuery): Promise<Page<TimelineEntryEntity>> {
    const qb = this.dataSource.getRepository(TimelineEntryEntity).createQueryBuilder('e').where(`e.${COLUMN[subject]} = :id`, { id });
    const scope = entryScope(user, 'e');
    if (scope) qb.andWhere(scope.sql, scope.params);
    if (q.kind?.length) qb.andWhere('e.kind IN (:...kinds)', { kinds: q.kind });
    if (q.recordKind?.length) qb.andWhere('e.record_kind IN (:...recordKinds)', { recordKinds: q.recordKind });
    if (q.from) qb.andWhere('e.at >= :from', { from: q.from });
    if (q.to) qb.andWhere('e.at < :to', { to: q.to });
    if (q.repId) qb.andWhere('e.rep_id = :repId', { repId: q.repId });
    return paginate(qb, { sort: { column: 'e.at', direction: 'DESC' }, tieBreaker: 'id', limit: q.limit, cursor: q.cursor });
  }

  async summary(subject: Subject, id: string): Promise<SummaryRows> {
    const col = COLUMN[subject];
    const sums = (where: string, amount: string): Promise<CurrencyAmount[]> =>
      this.dataSource.query(
        `SELECT currency, (SUM(${amount}))::text AS amount FROM customer_records
          WHERE ${col} = $1 AND currency IS NOT NULL AND ${where} GROUP BY currency ORDER BY currency`,
        [id],
      );
    const [openPipeline, lifetimeRevenue, outstanding, [last], [satisfaction], reps] = await Promise.all([
      sums(`record_kind = 'opportunity' AND open AND amount IS NOT NULL`, 'amount'),
      sums(`record_kind = 'order' AND confirmed_at IS NOT NULL AND status <> 'cancelled' AND amount IS NOT NULL`, 'amount'),
      sums(`record_kind = 'receivable' AND status <> 'voided' AND amount IS NOT NULL`, 'amount - paid'),
      this.dataSource.query(
        `SELECT at, detail->>'channel' AS channel, detail->>'repId' AS "repId", record_id AS "leadId" FROM timeline_entries
          WHERE ${col} = $1 AND kind = 'lead.followed_up' ORDER BY at DESC, id DESC LIMIT 1`,
        [id],
      ),
      this.dataSource.query(
        `SELECT ROUND(AVG((detail->>'rating')::numeric), 2)::text AS average, count(*)::int AS count FROM timeline_entries
          WHERE ${col} = $1 AND kind = 'order.feedback_received'`,
        [id],
      ),
      this.dataSource.query(
        `SELECT rep_id AS "repId", (count(*) FILTER (WHERE open AND record_kind <> 'receivable'))::int AS "openRecords", count(*)::int AS records
           FROM customer_records WHERE ${col} = $1 AND rep_id IS NOT NULL GROUP BY rep_id ORDER BY "openRecords" DESC, records DESC, rep_id`,
        [id],
      ),
    ]);
    return { openPipeline, lifetimeRevenue, outstanding, lastContact: last ?? null, satisfaction, reps };
  }
}
