import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Reminder, ReminderStep } from './reminder.domain';

const COLUMNS = `lead_id AS "leadId", follow_up_id AS "followUpId", next_action AS "nextAction", due_at AS "dueAt", due_sent_at AS "dueSentAt", overdue_sent_at AS "overdueSentAt"`;

/** The only SQL of the next-action reminders. */
@Injectable()
export class RemindersRepository {
  /** The lead's latest follow-up sets its next action (or, with none, closes the previous one). An older follow-up arriving late changes nothing. */
  async recordFollowUp(
    m: EntityManager,
    f: { leadId: string; followUpId: string; repId: string; at: Date; nextAction: string | null; dueAt: Date | null },
  ): Promise<void> {
    await m.query(
      `INSERT INTO reminders (lead_id, follow_up_id, rep_id, next_action, due_at, followed_up_at, closed_at)
       VALUES ($1, $2, $3, $4, coalesce($5::timestamptz, $6::timestamptz), $6::timestamptz, CASE WHEN $5::timestamptz IS NULL THEN now() END)
       ON CONFLICT (lead_id) DO UPDATE SET follow_up_id = EXCLUDED.follow_up_id, rep_id = EXCLUDED.rep_id, next_action = EXCLUDED.next_action,
         due_at = EXCLUDED.due_at, followed_up_at = EXCLUDED.followed_up_at, closed_at = EXCLUDED.closed_at, due_sent_at = NULL, overdue_sent_at = NULL
       WHERE reminders.followed_up_at <= EXCLUDED.followed_up_at`,
      [f.leadId, f.followUpId, f.repId, f.nextAction, f.dueAt, f.at],
    );
  }

  /** A converted or disqualified lead has no next action to chase. */
  async close(m: EntityManager, leadId: string): Promise<void> {
    await m.query('UPDATE reminders SET closed_at = now() WHERE lead_id = $1 AND closed_at IS NULL', [leadId]);
  }

  /** Open reminders whose due time has come, locked for this scan (another replica skips them). */
  claimDue(m: EntityManager, now: Date, overdueHours: number, limit: number): Promise<Reminder[]> {
    return m.query(
      `SELECT ${COLUMNS} FROM reminders
        WHERE closed_at IS NULL AND overdue_sent_at IS NULL AND due_at <= $1
          AND (due_sent_at IS NULL OR due_at <= $1 - make_interval(hours => $3))
        ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit, overdueHours],
    );
  }

  async markSent(m: EntityManager, leadId: string, step: ReminderStep, now: Date): Promise<void> {
    // An overdue notice also settles the due step, so it is never sent after it.
    const set = step === 'due' ? 'due_sent_at = $2' : 'overdue_sent_at = $2, due_sent_at = coalesce(due_sent_at, $2)';
    await m.query(`UPDATE reminders SET ${set} WHERE lead_id = $1`, [leadId, now]);
  }
}
