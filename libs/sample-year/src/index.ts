// A seeded, deterministic year of the whole journey (leads to paid orders): analytics' tests project its
// events, the demo loads its records through the historical import.
export * from './year-model';
export * from './year';
