import type { MigrationInterface, QueryRunner } from 'typeorm';
import { NOTIFICATION_TYPES } from '../catalogue/catalogue';
import { DEFAULT_RULES } from '../catalogue/default-rules';

const TYPES = ['opportunity_handed_over', 'order_handed_over'] as const;
const RULES = ['opportunity-handed-over', 'order-handed-over'];

export class HandOver1765756800004 implements MigrationInterface {
  name = 'HandOver1765756800004';

  // The new owner of a handed-over opportunity or order is told, with the reason (ADR 0022). A database created
  // after this change got both from the first migration's seed already: nothing is inserted twice.
  async up(q: QueryRunner): Promise<void> {
    for (const type of TYPES) {
      const spec = NOTIFICATION_TYPES[type];
      await q.query('INSERT INTO notification_types (type, critical, escalate_after_minutes) VALUES ($1, $2, $3) ON CONFLICT (type) DO NOTHING', [
        type,
        spec.critical,
        spec.escalateAfterMinutes,
      ]);
    }
    for (const r of DEFAULT_RULES.filter((rule) => RULES.includes(rule.id))) {
      await q.query(
        'INSERT INTO notification_rules (id, event_type, match, type, audiences, channels) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING',
        [r.id, r.eventType, JSON.stringify(r.match), r.type, r.audiences, r.channels],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM notification_rules WHERE id = ANY($1)', [RULES]);
    await q.query('DELETE FROM preferences WHERE type = ANY($1)', [[...TYPES]]);
    await q.query('DELETE FROM notification_types WHERE type = ANY($1)', [[...TYPES]]);
  }
}
