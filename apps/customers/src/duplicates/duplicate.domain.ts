// Duplicate rules as pure functions: how emails, phones, domains and company names are normalised, when a
// Chinese name shares enough with another, and what a set of rules says about the records a check found.
import { DomainError } from '@crm/domain';

export const RULE_ENTITIES = ['account', 'contact'] as const;
export const RULE_FIELDS = ['email', 'phone', 'domain', 'name'] as const;
export const RULE_MATCHES = ['exact', 'fuzzy'] as const;
export const RULE_ACTIONS = ['warn', 'block'] as const;
export type RuleEntity = (typeof RULE_ENTITIES)[number];
export type RuleField = (typeof RULE_FIELDS)[number];
export type RuleAction = (typeof RULE_ACTIONS)[number];

export interface DuplicateRule {
  id: string;
  entity: RuleEntity;
  field: RuleField;
  match: (typeof RULE_MATCHES)[number];
  /** Trigram similarity (0-1) a fuzzy name must reach; null for exact rules. */
  threshold: number | null;
  action: RuleAction;
  enabled: boolean;
}

export function normalizeEmail(email: string): string | null {
  const e = email.trim().toLowerCase();
  return e || null;
}

/** Digits only, keeping a leading `+`: "+86 138-0013 8000" and "+8613800138000" are one number. */
export function normalizePhone(phone: string): string | null {
  const trimmed = phone.trim();
  const digits = trimmed.replace(/\D/g, '');
  if (!digits) return null;
  return trimmed.startsWith('+') ? `+${digits}` : digits;
}

/** "https://WWW.Acme.example/about" and "acme.example" are one domain. */
export function normalizeDomain(domain: string): string | null {
  const d = domain
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/[/?#].*$/, '')
    .replace(/^www\./, '')
    .replace(/\.$/, '');
  return d || null;
}

/** Case, width, spacing and punctuation do not make another company ("ＡＣＭＥ, Ltd." is "acme ltd"). */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const HAN = /\p{Script=Han}/u;

/**
 * Every pair of neighbouring Chinese characters of a name: two names share a substring of two or more Chinese
 * characters exactly when they share one of these (北京华为科技 and 华为技术 share 华为). Stored with the account
 * so the check is an indexed array overlap.
 */
export function hanBigrams(name: string): string[] {
  const chars = [...normalizeName(name)];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) if (HAN.test(chars[i]) && HAN.test(chars[i + 1])) out.add(chars[i] + chars[i + 1]);
  return [...out].sort();
}

export function sharesHanSubstring(a: string, b: string): boolean {
  const theirs = new Set(hanBigrams(b));
  return hanBigrams(a).some((g) => theirs.has(g));
}

/** What a record offers to the duplicate check, normalised. */
export interface DuplicateKeys {
  emails: string[];
  phones: string[];
  domains: string[];
  name: string;
}

/** A stored record the check found, with its keys and the trigram similarity of its name to the new one. */
export interface Candidate extends DuplicateKeys {
  id: string;
  displayName: string;
  nameSimilarity: number;
}

export interface DuplicateMatch {
  id: string;
  name: string;
  ruleId: string;
  field: RuleField;
  action: RuleAction;
}

const overlaps = (a: string[], b: string[]) => a.some((x) => b.includes(x));

export function ruleMatches(rule: DuplicateRule, keys: DuplicateKeys, c: Candidate): boolean {
  switch (rule.field) {
    case 'email':
      return overlaps(keys.emails, c.emails);
    case 'phone':
      return overlaps(keys.phones, c.phones);
    case 'domain':
      return overlaps(keys.domains, c.domains);
    case 'name':
      if (rule.match === 'exact') return !!keys.name && keys.name === c.name;
      return c.nameSimilarity >= (rule.threshold ?? 1) || sharesHanSubstring(keys.name, c.name);
  }
}

/** Every (record, rule) pair that matches, block rules first. */
export function findDuplicates(rules: DuplicateRule[], keys: DuplicateKeys, candidates: Candidate[]): DuplicateMatch[] {
  const active = rules.filter((r) => r.enabled).sort((a, b) => (a.action === b.action ? 0 : a.action === 'block' ? -1 : 1));
  return active.flatMap((rule) =>
    candidates
      .filter((c) => ruleMatches(rule, keys, c))
      .map((c) => ({ id: c.id, name: c.displayName, ruleId: rule.id, field: rule.field, action: rule.action })),
  );
}

/**
 * A match of a block rule refuses the save (409 DUPLICATE_BLOCKED); a match of a warn rule refuses it too
 * (409 DUPLICATE_WARNING) unless the caller saw the warning and asked to save anyway.
 */
export function assertNoDuplicates(entity: RuleEntity, matches: DuplicateMatch[], allowDuplicate: boolean): void {
  const blocked = matches.filter((m) => m.action === 'block');
  if (blocked.length) {
    throw new DomainError({
      kind: 'conflict',
      code: 'DUPLICATE_BLOCKED',
      detail: `A ${entity} with the same ${[...new Set(blocked.map((m) => m.field))].join(', ')} exists; the duplicate rules do not allow another.`,
      extensions: { matches: blocked },
    });
  }
  if (matches.length && !allowDuplicate) {
    throw new DomainError({
      kind: 'conflict',
      code: 'DUPLICATE_WARNING',
      detail: `This ${entity} looks like ${new Set(matches.map((m) => m.id)).size} existing one(s); repeat the request with allowDuplicate=true to save it anyway.`,
      extensions: { matches },
    });
  }
}

/** An admin's edit of a rule: a fuzzy rule needs a threshold, and only names can be fuzzy. */
export function decideRuleEdit(rule: DuplicateRule, edit: Partial<Pick<DuplicateRule, 'match' | 'threshold' | 'action' | 'enabled'>>): DuplicateRule {
  // A field left out of the request keeps its value.
  const next = { ...rule, ...Object.fromEntries(Object.entries(edit).filter(([, v]) => v !== undefined)) };
  if (next.match === 'exact') next.threshold = null;
  if (next.match === 'fuzzy' && next.field !== 'name') throw DomainError.invalidField('match', `only a name rule can be fuzzy, not ${next.field}`);
  if (next.match === 'fuzzy' && next.threshold === null) throw DomainError.invalidField('threshold', 'a fuzzy rule needs a threshold between 0 and 1');
  return next;
}
