import { DomainError } from '@crm/domain';
import {
  assertNoDuplicates,
  decideRuleEdit,
  findDuplicates,
  hanBigrams,
  normalizeDomain,
  normalizeEmail,
  normalizeName,
  normalizePhone,
  sharesHanSubstring,
  type Candidate,
  type DuplicateRule,
} from './duplicate.domain';

const rule = (r: Partial<DuplicateRule> & Pick<DuplicateRule, 'field'>): DuplicateRule => ({
  id: `rule-${r.field}`,
  entity: 'account',
  match: 'exact',
  threshold: null,
  action: 'warn',
  enabled: true,
  ...r,
});
const candidate = (c: Partial<Candidate>): Candidate => ({
  id: 'c1',
  displayName: 'C',
  emails: [],
  phones: [],
  domains: [],
  name: '',
  nameSimilarity: 0,
  ...c,
});
const keys = { emails: [], phones: [], domains: [], name: '' };

describe('normalisation', () => {
  it('makes one key of the ways one email, phone, domain or name is written', () => {
    expect(normalizeEmail('  Li.Wei@ACME.example ')).toBe('li.wei@acme.example');
    expect(normalizePhone('+86 138-0013 8000')).toBe('+8613800138000');
    expect(normalizePhone('(010) 6552 9988')).toBe('01065529988');
    expect(normalizePhone(' - ')).toBeNull();
    expect(normalizeDomain('https://WWW.Acme.example/about?x=1')).toBe('acme.example');
    expect(normalizeName('ＡＣＭＥ,  Ltd.')).toBe('acme ltd');
  });
});

describe('Chinese names', () => {
  it('match on a shared substring of two characters or more, not on one', () => {
    expect(hanBigrams('北京华为科技')).toEqual(['京华', '为科', '北京', '华为', '科技'].sort());
    expect(sharesHanSubstring('北京华为科技', '华为技术')).toBe(true);
    expect(sharesHanSubstring('北京华为科技', '华润置地')).toBe(false);
    expect(sharesHanSubstring('Acme China', 'Acme Asia')).toBe(false);
  });
});

describe('findDuplicates', () => {
  it('names each record and the rule it matched, block rules first, and ignores disabled rules', () => {
    const rules = [rule({ field: 'domain' }), rule({ field: 'email', action: 'block' }), rule({ field: 'phone', enabled: false })];
    const found = findDuplicates(rules, { ...keys, emails: ['a@x.example'], phones: ['1'], domains: ['x.example'] }, [
      candidate({ id: 'd', domains: ['x.example'], phones: ['1'] }),
      candidate({ id: 'e', emails: ['a@x.example'] }),
    ]);
    expect(found.map((m) => [m.id, m.field, m.action])).toEqual([
      ['e', 'email', 'block'],
      ['d', 'domain', 'warn'],
    ]);
  });

  it('matches a fuzzy name at or above the threshold, or on a shared Chinese substring', () => {
    const fuzzy = [rule({ field: 'name', match: 'fuzzy', threshold: 0.6 })];
    expect(findDuplicates(fuzzy, { ...keys, name: 'acme trading' }, [candidate({ name: 'acme trade', nameSimilarity: 0.6 })])).toHaveLength(1);
    expect(findDuplicates(fuzzy, { ...keys, name: 'acme trading' }, [candidate({ name: 'acne', nameSimilarity: 0.59 })])).toHaveLength(0);
    expect(findDuplicates(fuzzy, { ...keys, name: '华为技术' }, [candidate({ name: '北京华为科技', nameSimilarity: 0.1 })])).toHaveLength(1);
  });
});

describe('assertNoDuplicates', () => {
  const warn = { id: 'a', name: 'A', ruleId: 'r', field: 'domain' as const, action: 'warn' as const };
  it('passes no match, and a warning the caller chose to override', () => {
    expect(() => assertNoDuplicates('account', [], false)).not.toThrow();
    expect(() => assertNoDuplicates('account', [warn], true)).not.toThrow();
  });

  it('refuses a warning with the matches, and a block whatever the flag', () => {
    expect(() => assertNoDuplicates('account', [warn], false)).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'DUPLICATE_WARNING', extensions: { matches: [warn] } }),
    );
    const block = { ...warn, action: 'block' as const };
    expect(() => assertNoDuplicates('contact', [warn, block], true)).toThrow(
      expect.objectContaining({ code: 'DUPLICATE_BLOCKED', extensions: { matches: [block] } }),
    );
  });
});

describe('decideRuleEdit', () => {
  it('drops the threshold of an exact rule and refuses a fuzzy rule without one or on another field', () => {
    const name = rule({ field: 'name', match: 'fuzzy', threshold: 0.5 });
    expect(decideRuleEdit(name, { match: 'exact' }).threshold).toBeNull();
    expect(() => decideRuleEdit(rule({ field: 'name' }), { match: 'fuzzy' })).toThrow(DomainError);
    expect(() => decideRuleEdit(rule({ field: 'email' }), { match: 'fuzzy', threshold: 0.5 })).toThrow(DomainError);
    expect(decideRuleEdit(name, { action: 'block', match: undefined })).toMatchObject({ action: 'block', match: 'fuzzy', threshold: 0.5 });
  });
});
