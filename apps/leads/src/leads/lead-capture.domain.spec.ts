import { decideCapture, decideMerge, samePersonAmong, type CaptureInput } from './lead-capture.domain';
import { contactKey } from './lead.domain';

const now = new Date('2026-03-01T10:00:00Z');
const L1 = '33333333-3333-4333-8333-333333333333';
const L2 = '44444444-4444-4444-8444-444444444444';
const input: CaptureInput = { source: 'web_form', name: 'Li Wei', email: ' Li.Wei@Acme.example ', phone: '+86 138 0013 8000', company: 'Acme', needs: 'pumps' };

describe('capture', () => {
  it('stores a new lead with its normalised key and defaults, and publishes lead.captured', () => {
    const { changes, events } = decideCapture(input, contactKey(input), { id: L1, by: 'web-form', now });
    expect(changes).toMatchObject({
      id: L1,
      source: 'web_form',
      contactName: 'Li Wei',
      email: 'Li.Wei@Acme.example',
      phone: '+86 138 0013 8000',
      campaign: null,
      region: null,
      key: { email: 'li.wei@acme.example', phone: '+8613800138000', company: 'acme' },
      customFields: {},
      createdBy: 'web-form',
      createdAt: now,
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'crm.lead.captured', subject: L1 });
    expect(events[0].data).toMatchObject({
      leadId: L1,
      source: 'web_form',
      contact: { name: 'Li Wei', company: 'Acme', email: 'Li.Wei@Acme.example' },
      message: 'pumps',
      capturedAt: now.toISOString(),
    });
  });

  it('leaves optional fields sent as null out of the event as sent', () => {
    const nulls = { ...input, campaign: null, region: null, company: null } as unknown as CaptureInput;
    const { events } = decideCapture(nulls, contactKey(nulls), { id: L2, by: 'x', now });
    const wire = JSON.parse(JSON.stringify(events[0].data));
    expect(wire).not.toHaveProperty('campaign');
    expect(wire).not.toHaveProperty('region');
    expect(wire.contact).not.toHaveProperty('company');
  });

  it('merges a repeat submission as a touch offering its contact details, with no event', () => {
    const again: CaptureInput = { source: 'phone', name: 'li wei', phone: ' 138 0013 8000 ', campaign: 'spring' };
    const { changes, events } = decideMerge(L1, again, contactKey(again), { touchId: 't1', by: 'rep', now });
    expect(events).toEqual([]);
    expect(changes.touch).toEqual({ id: 't1', leadId: L1, source: 'phone', campaign: 'spring', submitted: again, by: 'rep', at: now });
    expect(changes.offered).toEqual({ email: null, phone: '138 0013 8000', company: null, key: { email: null, phone: '13800138000', company: null } });
  });

  it('finds the oldest open lead of the same person, not one sharing a switchboard number', () => {
    const key = contactKey({ phone: '+1 555 0100', company: 'Acme' });
    const open = [
      { id: 'globex', email: null, phone: '+15550100', company: 'globex' },
      { id: 'acme-1', email: null, phone: '+15550100', company: 'acme' },
      { id: 'acme-2', email: null, phone: '+15550100', company: null },
    ];
    expect(samePersonAmong(key, open)?.id).toBe('acme-1');
    expect(samePersonAmong(key, open.slice(0, 1))).toBeUndefined();
  });
});
