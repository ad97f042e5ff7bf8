import { SetMetadata } from '@nestjs/common';

/**
 * Routes carrying this key need no bearer token (probes and scrapers carry none). Defined here,
 * the lowest lib, and read by the http lib's auth guard, whose `@Public()` sets the same key.
 */
export const PUBLIC_ROUTE_KEY = 'crm:public';

export const PublicRoute = SetMetadata(PUBLIC_ROUTE_KEY, true);
