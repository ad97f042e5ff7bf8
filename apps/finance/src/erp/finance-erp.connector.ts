/** What finance tells an external ERP when a receivable is opened. */
export interface ErpReceivable {
  receivableId: string;
  orderId: string;
  customerName: string;
  amount: string;
  currency: string;
  paymentTerms: string;
  dueDate: string;
}

/** ... and when a cancelled order's receivable is voided (credited for what was paid). */
export interface ErpVoid {
  receivableId: string;
  orderId: string;
  creditedAmount: string;
  reason: string;
  voidedAt: string;
}

/**
 * The seam to an external ERP. It is called inside the event's inbox transaction, before the commit, with
 * the event id as idempotency key: a retried event re-sends the same key, so the ERP applies it once.
 * Throw `DependencyUnavailableError` when the ERP is unreachable (the partition waits) and
 * `NonRetryableError` when it refuses the request (the event is dead-lettered with the reason).
 */
export interface FinanceErpConnector {
  readonly name: string;
  receivableCreated(receivable: ErpReceivable, idempotencyKey: string): Promise<void>;
  receivableVoided(voided: ErpVoid, idempotencyKey: string): Promise<void>;
}

export const FINANCE_ERP_CONNECTOR = Symbol('FINANCE_ERP_CONNECTOR');

/** The default: finance's own tables are the ledger, there is nothing else to tell. */
export class BuiltinLedgerConnector implements FinanceErpConnector {
  readonly name = 'builtin';
  async receivableCreated(): Promise<void> {}
  async receivableVoided(): Promise<void> {}
}
