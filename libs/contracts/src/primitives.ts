import { z } from 'zod';

// Shared building blocks of event payloads. Money travels as a decimal string so no service
// ever rounds through a binary float; the currency is always next to it.
export const Id = z.uuid();
export const Timestamp = z.iso.datetime({ offset: true });
export const CalendarDate = z.iso.date();
export const Decimal = z.string().regex(/^-?\d{1,15}(\.\d{1,4})?$/, 'must be a decimal string with at most 4 fraction digits');
export const Currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code');
export const Quantity = z.number().int().positive();
export const Region = z.string().min(1).max(64);
export const ProductLine = z.string().min(1).max(64);
/** NET<days> (NET30), DUE_ON_RECEIPT, or EOM (end of the invoice month); finance derives the due date from it. */
export const PaymentTerms = z.string().regex(/^(NET(0|[1-9]\d{0,2})|DUE_ON_RECEIPT|EOM)$/, 'must be NET<days> (e.g. NET30), DUE_ON_RECEIPT or EOM');
export const Sku = z.string().min(1).max(64);
export const Actor = z.string().min(1).max(128).describe('user id (JWT sub) or "system"');
/** Why a record changed hands, as the person who handed it over wrote it (ADR 0022). */
export const HandOverReason = z.string().min(1).max(500).describe('the reason given for the hand-over, as written');
/** What a rep's hand-over moves: their open leads, opportunities and orders. */
export const HandOverKind = z.enum(['leads', 'opportunities', 'orders']);
/** Set when a record moved as part of handing over all of a rep's open work (`rep.handed_over`). */
export const HandOverId = z.uuid().describe('the rep.handed_over this move is part of; absent when the record was handed over alone');

export const Customer = z.object({
  name: z.string().min(1).max(200),
  company: z.string().max(200).optional(),
  email: z.email().optional(),
  phone: z.string().max(40).optional(),
});

/** Where a `Customer` carries personal data (a person's name, email and phone): sealed on the topics (ADR 0024). */
export const personalCustomer = (at: string): string[] => [`${at}.name`, `${at}.email?`, `${at}.phone?`];

/** A postal address (an account's billing or shipping address, and an order's). */
export const Address = z.object({
  line1: z.string().min(1).max(200),
  line2: z.string().max(200).optional(),
  city: z.string().min(1).max(100),
  region: z.string().max(100).optional(),
  postalCode: z.string().max(20).optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code'),
});

/**
 * The customers-service records a deal or an order is with (ADR 0018). Added later, so optional: absent on
 * events from before the customers service and on records not yet linked to an account.
 */
export const CustomerRefs = {
  accountId: Id.optional().describe('the account (company) in the customers service'),
  contactId: Id.optional().describe('the contact (person) in the customers service'),
};

export const OrderLine = z.object({
  sku: z.string().min(1).max(64),
  productName: z.string().min(1).max(200),
  quantity: Quantity,
  unitPrice: Decimal,
  discount: Decimal.describe('amount off the line, in the order currency').default('0'),
});

export const StockLine = z.object({ sku: z.string().min(1).max(64), quantity: Quantity });
export const Shortage = z.object({
  sku: z.string().min(1).max(64),
  requested: Quantity,
  available: z.number().int().min(0),
});

/**
 * Set by the historical import: the event records a past fact with its original time. Consumers keep it
 * (analytics projects it into its real period) but start nothing live from it (no order drafted, no stock
 * deducted, no receivable opened). Absent on every live event.
 */
export const Historical = z.literal(true).optional().describe('set by the historical import: a past fact, no live side effects');
