import {
  decideResolution,
  inJourney,
  leadResolvedEvent,
  resolutionKeys,
  resolutionLockKeys,
  type AccountCandidate,
  type ContactCandidate,
} from './resolution.domain';

const contact = (c: Partial<ContactCandidate>): ContactCandidate => ({ id: 'c1', emails: [], phones: [], accountIds: [], ...c });
const account = (a: Partial<AccountCandidate>): AccountCandidate => ({ id: 'a1', domains: [], normalizedName: '', ...a });
const keys = (customer: Parameters<typeof resolutionKeys>[0]) => resolutionKeys(customer);

describe('resolutionKeys', () => {
  it('normalises email, phone and company, and takes the company domain from the email', () => {
    expect(keys({ name: 'Li Wei', company: ' ＡＣＭＥ, Ltd. ', email: ' Li.Wei@ACME.example', phone: '+86 138-0013 8000' })).toEqual({
      email: 'li.wei@acme.example',
      phone: '+8613800138000',
      domain: 'acme.example',
      company: 'acme ltd',
    });
  });

  it('ignores the domain of a public mail provider, and offers null for what the lead lacks', () => {
    for (const host of ['gmail.com', 'QQ.com', '163.com', '126.com', 'outlook.com', 'hotmail.com', 'yahoo.com', 'foxmail.com', 'sina.com']) {
      expect(keys({ name: 'X', email: `x@${host}` }).domain).toBeNull();
    }
    expect(keys({ name: 'X' })).toEqual({ email: null, phone: null, domain: null, company: null });
    expect(keys({ name: 'X', company: ' ,. ', phone: 'n/a' })).toEqual({ email: null, phone: null, domain: null, company: null });
  });

  it('locks the lead and each key the duplicate checks lock too', () => {
    expect(resolutionLockKeys('L', keys({ name: 'X', company: 'Acme', email: 'x@acme.example', phone: '123' }))).toEqual([
      'lead-resolution:L',
      'contact:x@acme.example',
      'contact:123',
      'account:acme.example',
      'account-name:acme',
    ]);
  });
});

describe('decideResolution', () => {
  const lead = keys({ name: 'Li Wei', company: 'Acme Trading', email: 'li@acme.example', phone: '010 1234' });

  it('creates both when nothing matches and the lead names a company', () => {
    expect(decideResolution(lead, { contacts: [], accounts: [] })).toEqual({ account: { kind: 'create' }, contact: { kind: 'create' } });
  });

  it('creates only the contact when the lead names no company and nothing matches', () => {
    const k = keys({ name: 'Li Wei', email: 'li@gmail.com' });
    expect(decideResolution(k, { contacts: [], accounts: [account({ domains: ['gmail.com'] })] })).toEqual({
      account: { kind: 'none' },
      contact: { kind: 'create' },
    });
  });

  it("reuses the contact with the email, and that contact's account before any other", () => {
    const c = contact({ id: 'c-mail', emails: ['li@acme.example'], accountIds: ['a-own'] });
    const byPhone = contact({ id: 'c-phone', phones: ['0101234'] });
    const accounts = [account({ id: 'a-domain', domains: ['acme.example'] }), account({ id: 'a-own', normalizedName: 'other' })];
    expect(decideResolution(lead, { contacts: [byPhone, c], accounts })).toEqual({
      account: { kind: 'reuse', id: 'a-own', via: 'contact' },
      contact: { kind: 'reuse', id: 'c-mail', via: 'email', joinAccount: false },
    });
  });

  it("prefers, of the contact's several accounts, the one that shares the lead's domain or name", () => {
    const c = contact({ emails: ['li@acme.example'], accountIds: ['a-old', 'a-acme'] });
    const accounts = [account({ id: 'a-old', normalizedName: 'old co' }), account({ id: 'a-acme', normalizedName: 'acme trading' })];
    expect(decideResolution(lead, { contacts: [c], accounts }).account).toEqual({ kind: 'reuse', id: 'a-acme', via: 'contact' });
  });

  it('matches by phone when no email matches, and a contact without an account joins the one found', () => {
    const c = contact({ id: 'c-phone', phones: ['0101234'] });
    const result = decideResolution(lead, { contacts: [c], accounts: [account({ id: 'a-name', normalizedName: 'acme trading' })] });
    expect(result).toEqual({
      account: { kind: 'reuse', id: 'a-name', via: 'name' },
      contact: { kind: 'reuse', id: 'c-phone', via: 'phone', joinAccount: true },
    });
  });

  it('takes the account of the email domain before the one of the same name, and a new one joins the contact', () => {
    const accounts = [account({ id: 'a-name', normalizedName: 'acme trading' }), account({ id: 'a-domain', domains: ['acme.example'] })];
    expect(decideResolution(lead, { contacts: [], accounts }).account).toEqual({ kind: 'reuse', id: 'a-domain', via: 'domain' });
    const c = contact({ id: 'c', emails: ['li@acme.example'] });
    expect(decideResolution(lead, { contacts: [c], accounts: [] })).toEqual({
      account: { kind: 'create' },
      contact: { kind: 'reuse', id: 'c', via: 'email', joinAccount: true },
    });
  });

  it('does not match an account by a public mail domain, nor a contact by a different email', () => {
    const k = keys({ name: 'Wang', company: 'Beta', email: 'wang@qq.com' });
    const accounts = [account({ id: 'a-qq', domains: ['qq.com'] })];
    const contacts = [contact({ emails: ['other@qq.com'] })];
    expect(decideResolution(k, { contacts, accounts })).toEqual({ account: { kind: 'create' }, contact: { kind: 'create' } });
  });
});

describe('events', () => {
  it('announces the resolution keyed by the contact, in the journey of the conversion', () => {
    const cause = { id: '2b7f9f5e-8a0a-4c1e-9d6a-1f2e3d4c5b6a', correlationid: 'journey-1' };
    const r = {
      leadId: 'e3b0c442-98fc-4c14-9afb-f4c8996fb924',
      contactId: '0f8fad5b-d9cb-469f-a165-70867728950e',
      accountId: null,
      contactCreated: true,
      accountCreated: false,
      resolvedAt: '2026-03-01T10:00:00.000Z',
    };
    const e = leadResolvedEvent(r, cause);
    expect(e).toMatchObject({
      type: 'crm.contact.lead_resolved',
      subject: r.contactId,
      time: r.resolvedAt,
      correlationid: 'journey-1',
      causationid: cause.id,
      data: r,
    });
    expect(inJourney([{ ...e, correlationid: 'x', causationid: null }], cause)[0]).toMatchObject({ correlationid: 'journey-1', causationid: cause.id });
  });
});
