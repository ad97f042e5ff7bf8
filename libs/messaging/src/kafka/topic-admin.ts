import { Logger } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { dlqTopic } from '@crm/contracts';

export interface TopicSpec {
  topic: string;
  partitions?: number;
}

export interface TopicDefaults {
  partitions?: number;
  /** Copies of each partition; default: 3, or the cluster's size when it has fewer brokers. */
  replicationFactor?: number;
}

/**
 * With 3 copies, a write needs 2 in sync: one broker may fail or restart without a stall and without losing an
 * acknowledged event (the producer sends acks=all). With fewer copies, 1 (a dev box or a two-broker cluster).
 */
export const minInSyncReplicas = (replicationFactor: number): number => Math.max(1, replicationFactor - 1);

const logger = new Logger('Topics');

/** Creates each topic and its `.dlq` companion when missing; topics are never auto-created by the broker. */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[], defaults: TopicDefaults = {}): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { brokers } = await admin.describeCluster();
    const replicationFactor = defaults.replicationFactor ?? Math.min(3, brokers.length);
    const configEntries = [
      // Kept forever: the topics are the history analytics rebuilds from, and a dead letter waits for its replay.
      { name: 'retention.ms', value: '-1' },
      { name: 'min.insync.replicas', value: String(minInSyncReplicas(replicationFactor)) },
    ];
    const wanted = specs.flatMap((s) => [
      { topic: s.topic, numPartitions: s.partitions ?? defaults.partitions ?? 3, replicationFactor, configEntries },
      { topic: dlqTopic(s.topic), numPartitions: 1, replicationFactor, configEntries },
    ]);
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((t) => !existing.has(t.topic));
    if (missing.length) await admin.createTopics({ topics: missing, waitForLeaders: true });
    await warnUnderReplicated(
      admin,
      wanted.filter((t) => existing.has(t.topic)).map((t) => t.topic),
      replicationFactor,
    );
  } finally {
    await admin.disconnect();
  }
}

/** A topic created on a smaller cluster keeps its copies: growing them is a reassignment for the operator. */
async function warnUnderReplicated(admin: ReturnType<Kafka['admin']>, topics: string[], wanted: number): Promise<void> {
  if (!topics.length || wanted < 2) return;
  const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
  const short = metadata.filter((t) => t.partitions.some((p) => p.replicas.length < wanted)).map((t) => t.name);
  if (short.length) {
    logger.warn(`${short.length} topic(s) have fewer than ${wanted} replicas (created on a smaller cluster; reassign them): ${short.slice(0, 5).join(', ')}`);
  }
}
