// Moved to libs/sample-year (the demo loads the same year through the historical import).
export * from '@crm/sample-year';
