import { auditTrailMigration } from '@crm/audit';
import { CreateIdempotencyKeys1764201600001, CreateWebhookReceipts1764460800000 } from '@crm/http';
import { CreateMessagingTables1764201600000 } from '@crm/messaging';
import { CreateReceivables1764288000000 } from './1764288000000-create-receivables';
import { ReceivableCustomerRefs1765152000000 } from './1765152000000-receivable-customer-refs';

/** Every migration of the finance database, oldest first; never edit one that has shipped. */
export const migrations = [
  CreateMessagingTables1764201600000,
  CreateIdempotencyKeys1764201600001,
  CreateReceivables1764288000000,
  CreateWebhookReceipts1764460800000,
  ReceivableCustomerRefs1765152000000,
  auditTrailMigration(1766102400061),
];
