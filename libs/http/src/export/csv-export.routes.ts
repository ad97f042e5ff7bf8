import type { Type } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, type ModulesContainer } from '@nestjs/core';
import { CsvExportInterceptor, isListHandler } from './csv-export.interceptor';

/**
 * Puts the CSV export on every list handler (a GET taking a `PageQueryDto`) and on nothing else. As a global
 * interceptor it ran on every route, and any interceptor makes Nest wrap the handler in an Observable chain
 * (about a tenth of the CPU of the cheapest GET) although only lists can answer CSV. Runs when the modules are
 * instantiated, before Nest builds the routes; each module holding a list resolves the interceptor to the one
 * instance of `ApiConventionsModule`, as the global one did.
 */
export function routeCsvExportsToLists(modules: ModulesContainer): void {
  const own = [...modules.values()].find((module) => module.providers.has(CsvExportInterceptor))?.providers.get(CsvExportInterceptor);
  if (!own) return;
  const scanner = new MetadataScanner();
  for (const module of modules.values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      const controller = metatype as Type<unknown>;
      const lists = scanner.getAllMethodNames(controller.prototype).filter((name) => isListHandler(controller, name));
      for (const name of lists) {
        const handler = (controller.prototype as Record<string, object>)[name];
        const current = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) ?? []) as unknown[];
        // First, as the global interceptor ran before a route's own; once per process (the metadata is the class's).
        if (!current.includes(CsvExportInterceptor)) Reflect.defineMetadata(INTERCEPTORS_METADATA, [CsvExportInterceptor, ...current], handler);
      }
      if (lists.length && !module.injectables.has(CsvExportInterceptor)) module.injectables.set(CsvExportInterceptor, own);
    }
  }
}
