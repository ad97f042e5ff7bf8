import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { ReadMessage } from '../kafka';

/**
 * Checks messages read off Kafka as an outside consumer would: each must be a valid CloudEvent 1.0 in
 * structured mode per the CloudEvents Kafka protocol binding, and match what the AsyncAPI document says
 * of its channel and type. Written from the specifications, not from @crm/contracts' constants, so a
 * change to those fails here.
 */
export interface CloudEventConformance {
  /** What is wrong with one message of `address` (the topic without any test prefix); empty if nothing. */
  problems(address: string, message: ReadMessage): string[];
}

// Binding 3.3.1, JSON event format.
const STRUCTURED_JSON = 'application/cloudevents+json; charset=UTF-8';
// The context attributes the specification and the JSON format define; any other member is an extension.
const SPEC_ATTRIBUTES = new Set(['id', 'source', 'specversion', 'type', 'datacontenttype', 'dataschema', 'subject', 'time', 'data', 'data_base64']);
// Spec 1.0, "Attribute Naming Convention": lower-case ASCII letters and digits; SHOULD NOT exceed 20 characters.
const ATTRIBUTE_NAME = /^[a-z0-9]{1,20}$/;

type Json = Record<string, any>;
interface MessageCheck {
  payload?: ValidateFunction;
  headers?: ValidateFunction;
}

// Not a type guard: a failed check must not narrow the event it looked at.
const passes = (validate: ValidateFunction, data: unknown): boolean => validate(data);
const explain = (errors: ErrorObject[] | null | undefined) => (errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`).join('; ');

export function cloudEventConformance(asyncapi: Json): CloudEventConformance {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const official = ajv.compile(JSON.parse(readFileSync(join(__dirname, 'cloudevents-1.0.2.schema.json'), 'utf8')));
  const resolve = (ref: Json): Json =>
    ref.$ref
      ? ref.$ref
          .replace(/^#\//, '')
          .split('/')
          .reduce((node: Json, key: string) => node[key], asyncapi)
      : ref;

  // Per channel address: its event messages by CloudEvents type, or the one message of a dead-letter channel.
  const events = new Map<string, Map<string, MessageCheck>>();
  const deadLetters = new Map<string, MessageCheck>();
  for (const channel of Object.values<Json>(asyncapi.channels)) {
    const messages = Object.values<Json>(channel.messages).map(resolve);
    const typed = messages.filter((m) => m.payload?.properties?.type?.const);
    if (!typed.length) {
      deadLetters.set(channel.address, { headers: messages[0]?.headers && ajv.compile(messages[0].headers) });
      continue;
    }
    events.set(
      channel.address,
      new Map(typed.map((m) => [m.payload.properties.type.const, { payload: ajv.compile(m.payload), headers: m.headers && ajv.compile(m.headers) }])),
    );
  }

  return {
    problems(address, message) {
      const problems: string[] = [];
      if (deadLetters.has(address)) {
        const check = deadLetters.get(address)!;
        if (check.headers && !passes(check.headers, message.headers)) problems.push(`dead-letter headers: ${explain(check.headers.errors)}`);
        return problems;
      }
      const byType = events.get(address);
      if (!byType) return [`the AsyncAPI document has no channel ${address}`];

      const contentType = message.headers['content-type'];
      if (contentType !== STRUCTURED_JSON) problems.push(`content-type header is ${JSON.stringify(contentType)}, not ${STRUCTURED_JSON}`);
      const httpStyle = Object.keys(message.headers).filter((h) => h.startsWith('ce-'));
      if (httpStyle.length) problems.push(`HTTP-style headers on Kafka: ${httpStyle.join(', ')}`);

      let event: Json;
      try {
        event = JSON.parse(message.value ?? '');
      } catch {
        return [...problems, 'value is not JSON'];
      }
      if (!passes(official, event)) problems.push(`not a CloudEvent (official JSON schema): ${explain(official.errors)}`);
      if (event.specversion !== '1.0') problems.push(`specversion is ${JSON.stringify(event.specversion)}`);
      const badNames = Object.keys(event).filter((k) => !SPEC_ATTRIBUTES.has(k) && !ATTRIBUTE_NAME.test(k));
      if (badNames.length) problems.push(`extension attribute names not lower-case alphanumeric: ${badNames.join(', ')}`);
      if (message.key !== event.subject) problems.push(`Kafka key ${JSON.stringify(message.key)} is not the subject ${JSON.stringify(event.subject)}`);
      // The binding lets structured mode carry binary-mode headers too; if it does, they must say the same.
      for (const [name, value] of Object.entries(message.headers)) {
        if (name.startsWith('ce_') && String(event[name.slice(3)]) !== value)
          problems.push(`header ${name}=${value} but the event says ${event[name.slice(3)]}`);
      }

      const check = byType.get(event.type);
      if (!check) return [...problems, `the AsyncAPI document has no ${event.type} message on ${address}`];
      if (!passes(check.payload!, event)) problems.push(`payload does not match the AsyncAPI schema of ${event.type}: ${explain(check.payload!.errors)}`);
      if (!check.headers) problems.push(`the AsyncAPI document describes no headers for ${event.type}`);
      else if (!passes(check.headers, message.headers)) problems.push(`headers do not match the AsyncAPI document: ${explain(check.headers.errors)}`);
      return problems;
    },
  };
}
