// The duplicate scan's decisions as pure functions: which pairs the database proposed really match an enabled
// rule (the same `ruleMatches` a create or an edit is checked with), and how one pair is recorded.
import { ruleMatches, type DuplicateKeys, type DuplicateRule, type RuleEntity, type RuleField } from '../duplicate.domain';

/** Two records the database found sharing a key, each with its keys, and the trigram similarity of their names. */
export interface ProposedPair {
  firstId: string;
  secondId: string;
  first: DuplicateKeys;
  second: DuplicateKeys;
  nameSimilarity: number;
}

/** One stored pair: `firstId` < `secondId`, every field that matched, and the best score. */
export interface ScannedPair {
  entity: RuleEntity;
  firstId: string;
  secondId: string;
  fields: RuleField[];
  ruleIds: string[];
  /** 1 for a shared exact key (email, phone, domain, same name), else the names' trigram similarity. */
  score: number;
}

export const SCAN_STATUSES = ['open', 'dismissed', 'merged'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

/** The lowest trigram similarity a fuzzy rule of the entity accepts (the SQL proposes at least those), or null when none is enabled. */
export function fuzzyThreshold(rules: DuplicateRule[], entity: RuleEntity): number | null {
  const fuzzy = rules.filter((r) => r.enabled && r.entity === entity && r.match === 'fuzzy').map((r) => r.threshold ?? 1);
  return fuzzy.length ? Math.min(...fuzzy) : null;
}

/** The enabled rules of the entity that compare the given field. */
export const enabledFor = (rules: DuplicateRule[], entity: RuleEntity, field: RuleField) =>
  rules.filter((r) => r.enabled && r.entity === entity && r.field === field);

/** Keeps the proposed pairs that an enabled rule matches, once each, ordered (first < second). */
export function decidePairs(entity: RuleEntity, rules: DuplicateRule[], proposed: ProposedPair[]): ScannedPair[] {
  const active = rules.filter((r) => r.enabled && r.entity === entity);
  const pairs = new Map<string, ScannedPair>();
  for (const p of proposed) {
    if (p.firstId === p.secondId) continue;
    const [firstId, secondId] = p.firstId < p.secondId ? [p.firstId, p.secondId] : [p.secondId, p.firstId];
    const candidate = { ...p.second, id: p.secondId, displayName: '', nameSimilarity: p.nameSimilarity };
    for (const rule of active.filter((r) => ruleMatches(r, p.first, candidate))) {
      const key = `${firstId}:${secondId}`;
      const pair = pairs.get(key) ?? { entity, firstId, secondId, fields: [], ruleIds: [], score: 0 };
      if (!pair.ruleIds.includes(rule.id)) {
        pair.fields.push(rule.field);
        pair.ruleIds.push(rule.id);
      }
      pair.score = Math.max(pair.score, rule.field === 'name' && rule.match === 'fuzzy' ? round(p.nameSimilarity) : 1);
      pairs.set(key, pair);
    }
  }
  return [...pairs.values()].map((p) => ({ ...p, fields: [...p.fields].sort(), ruleIds: [...p.ruleIds].sort() }));
}

const round = (x: number) => Math.round(x * 1000) / 1000;
