import { z } from 'zod';
import { EVENT_CATALOGUE } from './catalogue';
import { DLQ_HEADERS } from './dead-letter';
import { CLOUDEVENTS_CONTENT_TYPE, EnvelopeSchema, SPECVERSION } from './envelope';
import { ALL_TOPICS, Topics, dlqTopic } from './topics';

type Json = Record<string, unknown>;

const toSchema = (schema: z.ZodType): Json => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' }) as Json;
  return rest;
};

/** The Kafka headers of an event (structured mode): the content type, `ce_` copies of three attributes, trace context. */
const eventHeaders = (type: string): Json => ({
  type: 'object',
  required: ['content-type'],
  properties: {
    'content-type': { const: CLOUDEVENTS_CONTENT_TYPE, description: 'CloudEvents structured mode, JSON event format' },
    ce_specversion: { const: SPECVERSION, description: 'a copy of the specversion attribute' },
    ce_id: { type: 'string', format: 'uuid', description: 'a copy of the id attribute' },
    ce_type: { const: type, description: 'a copy of the type attribute' },
    traceparent: {
      type: 'string',
      description: "W3C trace context of the relay's producer span, when traced: consumers continue it (docs/decisions/0028)",
    },
    tracestate: { type: 'string', description: 'W3C tracestate that goes with the traceparent header, when there is one' },
  },
});

const channelKey = (topic: string) => Object.entries(Topics).find(([, t]) => t === topic)?.[0] ?? topic;
const messageKey = (name: string, version: number) => `${name}.v${version}`;

/** The AsyncAPI 3 document of every topic and event, generated from the catalogue (never edited by hand). */
export function buildAsyncApiDocument(version = '1.0.0'): Json {
  const channels: Json = {};
  const operations: Json = {};
  const messages: Json = {};

  for (const topic of ALL_TOPICS) {
    const key = channelKey(topic);
    const defs = EVENT_CATALOGUE.filter((d) => d.topic === topic);
    const channelMessages: Json = {};
    for (const def of defs) {
      const mKey = messageKey(def.name, def.dataversion);
      messages[mKey] = {
        name: def.type,
        title: `${def.name} v${def.dataversion}`,
        summary: def.summary,
        ...(def.personal?.length && {
          description: `Personal fields, sealed in \`personaldata\` with the key \`personalkey\` names (docs/decisions/0024-personal-data.md): ${def.personal
            .map((p) => `\`data.${p.replace(/\?$/, '')}\``)
            .join(', ')}.`,
        }),
        contentType: 'application/cloudevents+json',
        headers: eventHeaders(def.type),
        correlationId: { description: 'the request or flow the event belongs to', location: '$message.payload#/correlationid' },
        payload: toSchema(
          EnvelopeSchema.extend({
            type: z.literal(def.type),
            source: z.literal(def.source),
            dataversion: z.literal(def.dataversion),
            data: def.data,
          }),
        ),
        bindings: { kafka: { key: { type: 'string', description: 'the partition key: the event subject (aggregate id)' } } },
      };
      channelMessages[mKey] = { $ref: `#/components/messages/${mKey}` };
    }
    channels[key] = { address: topic, title: topic, messages: channelMessages };
    channels[`${key}Dlq`] = {
      address: dlqTopic(topic),
      title: dlqTopic(topic),
      description: `Messages from ${topic} that a consumer could not apply, with the reason in the headers.`,
      messages: { deadLetter: { $ref: '#/components/messages/deadLetter' } },
    };
    const sources = [...new Set(defs.map((d) => d.source))];
    operations[`publish_${key}`] = {
      action: 'send',
      title: `${sources.join(', ')} publishes to ${topic}`,
      channel: { $ref: `#/channels/${key}` },
      messages: Object.keys(channelMessages).map((m) => ({ $ref: `#/channels/${key}/messages/${m}` })),
    };
  }

  messages.deadLetter = {
    name: 'dead-letter',
    summary: 'The original message bytes and key, unchanged, with why they were dead-lettered.',
    headers: {
      type: 'object',
      required: Object.values(DLQ_HEADERS).map((h) => h.name),
      properties: Object.fromEntries(Object.entries(DLQ_HEADERS).map(([, h]) => [h.name, { type: 'string', description: h.description }])),
    },
    payload: { description: 'the original message value, byte for byte' },
  };

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Sales-tracking CRM events',
      version,
      description:
        'Events the CRM services exchange over Kafka. Every message is a CloudEvent 1.0 in structured mode (CloudEvents Kafka ' +
        `protocol binding): the value is the whole event in the JSON event format, the \`content-type\` header is \`${CLOUDEVENTS_CONTENT_TYPE}\`, ` +
        'the Kafka key is the subject. `data` is JSON (`datacontenttype` application/json) and its schema is per event type and ' +
        '`dataversion`; `dataversion`, `correlationid` and `causationid` are extension attributes.',
    },
    defaultContentType: 'application/cloudevents+json',
    servers: { local: { host: '127.0.0.1:9092', protocol: 'kafka', description: 'local KRaft broker (npm run infra:up)' } },
    channels,
    operations,
    components: { messages },
  };
}
