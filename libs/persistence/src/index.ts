export * from './load-decide-save';
export * from './shared-transaction';
