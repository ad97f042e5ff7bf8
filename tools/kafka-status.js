#!/usr/bin/env node
// The state of a Kafka cluster for `npm run infra:status`: each broker (id, address, up/down, which one is the
// active controller) and each partition's leader and in-sync replicas. Arg 1 or KAFKA_BROKERS: the bootstrap list.
// A broker listed there but missing from the cluster's metadata is down. Exit 1 if a partition has no leader.
// Past LIST_MAX partitions (a broker full of test topics) only those without a leader or out of sync are listed.
const { Kafka, logLevel } = require('kafkajs');

const LIST_MAX = 120;
const bootstrap = (process.argv[2] || process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',').map((b) => b.trim());
const kafka = new Kafka({
  clientId: 'crm-kafka-status',
  brokers: bootstrap,
  connectionTimeout: 1000,
  requestTimeout: 3000,
  retry: { retries: 1 },
  logLevel: logLevel.NOTHING,
});

(async () => {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const { brokers, controller } = await admin.describeCluster();
    const registered = new Map(brokers.map((b) => [`${b.host}:${b.port}`, b.nodeId]));
    for (const b of brokers.sort((x, y) => x.nodeId - y.nodeId)) {
      // The KRaft quorum's active controller answers describeCluster as the "controller" (a broker id).
      console.log(`broker ${b.nodeId}  ${b.host}:${b.port}  up${b.nodeId === controller ? '  (active controller)' : ''}`);
    }
    for (const address of bootstrap) if (!registered.has(address)) console.log(`broker ?  ${address}  DOWN (not in the cluster's metadata)`);
    const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__')).sort();
    if (!topics.length) return console.log('no topics');
    const { topics: meta } = await admin.fetchTopicMetadata({ topics });
    let leaderless = 0;
    let short = 0;
    const all = meta.reduce((n, t) => n + t.partitions.length, 0) <= LIST_MAX;
    for (const t of meta.sort((a, b) => a.name.localeCompare(b.name))) {
      for (const p of t.partitions.sort((a, b) => a.partitionId - b.partitionId)) {
        if (p.leader < 0) leaderless += 1;
        if (p.isr.length < p.replicas.length) short += 1;
        const flag = p.leader < 0 ? '  NO LEADER' : p.isr.length < p.replicas.length ? '  under-replicated' : '';
        if (all || flag) console.log(`${t.name}[${p.partitionId}]  leader ${p.leader}  replicas ${p.replicas.join(',')}  isr ${p.isr.join(',')}${flag}`);
      }
    }
    console.log(
      `${meta.length} topic(s)${all ? '' : ` (over ${LIST_MAX} partitions: only those with a problem listed)`}: ${leaderless} partition(s) without a leader, ${short} under-replicated`,
    );
    process.exitCode = leaderless ? 1 : 0;
  } catch (err) {
    console.error(`kafka status: ${err.message}`);
    process.exitCode = 1;
  } finally {
    await admin.disconnect().catch(() => {});
  }
})();
