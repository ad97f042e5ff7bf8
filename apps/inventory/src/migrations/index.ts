import { auditTrailMigration } from '@crm/audit';
import { CreateIdempotencyKeys1764201600001, CreateWebhookReceipts1764460800000 } from '@crm/http';
import { CreateMessagingTables1764201600000 } from '@crm/messaging';
import { CreateInventoryTables1764288000000 } from './1764288000000-create-inventory-tables';
import { CreateBackorders1764374400000 } from './1764374400000-create-backorders';
import { ErpRefusalCompensation1764720000000 } from './1764720000000-erp-refusal-compensation';

/** Every migration of the inventory database, oldest first; never edit one that has shipped. */
export const migrations = [
  CreateMessagingTables1764201600000,
  CreateIdempotencyKeys1764201600001,
  CreateInventoryTables1764288000000,
  CreateBackorders1764374400000,
  CreateWebhookReceipts1764460800000,
  ErpRefusalCompensation1764720000000,
  auditTrailMigration(1766102400060),
];
