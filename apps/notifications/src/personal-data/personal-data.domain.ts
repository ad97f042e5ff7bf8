import { ERASED } from '@crm/privacy';
import type { Params } from '../templates/templates';

/** Params copied from events that carry a person: who (customer, contact) and what they or a rep wrote about them. */
const PEOPLE = new Set(['customer', 'contact']);
const FREE_TEXT = new Set(['comment', 'content', 'customerFeedback', 'message', 'nextAction', 'note']);
const PERSON_FIELDS = ['name', 'email', 'phone'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The person's values a record's name holds: the label itself, and the person after the company (`labelOf`). */
export function labelValues(label: string | null): string[] {
  if (!label || label === ERASED) return [];
  const parts = label.split(' · ');
  return parts.length > 1 ? [label, parts[parts.length - 1]] : [label];
}

/** The personal values a notification's params carry (at any depth), for the erasure's search and forget. */
export function personalValuesIn(params: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (PEOPLE.has(key) && isObject(value)) {
        for (const f of PERSON_FIELDS) if (typeof value[f] === 'string') found.push(value[f] as string);
      } else if (FREE_TEXT.has(key) && typeof value === 'string') found.push(value);
      else walk(value);
    }
  };
  walk(params);
  return found.filter((v) => v !== ERASED);
}

const replaceAll = (text: string, values: readonly string[]) => values.reduce((t, v) => (v.length >= 3 ? t.split(v).join(ERASED) : t), text);

/**
 * A notification's params without the person: the record's name and free texts read "[erased]", a customer or
 * contact keeps only "[erased]" as its name, and any other text quoting one of `values` (an escalation's copy of
 * the original title) has it replaced. Ids, amounts, dates and stages stay, so it still renders, as "[erased]".
 */
export function scrubParams(params: Params, values: readonly string[]): Params {
  const longestFirst = [...values].sort((a, b) => b.length - a.length);
  const scrub = (node: unknown, key?: string): unknown => {
    if (key && PEOPLE.has(key) && isObject(node)) return { name: ERASED };
    if (key && (FREE_TEXT.has(key) || key === 'label') && typeof node === 'string') return ERASED;
    if (typeof node === 'string') return replaceAll(node, longestFirst);
    if (Array.isArray(node)) return node.map((n) => scrub(n));
    if (isObject(node)) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, scrub(v, k)]));
    return node;
  };
  return scrub(params) as Params;
}
