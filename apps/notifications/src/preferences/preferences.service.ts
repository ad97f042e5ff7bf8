import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import { inTransaction } from '@crm/persistence';
import { preferenceChanges } from '../audit/notifications-audit';
import { decidePreferences, preferenceMatrix, type PreferenceCell, type PreferenceItem } from './preferences.domain';
import { PreferencesRepository } from './preferences.repository';

/** A user's own choices of what reaches them over which channel. */
@Injectable()
export class PreferencesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: PreferencesRepository,
    private readonly audit: AuditTrail,
  ) {}

  async matrix(userId: string): Promise<{ items: PreferenceCell[] }> {
    const [types, choices] = await Promise.all([this.repo.types(), this.repo.choices(userId)]);
    return { items: preferenceMatrix(types, choices) };
  }

  /** All or nothing: one refused item stores none of them. Answers the new matrix. */
  async change(userId: string, items: PreferenceItem[]): Promise<{ items: PreferenceCell[] }> {
    await inTransaction(this.dataSource, async (m) => {
      const chosen = decidePreferences(items, await this.repo.lockCriticalTypes(m));
      const before = await this.repo.choices(userId, m);
      await this.repo.save(m, userId, chosen);
      await this.audit.record(m, { recordType: 'preferences', recordId: userId, action: 'updated', changes: preferenceChanges(before, chosen) });
    });
    return this.matrix(userId);
  }
}
