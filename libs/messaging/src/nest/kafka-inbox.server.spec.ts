import type { InboxConsumer } from '../inbox/inbox-consumer';
import type { EventHandler } from '../inbox/inbox-context';
import { KafkaInboxServer } from './kafka-inbox.server';

describe('KafkaInboxServer', () => {
  it('runs every handler of one event type, in the order they were registered', async () => {
    let routed: ReadonlyMap<string, EventHandler> = new Map();
    const server = new KafkaInboxServer((handlers) => {
      routed = handlers;
      return { start: async () => undefined, stop: async () => undefined } as unknown as InboxConsumer;
    });
    const calls: string[] = [];
    server.addHandler('crm.lead.converted', async () => calls.push('timeline'), true);
    server.addHandler('crm.lead.converted', async () => calls.push('resolution'), true);
    server.addHandler('crm.lead.captured', async () => calls.push('captured'), true);
    let listening: unknown = 'not yet';
    await server.listen((err) => {
      listening = err;
    });
    expect(listening).toBeUndefined();

    await routed.get('crm.lead.converted')!({} as never, {} as never);
    expect(calls).toEqual(['timeline', 'resolution']);
    await routed.get('crm.lead.captured')!({} as never, {} as never);
    expect(calls).toEqual(['timeline', 'resolution', 'captured']);
  });
});
