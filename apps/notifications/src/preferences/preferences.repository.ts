import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { NotificationType } from '../catalogue/catalogue';
import type { PreferenceItem } from './preferences.domain';

/** The only SQL of the preferences: a user's choices and the types' criticality. */
@Injectable()
export class PreferencesRepository {
  constructor(private readonly dataSource: DataSource) {}

  types(m: EntityManager = this.dataSource.manager): Promise<{ type: NotificationType; critical: boolean }[]> {
    return m.query('SELECT type, critical FROM notification_types ORDER BY type');
  }

  /** The types' criticality, locked against an admin's change until this change commits. */
  async lockCriticalTypes(m: EntityManager): Promise<Set<NotificationType>> {
    // Every row, not only the critical ones: a type an admin is making critical right now is waited for.
    const rows: { type: NotificationType; critical: boolean }[] = await m.query('SELECT type, critical FROM notification_types FOR SHARE');
    return new Set(rows.filter((r) => r.critical).map((r) => r.type));
  }

  choices(userId: string, m: EntityManager = this.dataSource.manager): Promise<PreferenceItem[]> {
    return m.query('SELECT type, channel, enabled FROM preferences WHERE user_id = $1', [userId]);
  }

  async save(m: EntityManager, userId: string, items: PreferenceItem[]): Promise<void> {
    if (items.length === 0) return;
    await m.query(
      `INSERT INTO preferences (user_id, type, channel, enabled)
       SELECT $1, t, c, e FROM unnest($2::text[], $3::text[], $4::boolean[]) AS x(t, c, e)
       ON CONFLICT (user_id, type, channel) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = now()`,
      [userId, items.map((i) => i.type), items.map((i) => i.channel), items.map((i) => i.enabled)],
    );
  }
}
