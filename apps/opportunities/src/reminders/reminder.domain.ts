import type { EventOf } from '@crm/contracts';
import { newEvent } from '@crm/messaging';

/** An open opportunity that stayed in its stage past the stage's time limit, recorded once per stay. */
export interface Crossing {
  opportunityId: string;
  repId: string;
  stage: string;
  stageEnteredAt: Date;
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
