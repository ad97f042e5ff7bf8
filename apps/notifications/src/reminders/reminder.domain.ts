/** A lead's open next action, as the last follow-up promised it. */
export interface Reminder {
  leadId: string;
  followUpId: string;
  nextAction: string | null;
  dueAt: Date;
  dueSentAt: Date | null;
  overdueSentAt: Date | null;
}

export type ReminderStep = 'due' | 'overdue';

/**
 * What a reminder has to say now: "due" once its time has come, "overdue" once it is `overdueHours` past with
 * no newer follow-up (a newer one replaces the reminder, so being still here means nothing was logged). A
 * reminder found late says only the latest step: a due notice for something already overdue is noise.
 */
export function stepDue(r: Reminder, now: Date, overdueHours: number): ReminderStep | null {
  if (r.overdueSentAt) return null;
  if (now.getTime() >= r.dueAt.getTime() + overdueHours * 3_600_000) return 'overdue';
  if (!r.dueSentAt && now >= r.dueAt) return 'due';
  return null;
}
