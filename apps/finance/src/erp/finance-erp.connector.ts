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

/** ... and when a payment is recorded through the REST API (the ERP's own webhook payments are not sent back). */
export interface ErpPayment {
  paymentId: string;
  receivableId: string;
  orderId: string;
  amount: string;
  currency: string;
  method: string | null;
  reference: string | null;
  receivedAt: string;
}

/**
 * The seam to an external ERP. It is called inside the event's inbox transaction, before the commit, with
 * the event id as idempotency key: a retried event re-sends the same key, so the ERP applies it once.
 * Throw `DependencyUnavailableError` when the ERP is unreachable (the partition waits) and
 * `ErpRejectedError` when it refuses the request: a refused receivable holds the order (ADR 0013), a refused
 * payment is refused to the API caller, a refused void is dead-lettered with the reason.
 */
export interface FinanceErpConnector {
  readonly name: string;
  receivableCreated(receivable: ErpReceivable, idempotencyKey: string): Promise<void>;
  receivableVoided(voided: ErpVoid, idempotencyKey: string): Promise<void>;
  paymentRecorded(payment: ErpPayment, idempotencyKey: string): Promise<void>;
}

export const FINANCE_ERP_CONNECTOR = Symbol('FINANCE_ERP_CONNECTOR');

/** The default: finance's own tables are the ledger, there is nothing else to tell. */
export class BuiltinLedgerConnector implements FinanceErpConnector {
  readonly name = 'builtin';
  async receivableCreated(): Promise<void> {}
  async receivableVoided(): Promise<void> {}
  async paymentRecorded(): Promise<void> {}
}
