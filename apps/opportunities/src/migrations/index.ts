import { auditTrailMigration } from '@crm/audit';
import { CreateIdempotencyKeys1764201600001 } from '@crm/http';
import { CreateMessagingTables1764201600000 } from '@crm/messaging';
import { CreateOpportunities1764288000000 } from './1764288000000-create-opportunities';
import { CustomerRefs1765324800000 } from './1765324800000-customer-refs';
import { HandOver1765756800001 } from './1765756800001-hand-over';
import { OpportunitySearchAndSorts1765843200001 } from './1765843200001-opportunity-search-and-sorts';

/** Every migration of the opportunities database, oldest first; never edit one that has shipped. */
export const migrations = [
  CreateMessagingTables1764201600000,
  CreateIdempotencyKeys1764201600001,
  CreateOpportunities1764288000000,
  CustomerRefs1765324800000,
  HandOver1765756800001,
  OpportunitySearchAndSorts1765843200001,
  auditTrailMigration(1766102400050),
];
