import { CreateIdempotencyKeys1764201600001 } from '@crm/http';
import { CreateMessagingTables1764201600000 } from '@crm/messaging';

/** Every migration of the inventory database, oldest first; never edit one that has shipped. */
export const migrations = [CreateMessagingTables1764201600000, CreateIdempotencyKeys1764201600001];
