import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction } from '@crm/persistence';
import { decidePreferences, preferenceMatrix, type PreferenceCell, type PreferenceItem } from './preferences.domain';
import { PreferencesRepository } from './preferences.repository';

/** A user's own choices of what reaches them over which channel. */
@Injectable()
export class PreferencesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: PreferencesRepository,
  ) {}

  async matrix(userId: string): Promise<{ items: PreferenceCell[] }> {
    const [types, choices] = await Promise.all([this.repo.types(), this.repo.choices(userId)]);
    return { items: preferenceMatrix(types, choices) };
  }

  /** All or nothing: one refused item stores none of them. Answers the new matrix. */
  async change(userId: string, items: PreferenceItem[]): Promise<{ items: PreferenceCell[] }> {
    await inTransaction(this.dataSource, async (m) => {
      await this.repo.save(m, userId, decidePreferences(items, await this.repo.lockCriticalTypes(m)));
    });
    return this.matrix(userId);
  }
}
