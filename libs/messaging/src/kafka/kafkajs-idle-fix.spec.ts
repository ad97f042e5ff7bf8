import './kafkajs-idle-fix';

const RequestQueue = require('kafkajs/src/network/requestQueue');

const queue = () =>
  new RequestQueue({
    maxInFlightRequests: 1,
    requestTimeout: 30_000,
    enforceRequestTimeout: true,
    clientId: 'c',
    broker: 'b',
    logger: { debug: () => undefined },
  });

describe('kafkajs request queue at idle', () => {
  it('sets no timer while nothing waits and no throttle is to end', () => {
    const q = queue();
    q.checkPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
    q.destroy();
  });

  it('still checks a queue that holds requests, and a throttle that ends later', () => {
    const held = queue();
    held.pending.push({});
    held.scheduleCheckPendingRequests();
    expect(held.throttleCheckTimeoutId).not.toBeNull();
    held.destroy();
    const throttled = queue();
    throttled.throttledUntil = Date.now() + 1_000;
    throttled.scheduleCheckPendingRequests();
    expect(throttled.throttleCheckTimeoutId).not.toBeNull();
    throttled.destroy();
  });
});
