import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AccessScope } from '@crm/http';

/** A row of quotas, as read (ids and amounts as text). */
export interface QuotaRow {
  period: string;
  rep_id: string;
  amount: string;
  currency: string;
  version: number;
  updated_by: string;
  updated_at: Date;
}

/** quotas (not derived from events: kept across a rebuild). */
@Injectable()
export class QuotasRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The rep's team as the rep directory says now; undefined for a rep it does not know. */
  async repTeam(repId: string): Promise<{ team: string | null } | undefined> {
    const [rep]: { team: string | null }[] = await this.dataSource.query('SELECT team FROM reps WHERE rep_id = $1', [repId]);
    return rep;
  }

  /** The rep's quota for the period under a row lock, as it is before a change; undefined when there is none. */
  async lock(m: EntityManager, period: string, repId: string): Promise<QuotaRow | undefined> {
    const [row]: QuotaRow[] = await m.query(
      `SELECT period, rep_id::text, amount::text, currency, version, updated_by, updated_at FROM quotas WHERE period = $1 AND rep_id = $2 FOR UPDATE`,
      [period, repId],
    );
    return row;
  }

  /** Creates or replaces the rep's quota for the period (a replacement bumps the version). */
  async put(m: EntityManager, period: string, repId: string, amount: string, currency: string, by: string): Promise<QuotaRow> {
    const [row]: QuotaRow[] = await m.query(
      `INSERT INTO quotas (period, rep_id, amount, currency, updated_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (period, rep_id) DO UPDATE SET amount = EXCLUDED.amount, currency = EXCLUDED.currency, updated_by = EXCLUDED.updated_by,
         updated_at = now(), version = quotas.version + 1
       RETURNING period, rep_id::text, amount::text, currency, version, updated_by, updated_at`,
      [period, repId, amount, currency, by],
    );
    return row;
  }

  /** The period's quotas of the reps in the scope (a team's: the reps the directory puts in it now), by rep id. */
  list(period: string, scope: AccessScope): Promise<QuotaRow[]> {
    const params: unknown[] = [period];
    let filter = '';
    if (scope.kind === 'team') filter = ` AND r.team = $${params.push(scope.team)}`;
    if (scope.kind === 'own') filter = ` AND q.rep_id = $${params.push(scope.repId)}`;
    return this.dataSource.query(
      `SELECT q.period, q.rep_id::text, q.amount::text, q.currency, q.version, q.updated_by, q.updated_at
         FROM quotas q LEFT JOIN reps r ON r.rep_id = q.rep_id WHERE q.period = $1${filter} ORDER BY q.rep_id`,
      params,
    );
  }
}
