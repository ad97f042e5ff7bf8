import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ALL_TOPICS } from '@crm/contracts';
import { MetricsRegistry, ReadinessRegistry } from '@crm/observability';
import { InboxConsumer, type InboxConsumerOptions } from '../inbox/inbox-consumer';
import { KafkaEventPublisher } from '../kafka/event-publisher';
import { createKafka } from '../kafka/kafka-factory';
import { ensureTopics, pingKafka } from '../kafka/topic-admin';
import { createMessagingMetrics, type MessagingMetrics } from '../messaging-metrics';
import { OutboxRelay, type OutboxRelayOptions } from '../outbox/outbox-relay';
import { KafkaInboxServer } from './kafka-inbox.server';

export interface MessagingOptions {
  serviceName: string;
  brokers: string[];
  topicPrefix?: string;
  relay?: Omit<OutboxRelayOptions, 'topicPrefix' | 'metrics' | 'logger'>;
  /** Defaults for this service's inbox consumers (a read model may take bigger batches than a saga step). */
  inbox?: InboxTuning;
}

export type InboxTuning = Partial<Pick<InboxConsumerOptions, 'maxAttempts' | 'backoff' | 'partitionsConsumedConcurrently' | 'maxBatchSize'>>;

const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

/** The service's Kafka side: topics at start-up, the outbox relay, the inbox transport, readiness. */
@Injectable()
export class MessagingRuntime implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Messaging');
  readonly kafka: Kafka;
  readonly publisher: KafkaEventPublisher;
  readonly relay: OutboxRelay;
  readonly metrics: MessagingMetrics;
  private readonly servers: KafkaInboxServer[] = [];

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly dataSource: DataSource,
    metrics: MetricsRegistry,
    private readonly readiness: ReadinessRegistry,
  ) {
    this.kafka = createKafka({ brokers: options.brokers, clientId: options.serviceName });
    this.publisher = new KafkaEventPublisher(this.kafka);
    this.metrics = createMessagingMetrics(metrics);
    this.relay = new OutboxRelay(dataSource, this.publisher, {
      ...options.relay,
      topicPrefix: options.topicPrefix,
      metrics: this.metrics,
      logger: this.logger,
    });
  }

  async onModuleInit(): Promise<void> {
    await ensureTopics(
      this.kafka,
      ALL_TOPICS.map((t) => ({ topic: `${this.options.topicPrefix ?? ''}${t}` })),
    );
    this.readiness.register({ name: 'kafka', check: () => pingKafka(this.kafka) });
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  // Before any onApplicationShutdown, where TypeORM ends the pool: consumers finish their batch and the
  // relay its pass while the database is still there, and the relay's LISTEN connection goes back to the
  // pool so that ending it does not wait forever.
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.close()));
    await this.relay.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.close();
  }

  /** The consumer group (and inbox consumer name) of `consumer`, e.g. `orders.events`. */
  groupIdFor(consumer: string): string {
    // Prefixed like the topics, so environments (or test files) sharing a cluster never share a group.
    return `${this.options.topicPrefix ?? ''}${this.options.serviceName}.${consumer}`;
  }

  /** The transport for `app.connectMicroservice({ strategy })`; `consumer` names the consumer group. */
  inboxServer(consumer: string, options: InboxTuning = {}) {
    const groupId = this.groupIdFor(consumer);
    const server = new KafkaInboxServer(
      (handlers) =>
        new InboxConsumer(this.kafka, this.dataSource, this.publisher, {
          ...this.options.inbox,
          ...options,
          groupId,
          handlers,
          topicPrefix: this.options.topicPrefix,
          metrics: this.metrics,
          logger: new Logger(`Inbox:${groupId}`),
        }),
    );
    this.servers.push(server);
    return server;
  }
}

@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [{ provide: MESSAGING_OPTIONS, useValue: options }, MessagingRuntime],
      exports: [MessagingRuntime],
    };
  }
}
