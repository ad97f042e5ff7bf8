import { accountKey } from './account.domain';

describe('accountKey', () => {
  it('normalises the company name, falls back to the e-mail', () => {
    expect(accountKey({ company: '  Acme   Trading Ltd. ' })).toBe('company:acme trading');
    expect(accountKey({ company: 'ACME trading', email: 'x@y.example' })).toBe('company:acme trading');
    expect(accountKey({ email: ' Li.Wei@Acme.Example ' })).toBe('email:li.wei@acme.example');
    expect(accountKey({ company: ' ' })).toBeNull();
  });
});
