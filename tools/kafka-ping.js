#!/usr/bin/env node
// Exit 0 if a Kafka broker answers at the given bootstrap list (arg 1 or KAFKA_BROKERS), else 1; with
// KAFKA_PING_MIN_BROKERS=n, only once the cluster has at least n brokers registered.
// Used by tools/infra.sh to decide "really up": an open port is not enough, the broker must serve metadata.
// Retries are disabled on purpose: the caller polls, and a dead broker must fail fast, not after ~10 s.
const { Kafka, logLevel } = require('kafkajs');

const brokers = (process.argv[2] || process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');
const kafka = new Kafka({
  clientId: 'crm-kafka-ping',
  brokers,
  connectionTimeout: 1000,
  requestTimeout: 2000,
  retry: { retries: 0 },
  logLevel: logLevel.NOTHING,
});

(async () => {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const { brokers: found, controller } = await admin.describeCluster();
    const wanted = Number(process.env.KAFKA_PING_MIN_BROKERS || 1);
    if (found.length < wanted || controller === null) throw new Error(`${found.length} broker(s) of ${wanted}, controller ${controller}`);
    if (process.env.PING_VERBOSE) console.log(`${found.length} broker(s), controller ${controller}`);
    process.exitCode = 0;
  } catch (err) {
    if (process.env.PING_VERBOSE) console.error(err.message);
    process.exitCode = 1;
  } finally {
    await admin.disconnect().catch(() => {});
  }
})();
