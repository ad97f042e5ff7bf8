import {
  assertAllowed,
  assertNotErased,
  contactKey,
  dedupeLockKeys,
  isSamePerson,
  LeadStateError,
  normalizeEmail,
  normalizePhone,
  reroutes,
} from './lead.domain';

describe('normalisation', () => {
  it('trims and lower-cases emails', () => {
    expect(normalizeEmail('  Li.Wei@ACME.example ')).toBe('li.wei@acme.example');
    expect(normalizeEmail('  ')).toBeNull();
  });

  it('keeps only digits of a phone, and a leading +', () => {
    expect(normalizePhone('+86 138-0013 (8000)')).toBe('+8613800138000');
    expect(normalizePhone('138 0013 8000')).toBe('13800138000');
    expect(normalizePhone(' - ')).toBeNull();
  });
});

describe('same person', () => {
  it('by email, whatever the case', () => {
    expect(isSamePerson(contactKey({ email: 'A@x.io' }), contactKey({ email: 'a@X.IO ', phone: '1' }))).toBe(true);
  });

  it('by phone unless both name different companies', () => {
    const a = contactKey({ phone: '+1 555 0100', company: 'Acme Ltd.' });
    expect(isSamePerson(a, contactKey({ phone: '+15550100', company: 'ACME ltd' }))).toBe(true);
    expect(isSamePerson(a, contactKey({ phone: '+15550100' }))).toBe(true);
    expect(isSamePerson(a, contactKey({ phone: '+15550100', company: 'Globex' }))).toBe(false);
    expect(isSamePerson(contactKey({ email: 'a@x.io' }), contactKey({ email: 'b@x.io' }))).toBe(false);
  });

  it('locks both keys in a stable order', () => {
    expect(dedupeLockKeys(contactKey({ email: 'A@x.io', phone: '12345' }))).toEqual(['lead:email:a@x.io', 'lead:phone:12345']);
  });
});

describe('lead states', () => {
  it('makes a converted lead read-only and converts only qualified leads', () => {
    expect(() => assertAllowed('edit', 'converted')).toThrow(/read-only/);
    expect(() => assertAllowed('convert', 'contacted')).toThrow(LeadStateError);
    expect(() => assertAllowed('convert', 'qualified')).not.toThrow();
    expect(reroutes('wrong_territory')).toBe(true);
    expect(reroutes('no_budget')).toBe(false);
  });

  it('refuses any change to an erased lead with ERASED_RECORD', () => {
    expect(() => assertNotErased({ id: 'L1', erasedAt: new Date() })).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'ERASED_RECORD', detail: 'The lead L1 was erased; it can no longer be changed.' }),
    );
    expect(() => assertNotErased({ id: 'L1', erasedAt: null })).not.toThrow();
  });
});

describe('lead state errors', () => {
  it('are conflicts: LEAD_READ_ONLY once converted, ILLEGAL_TRANSITION otherwise', () => {
    expect(() => assertAllowed('qualify', 'converted')).toThrow(expect.objectContaining({ kind: 'conflict', code: 'LEAD_READ_ONLY' }));
    expect(() => assertAllowed('qualify', 'new')).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'ILLEGAL_TRANSITION', detail: expect.stringContaining('allowed from: assigned, contacted') }),
    );
  });
});
