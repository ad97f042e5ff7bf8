import type { EventOf } from '@crm/contracts';
import { newEvent } from '@crm/messaging';

/** One real hour: a stage's `timeLimitHours` counts these unless demos and system tests compress time. */
export const HOUR_MS = 3_600_000;

/**
 * When a stay that began at `enteredAt` overruns a limit of `limitHours`, each hour `hourMs` long. The scan's SQL
 * (ReminderRepository.recordCrossings) applies the same rule to every open opportunity at once.
 */
export function stageDueAt(enteredAt: Date, limitHours: number, hourMs = HOUR_MS): Date {
  return new Date(enteredAt.getTime() + limitHours * hourMs);
}

/** An open opportunity that stayed in its stage past the stage's time limit, recorded once per stay. */
export interface Crossing {
  opportunityId: string;
  repId: string;
  stage: string;
  stageEnteredAt: Date;
  /** The stage's limit as configured, in hours (however long an hour lasts). */
  limitHours: number;
}

/** One `opportunity.stage_overdue` per newly recorded crossing, as detected at `now`. */
export function overdueEvents(crossings: readonly Crossing[], now: Date): EventOf<'opportunity.stage_overdue'>[] {
  return crossings.map((c) =>
    newEvent('opportunity.stage_overdue', {
      subject: c.opportunityId,
      data: {
        opportunityId: c.opportunityId,
        repId: c.repId,
        stage: c.stage,
        enteredAt: c.stageEnteredAt.toISOString(),
        limitHours: c.limitHours,
        detectedAt: now.toISOString(),
      },
    }),
  );
}
