import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ProblemException, accessScope, type AuthUser } from '@crm/http';
import { formatAmount } from '@crm/money';
import { isPeriod } from '../reporting/stats.domain';
import type { PutQuotaDto, QuotaView } from './quotas.dto';

interface QuotaRow {
  period: string;
  rep_id: string;
  amount: string;
  currency: string;
  version: number;
  updated_by: string;
  updated_at: Date;
}

const view = (r: QuotaRow): QuotaView => ({
  period: r.period, repId: r.rep_id, amount: formatAmount(r.amount), currency: r.currency, version: r.version,
  updatedBy: r.updated_by, updatedAt: new Date(r.updated_at).toISOString(),
});

export const periodError = (field = 'period') =>
  new ProblemException({
    status: HttpStatus.BAD_REQUEST, code: 'VALIDATION_FAILED', detail: 'The request has 1 invalid field.',
    errors: [{ field, constraint: 'isPeriod', message: `${field} must be a year (2026), a quarter (2026-Q3) or a month (2026-07)` }],
  });

@Injectable()
export class QuotasService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Sets a rep's quota for a period (creates or replaces it). A manager sets quotas for the reps of their team only. */
  async put(period: string, repId: string, dto: PutQuotaDto, user: AuthUser): Promise<QuotaView> {
    if (!isPeriod(period)) throw periodError();
    const scope = accessScope(user);
    if (scope.kind !== 'all') {
      const [rep] = await this.dataSource.query('SELECT team FROM reps WHERE rep_id = $1', [repId]);
      if (!rep || scope.kind !== 'team' || rep.team !== scope.team) {
        throw new ProblemException({ status: HttpStatus.FORBIDDEN, code: 'REP_NOT_IN_TEAM', detail: 'You can set quotas only for the reps of your team.' });
      }
    }
    const [row] = await this.dataSource.query(
      `INSERT INTO quotas (period, rep_id, amount, currency, updated_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (period, rep_id) DO UPDATE SET amount = EXCLUDED.amount, currency = EXCLUDED.currency, updated_by = EXCLUDED.updated_by,
         updated_at = now(), version = quotas.version + 1
       RETURNING period, rep_id::text, amount::text, currency, version, updated_by, updated_at`,
      [period, repId, dto.amount, dto.currency, user.sub],
    );
    return view(row);
  }

  async list(period: string, user: AuthUser): Promise<{ rows: QuotaView[] }> {
    if (!isPeriod(period)) throw periodError();
    const scope = accessScope(user);
    const params: unknown[] = [period];
    let filter = '';
    if (scope.kind === 'team') filter = ` AND r.team = $${params.push(scope.team)}`;
    if (scope.kind === 'own') filter = ` AND q.rep_id = $${params.push(scope.repId)}`;
    const rows: QuotaRow[] = await this.dataSource.query(
      `SELECT q.period, q.rep_id::text, q.amount::text, q.currency, q.version, q.updated_by, q.updated_at
         FROM quotas q LEFT JOIN reps r ON r.rep_id = q.rep_id WHERE q.period = $1${filter} ORDER BY q.rep_id`,
      params,
    );
    return { rows: rows.map(view) };
  }
}
