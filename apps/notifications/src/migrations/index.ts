import { auditTrailMigration } from '@crm/audit';
import { CreateIdempotencyKeys1764201600001 } from '@crm/http';
import { CreateMessagingTables1764201600000 } from '@crm/messaging';
import { CreateNotifications1765584000000 } from './1765584000000-create-notifications';
import { HandOver1765756800004 } from './1765756800004-hand-over';
import { RecordPeople1766102400030 } from './1766102400030-record-people';

/** Every migration of the notifications database, oldest first; never edit one that has shipped. */
export const migrations = [
  CreateMessagingTables1764201600000,
  CreateIdempotencyKeys1764201600001,
  CreateNotifications1765584000000,
  HandOver1765756800004,
  RecordPeople1766102400030,
  auditTrailMigration(1766102400062),
];
