// Pure rule of an ERP webhook receipt: one ERP event id is applied once; a repeat changes nothing.

/** Thrown inside the payment's transaction when the event id was applied before: it rolls back, nothing changes. */
export class AlreadyApplied extends Error {
  override name = 'AlreadyApplied';
  constructor(readonly eventId: string) {
    super(`ERP event ${eventId} was applied before`);
  }
}

/** `claimed`: this delivery is the first to record the event id (in the same transaction as its effect). */
export function decideReceipt(eventId: string, claimed: boolean): void {
  if (!claimed) throw new AlreadyApplied(eventId);
}

/** The answer to a repeated delivery. */
export const duplicateOf = (eventId: string) => ({ eventId, duplicate: true as const });
