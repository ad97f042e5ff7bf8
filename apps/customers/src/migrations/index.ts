import { auditTrailMigration } from '@crm/audit';
import { CreateIdempotencyKeys1764201600001 } from '@crm/http';
import { CreateMessagingTables1764201600000 } from '@crm/messaging';
import { CreateCustomers1764979200000 } from './1764979200000-create-customers';
import { CreateTimeline1765065600000 } from './1765065600000-create-timeline';
import { MergesAndScan1765152000000 } from './1765152000000-merges-and-scan';
import { CustomerRecords1765238400000 } from './1765238400000-customer-records';
import { LeadResolutions1765324800000 } from './1765324800000-lead-resolutions';
import { ContactSearchPairs1765411200000 } from './1765411200000-contact-search-pairs';
import { AccountSearchPairs1765497600000 } from './1765497600000-account-search-pairs';
import { RepNames1765756800003 } from './1765756800003-rep-names';
import { ContactErasure1766102400000 } from './1766102400000-contact-erasure';

/** Every migration of the customers database, oldest first; never edit one that has shipped. */
export const migrations = [
  CreateMessagingTables1764201600000,
  CreateIdempotencyKeys1764201600001,
  CreateCustomers1764979200000,
  CreateTimeline1765065600000,
  MergesAndScan1765152000000,
  CustomerRecords1765238400000,
  LeadResolutions1765324800000,
  ContactSearchPairs1765411200000,
  AccountSearchPairs1765497600000,
  RepNames1765756800003,
  ContactErasure1766102400000,
  auditTrailMigration(1766102400040),
];
