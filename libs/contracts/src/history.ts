import { createHash } from 'node:crypto';

/** At most this many records per historical import request; a bigger history is sent in several requests. */
export const MAX_HISTORY_RECORDS = 500;

// The namespace UUID 6f1d3c2a-5b7e-4f0a-9c8d-1e2f3a4b5c6d of the historical import's ids; changing it would re-import everything.
const NAMESPACE = Buffer.from('6f1d3c2a5b7e4f0a9c8d1e2f3a4b5c6d', 'hex');

/**
 * The id an imported record gets: a name-based UUID (RFC 9562 version 5) of its kind and external id. The
 * same external id always gives the same id, so a re-run finds what it stored, and a client can refer to
 * an imported lead or opportunity by its external id (an opportunity's lead, an order's opportunity).
 */
export function historicalId(kind: 'lead' | 'follow_up' | 'opportunity' | 'order' | 'order_line', externalId: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(`${kind}:${externalId}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
