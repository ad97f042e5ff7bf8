import type { Kafka } from 'kafkajs';
import { dlqTopic } from '@crm/contracts';

export interface TopicSpec {
  topic: string;
  partitions?: number;
}

/** Creates each topic and its `.dlq` companion when missing; topics are never auto-created by the broker. */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[], defaultPartitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    // Kept forever: the topics are the history analytics rebuilds from, and a dead letter waits for its replay.
    const configEntries = [{ name: 'retention.ms', value: '-1' }];
    const wanted = specs.flatMap((s) => [
      { topic: s.topic, numPartitions: s.partitions ?? defaultPartitions, configEntries },
      { topic: dlqTopic(s.topic), numPartitions: 1, configEntries },
    ]);
    const missing = wanted.filter((t) => !existing.has(t.topic));
    if (missing.length) await admin.createTopics({ topics: missing, waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}
