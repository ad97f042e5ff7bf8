import { SignedWebhookGuard } from '@crm/http';

export const WEBFORM_SECRET = Symbol('WEBFORM_SECRET');

/** Runs before the body is validated: an unsigned, wrongly signed or replayed post is refused before anything else. */
export const WebFormSignatureGuard = SignedWebhookGuard(WEBFORM_SECRET, 'web-form');
