export * from './load-decide-save';
