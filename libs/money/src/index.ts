export * from './amount';
export * from './units';
