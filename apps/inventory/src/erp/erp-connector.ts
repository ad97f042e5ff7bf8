import type { Shortage, StockLine } from '../stock/allocation.domain';

export interface ErpDeductionRequest {
  orderId: string;
  lines: StockLine[];
  /** The id of the event that asked for it: a retried push is applied once by the ERP. */
  idempotencyKey: string;
}

export type ErpDeductionResult = { outcome: 'deducted'; warehouseId: string } | { outcome: 'insufficient'; shortages: Shortage[] };

export interface ErpReleaseRequest {
  orderId: string;
  warehouseId: string;
  lines: StockLine[];
  idempotencyKey: string;
}

export interface ErpStockLevel {
  sku: string;
  warehouseId: string;
  onHand: number;
}

/**
 * The seam to an external ERP that owns the stock. With none configured the built-in ledger decides.
 * Implementations retry on their own (bounded) and then throw DependencyUnavailableError, so the
 * consuming partition waits for the ERP instead of dead-lettering good events.
 */
export interface ErpConnector {
  readonly name: string;
  deduct(request: ErpDeductionRequest): Promise<ErpDeductionResult>;
  release(request: ErpReleaseRequest): Promise<void>;
  fetchStockLevels(): Promise<ErpStockLevel[]>;
}

/** Nest token; resolves to null when the built-in ledger is in use. */
export const ERP_CONNECTOR = Symbol('ERP_CONNECTOR');
