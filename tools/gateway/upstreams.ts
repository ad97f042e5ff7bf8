// The gateway's upstreams: every replica of a service in one pool, with passive failover between them.
import type { ServiceName } from '@crm/contracts';

// Passive failover: a replica that failed MAX_FAILS requests within FAIL_TIMEOUT is left out for FAIL_TIMEOUT.
export const MAX_FAILS = 2;
export const FAIL_TIMEOUT = '10s';

/**
 * Which failures send a request on to the next replica. nginx never passes on a POST or PATCH it has already sent
 * (only one that could not connect, which no replica has seen); GET, HEAD, OPTIONS, PUT and DELETE it may send
 * again, and the API's PUT and DELETE set or remove a resource by its key (a repeat changes nothing). One more
 * try, and none once 10 s have gone by: a slow answer (proxy_read_timeout) is not asked for twice.
 */
export const RETRY = ['proxy_next_upstream error timeout http_502 http_503 http_504;', 'proxy_next_upstream_tries 2;', 'proxy_next_upstream_timeout 10s;']
  .map((line) => `    ${line}`)
  .join('\n');

export function upstream(service: ServiceName, addresses: string[]): string {
  return `  upstream ${service} {
${addresses.map((a) => `    server ${a} max_fails=${MAX_FAILS} fail_timeout=${FAIL_TIMEOUT};`).join('\n')}
    keepalive 64;
    keepalive_requests 100000;
    keepalive_timeout 60s;
  }`;
}
