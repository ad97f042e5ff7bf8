export * from './customer-refs.repository';
