import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import { BusinessCalendar } from '@crm/calendar';
import { DomainError } from '@crm/domain';
import { accessScope, type AuthUser } from '@crm/http';
import { formatAmount } from '@crm/money';
import { inTransaction } from '@crm/persistence';
import { quotaChanges, quotaId } from '../audit/analytics-audit';
import { isPeriod, parsePeriod } from '../reporting/stats.domain';
import type { PutQuotaDto, QuotaView } from './quotas.dto';
import { QuotasRepository, type QuotaRow } from './quotas.repository';

/** A quota as shown, with the instants its period begins and ends at in the business time zone. */
const view = (r: QuotaRow, calendar: BusinessCalendar): QuotaView => ({
  period: r.period,
  startsAt: calendar.startOfDay(parsePeriod(r.period).start).toISOString(),
  endsAt: calendar.startOfDay(parsePeriod(r.period).end).toISOString(),
  repId: r.rep_id,
  amount: formatAmount(r.amount),
  currency: r.currency,
  version: r.version,
  updatedBy: r.updated_by,
  updatedAt: new Date(r.updated_at).toISOString(),
});

export const periodError = (field = 'period') =>
  DomainError.invalidInput(field, 'isPeriod', `${field} must be a year (2026), a quarter (2026-Q3) or a month (2026-07)`);

@Injectable()
export class QuotasService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly quotas: QuotasRepository,
    private readonly calendar: BusinessCalendar,
    private readonly audit: AuditTrail,
  ) {}

  /** Sets a rep's quota for a period (creates or replaces it). A manager sets quotas for the reps of their team only. */
  async put(period: string, repId: string, dto: PutQuotaDto, user: AuthUser): Promise<QuotaView> {
    if (!isPeriod(period)) throw periodError();
    const scope = accessScope(user);
    if (scope.kind !== 'all') {
      const rep = await this.quotas.repTeam(repId);
      if (!rep || scope.kind !== 'team' || rep.team !== scope.team) {
        throw DomainError.forbidden('You can set quotas only for the reps of your team.', 'REP_NOT_IN_TEAM');
      }
    }
    const saved = await inTransaction(this.dataSource, async (m) => {
      const before = await this.quotas.lock(m, period, repId);
      const after = await this.quotas.put(m, period, repId, dto.amount, dto.currency, user.sub);
      const [old, next] = [before && { ...before, amount: formatAmount(before.amount) }, { ...after, amount: formatAmount(after.amount) }];
      await this.audit.record(m, {
        recordType: 'quota',
        recordId: quotaId(period, repId),
        action: before ? 'updated' : 'created',
        changes: quotaChanges(old, next),
      });
      return after;
    });
    return view(saved, this.calendar);
  }

  async list(period: string, user: AuthUser): Promise<{ rows: QuotaView[] }> {
    if (!isPeriod(period)) throw periodError();
    const rows = await this.quotas.list(period, accessScope(user));
    return { rows: rows.map((r) => view(r, this.calendar)) };
  }
}
