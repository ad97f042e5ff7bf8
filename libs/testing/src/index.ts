export * from './infra';
export * from './database';
export * from './kafka';
export * from './eventually';
export * from './service';
export * from './system';
