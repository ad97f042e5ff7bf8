import { auditTrailMigration } from '@crm/audit';
import { CreateIdempotencyKeys1764201600001 } from '@crm/http';
import { CreateMessagingTables1764201600000 } from '@crm/messaging';
import { CreateLeads1764288000000 } from './1764288000000-create-leads';
import { CustomerRefs1765324800000 } from './1765324800000-customer-refs';
import { SlaWarning1765670400000 } from './1765670400000-sla-warning';
import { HandOver1765756800000 } from './1765756800000-hand-over';
import { LeadSearchAndSorts1765843200000 } from './1765843200000-lead-search-and-sorts';
import { SavedViews1766016000002 } from './1766016000002-saved-views';
import { LeadErasure1766102400010 } from './1766102400010-lead-erasure';

/** Every migration of the leads database, oldest first; never edit one that has shipped. */
export const migrations = [
  CreateMessagingTables1764201600000,
  CreateIdempotencyKeys1764201600001,
  CreateLeads1764288000000,
  CustomerRefs1765324800000,
  SlaWarning1765670400000,
  HandOver1765756800000,
  LeadSearchAndSorts1765843200000,
  SavedViews1766016000002,
  LeadErasure1766102400010,
  auditTrailMigration(1766102400041),
];
