import { EventPattern } from '@nestjs/microservices';
import type { EventType } from '@crm/contracts';

/**
 * `@OnEvent('crm.order.confirmed')`: an `@EventPattern` limited to known event types, for handlers
 * shaped `(event: EventOf<…>, ctx: InboxContext)` (`@Payload()` and `@Ctx()`), run by KafkaInboxServer.
 * A list of types subscribes one handler to each (a consumer driven by a registry of handlers).
 */
export const OnEvent = (type: EventType | readonly EventType[]): MethodDecorator =>
  // Nest 12 types the second handler parameter as unknown; our transport passes an InboxContext.
  EventPattern(type) as unknown as MethodDecorator;
