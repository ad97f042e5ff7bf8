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

const BrokerPool = require('kafkajs/src/cluster/brokerPool');

const brokerPool = (metadataMaxAge?: number) => {
  const logger = { namespace: () => logger, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const pool = new BrokerPool({ connectionPoolBuilder: { build: () => ({}) }, logger, metadataMaxAge });
  // As kafkajs' own: the metadata of the topics asked for, fresh for metadataMaxAge.
  pool.refreshMetadata = jest.fn(async function (this: typeof pool, topics: string[]) {
    this.metadata = { topicMetadata: topics.map((topic) => ({ topic })) };
    this.metadataExpireAt = Date.now() + this.metadataMaxAge;
  });
  return pool;
};

describe('kafkajs admin metadata', () => {
  it('an admin (no metadataMaxAge) keeps metadata instead of asking the broker on every call', async () => {
    const pool = brokerPool(undefined);
    await pool.refreshMetadataIfNecessary(['a']);
    await pool.refreshMetadataIfNecessary(['a']);
    await pool.refreshMetadataIfNecessary(['a']);
    expect(pool.refreshMetadata).toHaveBeenCalledTimes(1);
    expect(pool.metadataMaxAge).toBe(300_000);
  });

  it('still refreshes for a topic it has not seen, and once the metadata is older than its age', async () => {
    const pool = brokerPool(undefined);
    await pool.refreshMetadataIfNecessary(['a']);
    await pool.refreshMetadataIfNecessary(['a', 'b']);
    expect(pool.refreshMetadata).toHaveBeenCalledTimes(2);
    pool.metadataExpireAt = Date.now() - 1;
    await pool.refreshMetadataIfNecessary(['a', 'b']);
    expect(pool.refreshMetadata).toHaveBeenCalledTimes(3);
  });

  it("leaves a producer's or consumer's own age alone", async () => {
    const pool = brokerPool(1_000);
    await pool.refreshMetadataIfNecessary(['a']);
    expect(pool.metadataMaxAge).toBe(1_000);
  });
});
