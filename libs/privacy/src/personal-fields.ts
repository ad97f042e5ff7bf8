import { findDefinition, type EventDefinition, type EventEnvelope } from '@crm/contracts';
import type { KeySource } from './key-vault';
import { decrypt, encrypt } from './master-keys';

/** What a required personal field says on a topic: the value itself is in `personaldata`. */
export const SEALED = '[sealed]';
/** What a personal field reads once its record was erased: in events whose key is gone, and in every database. */
export const ERASED = '[erased]';

/** The record whose key seals an event's personal fields: the owning service and the aggregate (the subject). */
export const personalKeyId = (owner: string, recordId: string): string => `${owner}:${recordId}`;

type Json = Record<string, unknown>;

interface Field {
  path: string[];
  optional: boolean;
}

const fieldsOf = (def: EventDefinition | undefined): Field[] =>
  (def?.personal ?? []).map((p) => ({ path: p.replace(/\?$/, '').split('.'), optional: p.endsWith('?') }));

function parentOf(data: Json, path: string[]): Json | undefined {
  let node: unknown = data;
  for (const step of path.slice(0, -1)) {
    node = node && typeof node === 'object' ? (node as Json)[step] : undefined;
  }
  return node && typeof node === 'object' ? (node as Json) : undefined;
}

/** Replaces each personal value present by its placeholder; returns the values taken, by dotted path. */
function takePersonal(data: Json, fields: Field[], placeholder: string): Json {
  const taken: Json = {};
  for (const { path, optional } of fields) {
    const parent = parentOf(data, path);
    const leaf = path[path.length - 1];
    if (!parent || parent[leaf] === undefined) continue;
    taken[path.join('.')] = parent[leaf];
    if (Array.isArray(parent[leaf])) parent[leaf] = [];
    else if (optional) delete parent[leaf];
    else parent[leaf] = placeholder;
  }
  return taken;
}

/**
 * Seals the personal fields of each event with the key of its record before it is stored in the outbox: the topics,
 * kept forever, never hold them readable. An event of a record already erased is written with "[erased]" and no
 * sealed data. Events without personal fields pass unchanged.
 */
export async function sealEvents<E extends EventEnvelope>(events: readonly E[], keys: KeySource): Promise<E[]> {
  const work = events.map((event) => {
    const def = findDefinition(event.type, event.dataversion);
    const fields = fieldsOf(def);
    return { event, def, fields, keyId: def && fields.length ? personalKeyId(def.source, event.subject) : undefined };
  });
  const wanted = work.filter((w) => w.keyId).map((w) => ({ keyId: w.keyId!, owner: w.def!.source }));
  if (!wanted.length) return [...events];
  const live = await keys.keysFor(wanted);
  return work.map(({ event, fields, keyId }) => {
    if (!keyId) return event;
    const data = structuredClone(event.data) as Json;
    const key = live.get(keyId);
    const taken = takePersonal(data, fields, key ? SEALED : ERASED);
    if (!Object.keys(taken).length) return event;
    const sealed = key ? { personaldata: encrypt(key, Buffer.from(JSON.stringify(taken)), event.id).toString('base64') } : {};
    return { ...event, data, personalkey: keyId, ...sealed };
  });
}

/**
 * Puts the personal fields back into events read from a topic, in place, with one vault round trip for the batch.
 * A record erased since reads "[erased]" in its required fields and without its optional ones: what every
 * consumer stores from then on.
 */
export async function openEvents(events: readonly EventEnvelope[], keys: KeySource): Promise<void> {
  const sealed = events.filter((e) => e.personalkey);
  if (!sealed.length) return;
  const live = await keys.find(sealed.filter((e) => e.personaldata).map((e) => e.personalkey!));
  for (const event of sealed) {
    const data = event.data as Json;
    const key = live.get(event.personalkey!);
    if (key && event.personaldata) {
      const values = JSON.parse(decrypt(key, Buffer.from(event.personaldata, 'base64'), event.id).toString()) as Json;
      for (const [dotted, value] of Object.entries(values)) {
        const path = dotted.split('.');
        const parent = parentOf(data, path);
        if (parent) parent[path[path.length - 1]] = value;
      }
    } else {
      takePersonal(data, fieldsOf(findDefinition(event.type, event.dataversion)), ERASED);
    }
    // Opened once: a retry of the same event must not read its opened values as sealed ones.
    delete event.personaldata;
    delete event.personalkey;
  }
}
