export * from './domain-error';
export * from './version';
export * from './decision';
export * from './history';
export * from './hand-over';
