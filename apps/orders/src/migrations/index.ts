import { auditTrailMigration } from '@crm/audit';
import { CreateIdempotencyKeys1764201600001 } from '@crm/http';
import { CreateMessagingTables1764201600000 } from '@crm/messaging';
import { CreateOrders1764288000000 } from './1764288000000-create-orders';
import { ErpRefusalHold1764720000000 } from './1764720000000-erp-refusal-hold';
import { CustomerRefs1765152000000 } from './1765152000000-customer-refs';
import { HandOver1765756800002 } from './1765756800002-hand-over';
import { OrderSearchAndSorts1765843200002 } from './1765843200002-order-search-and-sorts';
import { OrderDraftEdits1765929600000 } from './1765929600000-order-draft-edits';
import { OrderLead1766102400020 } from './1766102400020-order-lead';

/** Every migration of the orders database, oldest first; never edit one that has shipped. */
export const migrations = [
  CreateMessagingTables1764201600000,
  CreateIdempotencyKeys1764201600001,
  CreateOrders1764288000000,
  ErpRefusalHold1764720000000,
  CustomerRefs1765152000000,
  HandOver1765756800002,
  OrderSearchAndSorts1765843200002,
  OrderDraftEdits1765929600000,
  OrderLead1766102400020,
  auditTrailMigration(1766102400051),
];
