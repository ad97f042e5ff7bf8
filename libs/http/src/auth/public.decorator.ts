import { SetMetadata } from '@nestjs/common';
import { PUBLIC_ROUTE_KEY } from '@crm/observability';

export const IS_PUBLIC_KEY = PUBLIC_ROUTE_KEY;

/** Opts a route (health, metrics, docs, signed webhooks) or a whole controller out of bearer authentication. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
