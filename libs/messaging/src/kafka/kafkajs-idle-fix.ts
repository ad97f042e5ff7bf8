/**
 * kafkajs 2.2.4 (the last release) wakes every broker connection about every millisecond while it has nothing to
 * send: `scheduleCheckPendingRequests` computes `throttledUntil - now` with `throttledUntil = -1`, so with an
 * empty queue it sets a negative (1 ms) timeout whose callback schedules the next one, for as long as the
 * connection lives (tulios/kafkajs#1556, #1704; the fix in PR #1667 is unreleased). With three connections a
 * service, that loop was most of an idle service's CPU. Here the queue is only checked when it holds requests
 * or a client-side throttle is to end; a request pushed later, and every answer or timeout, checks it as before.
 *
 * Each connection also checks its in-flight requests for timeouts every 100 ms, connected or not, busy or idle.
 * Request timeouts are 30 s and more (a fetch's is its wait plus that), so once a second finds an expired one
 * soon enough and wakes the process ten times less.
 */
interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  enforceRequestTimeout: boolean;
  requestTimeout: number;
  requestTimeoutIntervalId?: NodeJS.Timeout;
  inflight: Map<number, { sentAt: number; requestTimeout: number; timeoutRequest(): void }>;
  checkPendingRequests(): void;
  isConnected(): boolean;
  destroy(): void;
  scheduleCheckPendingRequests(): void;
  scheduleRequestTimeoutCheck(): void;
}

export const REQUEST_TIMEOUT_CHECK_MS = 1_000;
const CHECK_PENDING_REQUESTS_INTERVAL = 10; // kafkajs' own, for a queue held back by in-flight limits

const RequestQueueClass = require('kafkajs/src/network/requestQueue') as { prototype: RequestQueue };

RequestQueueClass.prototype.scheduleCheckPendingRequests = function (this: RequestQueue) {
  if (this.throttleCheckTimeoutId) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  if (this.pending.length === 0 && untilUnthrottled <= 0) return;
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL,
  );
};

RequestQueueClass.prototype.scheduleRequestTimeoutCheck = function (this: RequestQueue) {
  if (!this.enforceRequestTimeout) return;
  this.destroy();
  this.requestTimeoutIntervalId = setInterval(
    () => {
      this.inflight.forEach((request) => {
        if (Date.now() - request.sentAt > request.requestTimeout) request.timeoutRequest();
      });
      if (!this.isConnected()) this.destroy();
    },
    Math.min(this.requestTimeout, REQUEST_TIMEOUT_CHECK_MS),
  );
};

/**
 * kafkajs' `admin()` does not pass `metadataMaxAge` to its cluster (producers and consumers get 5 min), so an
 * admin's broker pool keeps metadata for 0 ms: every `fetchOffsets` / `fetchTopicOffsets` asks the broker for
 * the metadata of all the topics it has seen first. The consumer-lag monitor's long-lived admin did so once a
 * topic each pass, 12 to 34 metadata requests a minute per idle service. An admin now keeps it for kafkajs'
 * own default; a topic it has not seen, or an unknown-partition error, still refreshes it at once.
 */
interface BrokerPool {
  metadataMaxAge: number;
  refreshMetadataIfNecessary(topics: string[]): Promise<void>;
}

export const ADMIN_METADATA_MAX_AGE_MS = 300_000; // kafkajs' DEFAULT_METADATA_MAX_AGE for producers and consumers

const BrokerPoolClass = require('kafkajs/src/cluster/brokerPool') as { prototype: BrokerPool };
const refreshMetadataIfNecessary = BrokerPoolClass.prototype.refreshMetadataIfNecessary;

BrokerPoolClass.prototype.refreshMetadataIfNecessary = function (this: BrokerPool, topics: string[]) {
  if (!this.metadataMaxAge) this.metadataMaxAge = ADMIN_METADATA_MAX_AGE_MS;
  return refreshMetadataIfNecessary.call(this, topics);
};
