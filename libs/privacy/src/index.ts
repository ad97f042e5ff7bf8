export * from './database-url';
export * from './master-keys';
export * from './key-vault';
export * from './vault-from-env';
export * from './personal-fields';
export * from './masking';
