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
  private readonly producer: Producer;
  private connected?: Promise<void>;

  constructor(kafka: Kafka) {
    // Bounded retries: a failed send fails the relay pass, which rolls back and re-sends later;
    // the inbox absorbs a duplicate that an unbounded idempotent retry would have avoided.
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (!messages.length) return;
    this.connected ??= this.producer.connect().catch((err) => {
      this.connected = undefined;
      throw err;
    });
    await this.connected;
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const m of messages) {
      const list = byTopic.get(m.topic);
      if (list) list.push(m);
      else byTopic.set(m.topic, [m]);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, ms]) => ({
        topic,
        messages: ms.map(({ key, value, headers }) => ({ key, value, headers })),
      })),
    });
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
    this.connected = undefined;
  }
}
