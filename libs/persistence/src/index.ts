export * from './load-decide-save';
export * from './shared-transaction';
export * from './text-search';
export * from './forget-personal-values';
export * from './scrub-free-texts';
export * from './camel-row';
export * from './entity-rows';
