import { randomBytes } from 'node:crypto';
import { createEvent } from '@crm/contracts';
import type { KeySource } from './key-vault';
import { maskPersonal } from './masking';
import { MasterKeys } from './master-keys';
import { ERASED, SEALED, openEvents, sealEvents } from './personal-fields';

/** A vault in memory: keys made on first use, destroyed by deleting them (and never made again). */
function memoryKeys(): KeySource & { destroy(id: string): void } {
  const keys = new Map<string, Buffer | null>();
  return {
    async keysFor(records) {
      for (const { keyId } of records) if (!keys.has(keyId)) keys.set(keyId, randomBytes(32));
      return new Map([...keys].filter(([id, k]) => k && records.some((r) => r.keyId === id)) as [string, Buffer][]);
    },
    async find(ids) {
      return new Map([...keys].filter(([id, k]) => k && ids.includes(id)) as [string, Buffer][]);
    },
    destroy: (id) => keys.set(id, null),
  };
}

const captured = () =>
  createEvent('lead.captured', {
    subject: '6f1c0a3e-8d47-4c56-9a0e-2b7f8f1d4c11',
    data: {
      leadId: '6f1c0a3e-8d47-4c56-9a0e-2b7f8f1d4c11',
      source: 'phone',
      contact: { name: '王伟', company: 'Acme', email: 'wang.wei@example.cn', phone: '+86 138 0013 8000' },
      message: 'call me after 5',
      capturedAt: '2026-12-01T08:00:00.000Z',
    },
  });

describe('personal fields on the topics', () => {
  it('seals them with the record key: the wire holds neither the name, the email, the phone nor the message', async () => {
    const keys = memoryKeys();
    const [sealed] = await sealEvents([captured()], keys);
    const wire = JSON.stringify(sealed);
    for (const value of ['王伟', 'wang.wei@example.cn', '138 0013', 'call me after 5']) expect(wire).not.toContain(value);
    expect(sealed.personalkey).toBe('leads:6f1c0a3e-8d47-4c56-9a0e-2b7f8f1d4c11');
    expect(sealed.data).toMatchObject({ contact: { name: SEALED, company: 'Acme' } });
    expect((sealed.data as { contact: object }).contact).not.toHaveProperty('email');
  });

  it('opens them again with the live key, and reads "[erased]" once the key is destroyed', async () => {
    const keys = memoryKeys();
    const original = captured();
    const [a] = await sealEvents([original], keys);
    const [b] = await sealEvents([captured()], keys);
    const copyA = JSON.parse(JSON.stringify(a));
    await openEvents([copyA], keys);
    expect(copyA.data).toEqual(original.data);
    keys.destroy(a.personalkey!);
    const copyB = JSON.parse(JSON.stringify(b));
    await openEvents([copyB], keys);
    expect(copyB.data.contact).toEqual({ name: ERASED, company: 'Acme' });
    expect(copyB.data).not.toHaveProperty('message');
  });

  it('writes an event of a record already erased with "[erased]" and nothing sealed', async () => {
    const keys = memoryKeys();
    keys.destroy('leads:6f1c0a3e-8d47-4c56-9a0e-2b7f8f1d4c11');
    const [sealed] = await sealEvents([captured()], keys);
    expect(sealed.personaldata).toBeUndefined();
    expect(sealed.data).toMatchObject({ contact: { name: ERASED } });
  });

  it('refuses sealed data that was altered (the GCM tag) or moved to another event (the event id is bound in)', async () => {
    const keys = memoryKeys();
    const [sealed] = await sealEvents([captured()], keys);
    const moved = { ...JSON.parse(JSON.stringify(sealed)), id: '0b7e6a52-3f0c-4d0e-8a47-1f2c3d4e5f60' };
    await expect(openEvents([moved], keys)).rejects.toThrow();
  });

  it('leaves events without personal fields as they were', async () => {
    const event = createEvent('lead.assigned', {
      subject: '6f1c0a3e-8d47-4c56-9a0e-2b7f8f1d4c11',
      data: {
        leadId: '6f1c0a3e-8d47-4c56-9a0e-2b7f8f1d4c11',
        repId: '0b7e6a52-3f0c-4d0e-8a47-1f2c3d4e5f60',
        rule: 'round_robin',
        assignedAt: '2026-12-01T08:00:00.000Z',
        firstFollowUpDueAt: '2026-12-01T09:00:00.000Z',
      },
    });
    expect(await sealEvents([event], memoryKeys())).toEqual([event]);
  });
});

describe('master keys', () => {
  it('unwraps with an older key after a rotation and refuses a key no longer listed', () => {
    const old = new MasterKeys(`k1:${randomBytes(32).toString('base64')}`);
    const { masterId, wrapped } = old.wrap(Buffer.from('data key'), 'leads:1');
    const rotated = new MasterKeys(`k2:${randomBytes(32).toString('base64')},k1:${old['keys'].get('k1')!.toString('base64')}`);
    expect(rotated.unwrap(masterId, wrapped, 'leads:1').toString()).toBe('data key');
    expect(() => new MasterKeys(`k2:${randomBytes(32).toString('base64')}`).unwrap(masterId, wrapped, 'leads:1')).toThrow(/no longer lists/);
    expect(() => MasterKeys.fromEnv({ NODE_ENV: 'production' })).toThrow(/PII_MASTER_KEYS/);
  });
});

describe('masking', () => {
  it('shows the shape of a personal value, not the value', () => {
    expect(maskPersonal('wang.wei@example.cn')).toBe('w•••@example.cn');
    expect(maskPersonal('+86 138 0013 8000')).toBe('•••00');
    expect(maskPersonal('王伟')).toBe('王•••');
    expect(maskPersonal(null)).toBeNull();
  });
});
