import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'crm:http:public';

/** Opts a route (health, metrics, docs, signed webhooks) or a whole controller out of bearer authentication. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
