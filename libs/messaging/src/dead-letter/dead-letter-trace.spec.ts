import type { KafkaMessage } from 'kafkajs';
import type { OutgoingMessage } from '../kafka/event-publisher';
import { sendToDeadLetterTopic } from './dead-letter';

// A dead letter keeps the trace context (docs/decisions/0028): the envelope byte for byte, the relay's header too,
// so a replay of it joins the trace it came from.
it('copies the envelope and its traceparent header to the dead-letter topic unchanged', async () => {
  const value = Buffer.from(JSON.stringify({ id: 'e1', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }));
  const traceparent = Buffer.from('00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01');
  const message = { key: Buffer.from('k'), value, offset: '3', headers: { traceparent }, timestamp: '0', attributes: 0 } as unknown as KafkaMessage;
  const sent: OutgoingMessage[] = [];
  await sendToDeadLetterTopic(
    { publish: async (m) => void sent.push(...m) },
    { topic: 'crm.orders.v1', partition: 0, message, groupId: 'g', reason: 'handler', error: new Error('x'), attempts: 5 },
  );
  expect(sent[0].topic).toBe('crm.orders.v1.dlq');
  expect(sent[0].value).toBe(value);
  expect(sent[0].headers?.traceparent).toBe(traceparent);
});
