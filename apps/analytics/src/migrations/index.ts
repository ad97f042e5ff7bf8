import { auditTrailMigration } from '@crm/audit';
import { CreateIdempotencyKeys1764201600001 } from '@crm/http';
import { CreateMessagingTables1764201600000 } from '@crm/messaging';
import { CreateAnalytics1764288000000 } from './1764288000000-create-analytics';
import { SalesMonthly1764460800007 } from './1764460800007-sales-monthly';
import { OpportunityTerms1764720000011 } from './1764720000011-opportunity-terms';
import { IncentivePlans1764979200000 } from './1764979200000-incentive-plans';
import { FactCustomerRefs1765152000000 } from './1765152000000-fact-customer-refs';

/** Every migration of the analytics database, oldest first; never edit one that has shipped. */
export const migrations = [
  CreateMessagingTables1764201600000,
  CreateIdempotencyKeys1764201600001,
  CreateAnalytics1764288000000,
  SalesMonthly1764460800007,
  OpportunityTerms1764720000011,
  IncentivePlans1764979200000,
  FactCustomerRefs1765152000000,
  auditTrailMigration(1766102400063),
];
