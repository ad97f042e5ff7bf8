import { Partitioners, type IHeaders, type Kafka, type Producer } from 'kafkajs';

export interface OutgoingMessage {
  topic: string;
  key: string | null;
  value: Buffer | string;
  headers?: IHeaders;
}

/** What the relay and the DLQ need from a Kafka producer; tests wrap it to inject faults. */
export interface EventPublisher {
  publish(messages: OutgoingMessage[]): Promise<void>;
}

/**
 * Idempotent producer (acks=all, one request in flight) so broker-side retries never duplicate or
 * reorder what one producer sends; messages of one key keep their order.
 */
export class KafkaEventPublisher implements EventPublisher {
  /** The producer in use and its connection; replaced after a failed send. */
  private current?: { producer: Producer; ready: Promise<void> };

  constructor(private readonly kafka: Kafka) {}

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (!messages.length) return;
    const current = this.connect();
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const m of messages) {
      const list = byTopic.get(m.topic);
      if (list) list.push(m);
      else byTopic.set(m.topic, [m]);
    }
    try {
      await current.ready;
      await current.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, ms]) => ({
          topic,
          messages: ms.map(({ key, value, headers }) => ({ key, value, headers })),
        })),
      });
    } catch (err) {
      // A failed send may leave the producer's sequence numbers out of step with the broker (seen after a
      // broker kill -9: OUT_OF_ORDER_SEQUENCE_NUMBER on every later send, for minutes). The next send starts
      // from a new producer id; what it sends again, the consumers' inbox absorbs.
      if (this.current === current) this.current = undefined;
      void current.producer.disconnect().catch(() => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    await current?.producer.disconnect();
  }

  private connect(): { producer: Producer; ready: Promise<void> } {
    if (!this.current) {
      // Bounded retries: a failed send fails the relay pass, which rolls back and re-sends later;
      // the inbox absorbs a duplicate that an unbounded idempotent retry would have avoided.
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      this.current = { producer, ready: producer.connect() };
    }
    return this.current;
  }
}
