export * from './service-config';
export * from './service-platform.module';
export * from './bootstrap-service';
export * from './database-deadline';
