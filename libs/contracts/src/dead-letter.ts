/** Headers a dead-lettered message carries next to its original, unchanged key and value. */
export const DLQ_HEADERS = {
  error: { name: 'dlq-error', description: 'the error message' },
  reason: { name: 'dlq-reason', description: 'unparseable | envelope | unknown_type | data | handler' },
  topic: { name: 'dlq-original-topic', description: 'where the message was read' },
  partition: { name: 'dlq-original-partition', description: 'its partition' },
  offset: { name: 'dlq-original-offset', description: 'its offset' },
  group: { name: 'dlq-consumer-group', description: 'the consumer group that gave up on it' },
  attempts: { name: 'dlq-attempts', description: 'how many times the handler was tried' },
  failedAt: { name: 'dlq-failed-at', description: 'ISO-8601 time it was dead-lettered' },
} as const;
