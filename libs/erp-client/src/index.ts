export * from './classification';
export * from './errors';
export * from './erp-client.metrics';
export * from './erp-client';
