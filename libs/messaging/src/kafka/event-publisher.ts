import { Partitioners, type ICustomPartitioner, type IHeaders, type Kafka, type Producer, type RecordMetadata } from 'kafkajs';

export interface OutgoingMessage {
  topic: string;
  key: string | null;
  value: Buffer | string;
  headers?: IHeaders;
}

/**
 * The most one produce request carries. The broker refuses a record batch over `message.max.bytes` (1 MiB by
 * default) with MESSAGE_TOO_LARGE, and refuses it on every retry: a relay batch of 500 events of 6 KiB
 * would never leave the outbox. Requests stay under it, with room for kafkajs' own framing.
 */
export const MAX_REQUEST_BYTES = 768 * 1024;
/** Per record and header: kafkajs' varints, offsets, timestamps, attributes (an upper bound). */
const RECORD_OVERHEAD = 32;
const HEADER_OVERHEAD = 8;

function sizeOf(m: OutgoingMessage): number {
  let n = RECORD_OVERHEAD + Buffer.byteLength(m.value) + (m.key === null ? 0 : Buffer.byteLength(m.key));
  for (const [name, value] of Object.entries(m.headers ?? {})) {
    n += HEADER_OVERHEAD + Buffer.byteLength(name);
    for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) n += Buffer.byteLength(v);
  }
  return n;
}

/** Consecutive runs of the messages of at most `limit` bytes each (a larger message runs alone), in order. */
export function chunkByBytes(messages: readonly OutgoingMessage[], limit = MAX_REQUEST_BYTES): OutgoingMessage[][] {
  const chunks: OutgoingMessage[][] = [];
  let chunk: OutgoingMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = sizeOf(m);
    if (chunk.length && bytes + size > limit) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(m);
    bytes += size;
  }
  if (chunk.length) chunks.push(chunk);
  return chunks;
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
  /** The partitions the producer assigned the messages of the send in progress to ("topic/partition"). */
  private assigned = new Set<string>();
  /** Sends run one after another (the relay's and a dead letter's), so `assigned` belongs to one send. */
  private previous: Promise<void> = Promise.resolve();

  constructor(private readonly kafka: Kafka) {}

  publish(messages: OutgoingMessage[]): Promise<void> {
    const sending = this.previous.then(() => this.send(messages));
    this.previous = sending.catch(() => undefined);
    return sending;
  }

  private async send(messages: OutgoingMessage[]): Promise<void> {
    if (!messages.length) return;
    const current = this.connect();
    try {
      await current.ready;
      // One request after another (one in flight): a key's messages keep their order across requests.
      for (const chunk of chunkByBytes(messages)) {
        this.assigned = new Set();
        missingAcks(this.assigned, await current.producer.sendBatch({ acks: -1, topicMessages: byTopic(chunk) }));
      }
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

  /** The default partitioner, noting where each message of the current send goes (for missingAcks). */
  private readonly recordingPartitioner: ICustomPartitioner = () => {
    const partition = Partitioners.DefaultPartitioner();
    return (args) => {
      const n = partition(args);
      this.assigned.add(`${args.topic}/${n}`);
      return n;
    };
  };

  private connect(): { producer: Producer; ready: Promise<void> } {
    if (!this.current) {
      // Bounded retries: a failed send fails the relay pass, which rolls back and re-sends later;
      // the inbox absorbs a duplicate that an unbounded idempotent retry would have avoided.
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: this.recordingPartitioner,
      });
      this.current = { producer, ready: producer.connect() };
    }
    return this.current;
  }
}

/**
 * kafkajs 2.2.4 can resolve a send without sending some partitions: when a partition's leader moves (a broker
 * killed) to a broker that has already answered for its own partitions of the same send, the retry skips that
 * broker (sendMessages keeps one response per broker). Every partition the send was split into must have
 * answered; if not, the send fails and is sent again (the consumers' inbox absorbs what did arrive twice).
 */
export function missingAcks(assigned: ReadonlySet<string>, results: RecordMetadata[] | undefined): void {
  const acked = new Set((results ?? []).filter((r) => r.errorCode === 0).map((r) => `${r.topicName}/${r.partition}`));
  const missing = [...assigned].filter((tp) => !acked.has(tp));
  if (missing.length) throw new Error(`Kafka acknowledged the send without partition(s) ${missing.join(', ')}; sending again`);
}

function byTopic(messages: readonly OutgoingMessage[]): { topic: string; messages: Omit<OutgoingMessage, 'topic'>[] }[] {
  const topics = new Map<string, Omit<OutgoingMessage, 'topic'>[]>();
  for (const { topic, key, value, headers } of messages) {
    const list = topics.get(topic);
    if (list) list.push({ key, value, headers });
    else topics.set(topic, [{ key, value, headers }]);
  }
  return [...topics].map(([topic, ms]) => ({ topic, messages: ms }));
}
