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
import { openEvents, personalDataVault } from '@crm/privacy';
import { MetricsRegistry } from '@crm/observability';
import { InboxConsumer, type InboxConsumerOptions } from '../inbox/inbox-consumer';
import { KafkaEventPublisher } from '../kafka/event-publisher';
import { createKafka } from '../kafka/kafka-factory';
import { ConsumerLagMonitor } from '../kafka/consumer-lag-monitor';
import { ensureTopics } from '../kafka/topic-admin';
import { createMessagingMetrics, type MessagingMetrics } from '../messaging-metrics';
import { OutboxRelay, type OutboxRelayOptions } from '../outbox/outbox-relay';
import { KafkaInboxServer } from './kafka-inbox.server';

export interface MessagingOptions {
  serviceName: string;
  brokers: string[];
  topicPrefix?: string;
  /** Copies of each topic created at start-up (default: 3, or the cluster's size if smaller). */
  replicationFactor?: number;
  relay?: Omit<OutboxRelayOptions, 'topicPrefix' | 'metrics' | 'logger'>;
  /** Defaults for this service's inbox consumers (a read model may take bigger batches than a saga step). */
  inbox?: InboxTuning;
  /**
   * `sealed`: this service's consumers never read personal data (analytics: a read model of facts, ADR 0024), so
   * what they store can hold none. Default `open`.
   */
  personalData?: 'open' | 'sealed';
  /** How often consumer lag and Kafka's reachability are read from the broker (default 15 s). */
  lagIntervalMs?: number;
}

export type InboxTuning = Partial<Pick<InboxConsumerOptions, 'maxAttempts' | 'backoff' | 'partitionsConsumedConcurrently' | 'maxBatchSize'>>;

const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

/** The service's Kafka side: topics at start-up, the outbox relay, the inbox transport, lag and broker health. */
@Injectable()
export class MessagingRuntime implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Messaging');
  readonly kafka: Kafka;
  readonly publisher: KafkaEventPublisher;
  readonly relay: OutboxRelay;
  readonly metrics: MessagingMetrics;
  readonly lagMonitor: ConsumerLagMonitor;
  private readonly servers: KafkaInboxServer[] = [];

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly dataSource: DataSource,
    metrics: MetricsRegistry,
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
    this.lagMonitor = new ConsumerLagMonitor(this.kafka, { intervalMs: options.lagIntervalMs, metrics: this.metrics, logger: this.logger });
  }

  async onModuleInit(): Promise<void> {
    await ensureTopics(
      this.kafka,
      ALL_TOPICS.map((t) => ({ topic: `${this.options.topicPrefix ?? ''}${t}` })),
      { replicationFactor: this.options.replicationFactor },
    );
    // Not a readiness check: a Kafka outage must not take every pod out of service while writes can go on
    // into the outbox. Its health is crm_kafka_up (and the CrmKafkaUnreachable alert) instead.
  }

  onApplicationBootstrap(): void {
    this.relay.start();
    this.lagMonitor.start();
  }

  // Before any onApplicationShutdown, where TypeORM ends the pool: consumers finish their batch and the
  // relay its pass while the database is still there, and the relay's LISTEN connection goes back to the
  // pool so that ending it does not wait forever.
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.close()));
    await Promise.all([this.relay.stop(), this.lagMonitor.stop()]);
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
    const server = new KafkaInboxServer((handlers) => {
      const consumer = new InboxConsumer(this.kafka, this.dataSource, this.publisher, {
        ...this.options.inbox,
        ...options,
        groupId,
        handlers,
        topicPrefix: this.options.topicPrefix,
        metrics: this.metrics,
        openPersonalData: this.options.personalData === 'sealed' ? undefined : (events) => openEvents(events, personalDataVault()),
        logger: new Logger(`Inbox:${groupId}`),
      });
      this.lagMonitor.watch(groupId, consumer.topics);
      return consumer;
    });
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
