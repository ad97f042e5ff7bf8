import { databaseUrlFor } from './database-url';
import { KeyVault } from './key-vault';
import { MasterKeys } from './master-keys';

let shared: KeyVault | undefined;

/**
 * The process's one vault: `VAULT_DATABASE_URL`, else the database `crm_vault` on the server `DATABASE_URL` names;
 * master keys from `PII_MASTER_KEYS`. The outbox seals and the inbox opens through it.
 */
export function personalDataVault(env: NodeJS.ProcessEnv = process.env): KeyVault {
  return (shared ??= new KeyVault(env.VAULT_DATABASE_URL || databaseUrlFor('crm_vault', env), MasterKeys.fromEnv(env)));
}
