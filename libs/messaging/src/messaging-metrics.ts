import type { Counter, Gauge, Histogram } from 'prom-client';
import type { MetricsRegistry } from '@crm/observability';

export interface MessagingMetrics {
  eventsConsumed: Counter<string>;
  processingSeconds: Histogram<string>;
  consumerLag: Gauge<string>;
  kafkaUp: Gauge<string>;
  deadLettered: Counter<string>;
  outboxPublished: Counter<string>;
  outboxPublishFailures: Counter<string>;
  outboxBacklog: Gauge<string>;
}

export function createMessagingMetrics(metrics: MetricsRegistry): MessagingMetrics {
  return {
    eventsConsumed: metrics.counter({
      name: 'crm_events_consumed_total',
      help: 'Events read by a consumer, by outcome (applied, duplicate, ignored, dead_lettered)',
      labelNames: ['group', 'type', 'outcome'],
    }),
    processingSeconds: metrics.histogram({
      name: 'crm_event_processing_seconds',
      help: 'Time to apply one event, retries included',
      labelNames: ['group', 'type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
    consumerLag: metrics.gauge({
      name: 'crm_consumer_lag',
      help: "Messages behind the partition high watermark, from the group's committed offset on the broker",
      labelNames: ['group', 'topic', 'partition'],
    }),
    kafkaUp: metrics.gauge({ name: 'crm_kafka_up', help: '1 if the last periodic broker round trip (consumer offsets) succeeded, else 0' }),
    deadLettered: metrics.counter({
      name: 'crm_dlq_messages_total',
      help: 'Messages sent to a dead-letter topic',
      labelNames: ['group', 'topic', 'reason'],
    }),
    outboxPublished: metrics.counter({ name: 'crm_outbox_published_total', help: 'Outbox rows published to Kafka' }),
    outboxPublishFailures: metrics.counter({ name: 'crm_outbox_publish_failures_total', help: 'Relay passes that failed to publish' }),
    outboxBacklog: metrics.gauge({ name: 'crm_outbox_backlog', help: 'Outbox rows not yet published (as of the last relay pass)' }),
  };
}
