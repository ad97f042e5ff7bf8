import type { DuplicateKeys, DuplicateRule } from '../duplicate.domain';
import { decidePairs, fuzzyThreshold, type ProposedPair } from './scan.domain';

const rule = (over: Partial<DuplicateRule>): DuplicateRule => ({
  id: 'r',
  entity: 'account',
  field: 'domain',
  match: 'exact',
  threshold: null,
  action: 'warn',
  enabled: true,
  ...over,
});
const RULES = [rule({ id: 'r-domain' }), rule({ id: 'r-name', field: 'name', match: 'fuzzy', threshold: 0.6 })];
const keys = (over: Partial<DuplicateKeys>): DuplicateKeys => ({ emails: [], phones: [], domains: [], name: '', ...over });
const pair = (over: Partial<ProposedPair>): ProposedPair => ({ firstId: 'b', secondId: 'a', first: keys({}), second: keys({}), nameSimilarity: 0, ...over });

describe('scan decisions', () => {
  it('keeps a pair an enabled rule matches, ordered, with every field that matched and the best score', () => {
    const found = decidePairs('account', RULES, [
      pair({ first: keys({ domains: ['acme.example'], name: 'acme' }), second: keys({ domains: ['acme.example'], name: 'acme ltd' }), nameSimilarity: 0.7 }),
    ]);
    expect(found).toEqual([{ entity: 'account', firstId: 'a', secondId: 'b', fields: ['domain', 'name'], ruleIds: ['r-domain', 'r-name'], score: 1 }]);
  });

  it('applies the fuzzy threshold and the shared Chinese substring as a create does', () => {
    const below = pair({ first: keys({ name: 'northwind' }), second: keys({ name: 'southwind' }), nameSimilarity: 0.59 });
    const at = { ...below, nameSimilarity: 0.6 };
    const chinese = pair({ first: keys({ name: '北京华为科技' }), second: keys({ name: '华为技术' }), nameSimilarity: 0.1 });
    expect(decidePairs('account', RULES, [below])).toEqual([]);
    expect(decidePairs('account', RULES, [at])).toEqual([expect.objectContaining({ fields: ['name'], score: 0.6 })]);
    expect(decidePairs('account', RULES, [chinese])).toEqual([expect.objectContaining({ fields: ['name'] })]);
  });

  it('ignores disabled rules, another entity’s rules, and the same pair proposed twice', () => {
    const shared = pair({ first: keys({ domains: ['x.example'] }), second: keys({ domains: ['x.example'] }) });
    expect(decidePairs('account', [rule({ enabled: false })], [shared])).toEqual([]);
    expect(decidePairs('contact', RULES, [shared])).toEqual([]);
    expect(decidePairs('account', RULES, [shared, { ...shared, firstId: 'a', secondId: 'b' }])).toHaveLength(1);
    expect(fuzzyThreshold([...RULES, rule({ field: 'name', match: 'fuzzy', threshold: 0.4, enabled: false })], 'account')).toBe(0.6);
    expect(fuzzyThreshold(RULES, 'contact')).toBeNull();
  });

  it('finds contacts by a shared normalised email or phone', () => {
    const rules = [rule({ id: 'e', entity: 'contact', field: 'email', action: 'block' }), rule({ id: 'p', entity: 'contact', field: 'phone' })];
    const found = decidePairs('contact', rules, [
      pair({ first: keys({ phones: ['+8613911112222'] }), second: keys({ phones: ['+8613911112222'], emails: ['x@y.example'] }) }),
    ]);
    expect(found).toEqual([expect.objectContaining({ fields: ['phone'], ruleIds: ['p'], score: 1 })]);
  });
});
