import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { InboxConsumer } from '../inbox/inbox-consumer';
import type { EventHandler } from '../inbox/inbox-context';

/**
 * A Nest transport that routes `@EventPattern('crm.order.confirmed')` handlers through the
 * InboxConsumer: each handler runs inside the inbox transaction (`@Ctx() ctx: InboxContext`
 * gives its EntityManager), with bounded retries and a DLQ. Nest's own Kafka server consumes
 * message by message, has no DLQ and retries a poison message forever (nest #14664, #12703).
 */
export class KafkaInboxServer extends Server implements CustomTransportStrategy {
  private consumer?: InboxConsumer;

  constructor(private readonly createConsumer: (handlers: ReadonlyMap<string, EventHandler>) => InboxConsumer) {
    super();
  }

  async listen(callback: (err?: unknown) => void): Promise<void> {
    try {
      const handlers = new Map<string, EventHandler>();
      for (const [pattern, handler] of this.messageHandlers) {
        if (!handler.isEventHandler) continue;
        // Nest chains a second handler of the same event through `next`: each runs, in order, in the one transaction.
        handlers.set(pattern, async (event, ctx) => {
          for (let h: MessageHandler['next'] = handler; h; h = (h as MessageHandler).next) {
            await lastValueFrom(this.transformToObservable(await h(event, ctx)), { defaultValue: undefined });
          }
        });
      }
      if (handlers.size) {
        this.consumer = this.createConsumer(handlers);
        await this.consumer.start();
      }
      callback();
    } catch (err) {
      callback(err);
    }
  }

  /** Idempotent: the messaging runtime closes it before the database goes, Nest once more at the end. */
  async close(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.stop();
  }

  on(): never {
    throw new Error('KafkaInboxServer has no status events');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }
}
