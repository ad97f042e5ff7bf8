import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '@crm/contracts';
import { ERASED, personalDataVault } from '@crm/privacy';
import { eventually, startTestService, storedTexts, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { leadsSettings } from '../leads.settings';
import { LeadRetentionJob } from './retention.job';

const team = 'privacy-east';
const admin = { sub: randomUUID(), roles: ['admin'] };
const manager = { sub: randomUUID(), roles: ['sales_manager'], team };
const repA = { sub: randomUUID(), roles: ['sales_rep'], team };
const repB = { sub: randomUUID(), roles: ['sales_rep'], team };
const DAY_MS = 86_400_000;

/** A person with values found nowhere else in the database. */
const person = () => {
  const tag = randomUUID().slice(0, 8);
  const digits = String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
  return {
    name: `Zhou Min ${tag}`,
    email: `zhou.${tag}@bigco.example`,
    phone: `+86 139 ${digits.slice(0, 4)} ${digits.slice(4)}`,
    normalizedPhone: `+86139${digits}`,
  };
};
type Person = ReturnType<typeof person>;
const valuesOf = (p: Person) => [p.name, p.email, p.phone, p.normalizedPhone];

describe("leads: a person's data erased and exported (real Kafka and PostgreSQL)", () => {
  let svc: TestService;

  /** Every text and JSON value of every table of the leads database, as one string to search byte for byte. */
  const dump = async () => (await storedTexts(svc.dataSource)).map((s) => s.text).join('\n');
  const found = async (p: Person) => {
    const all = await dump();
    return valuesOf(p).filter((v) => all.includes(v));
  };
  const applied = (event: EventEnvelope) =>
    eventually(async () => {
      const [{ n }] = await svc.dataSource.query('SELECT count(*)::int AS n FROM inbox WHERE event_id = $1', [event.id]);
      expect(n).toBe(1);
    });
  const liveKeys = async (...leadIds: string[]) => (await personalDataVault().find(leadIds.map((id) => `leads:${id}`))).size;

  /** A lead with everything that copies the person: a repeat submission, a follow-up, a qualification note, a re-assignment note. */
  const leadOf = async (p: Person) => {
    const created = await svc
      .as(admin)
      .post('/api/v1/leads')
      .set('idempotency-key', randomUUID())
      .send({ name: p.name, email: p.email, source: 'web_form', region: 'east', needs: `call ${p.name} after 5pm`, customFields: { wechat: p.email } })
      .expect(201);
    const id = created.body.leadId as string;
    // The same person again with a phone: a touch, and the phone fills the lead's.
    await svc.as(admin).post('/api/v1/leads').send({ name: p.name, email: p.email.toUpperCase(), phone: p.phone, source: 'trade_show' }).expect(200);
    const owner = [repA, repB].find((r) => r.sub === created.body.lead.ownerRepId)!;
    await svc
      .as(owner)
      .post(`/api/v1/leads/${id}/follow-ups`)
      .set('idempotency-key', randomUUID())
      .send({ channel: 'call', content: `spoke with ${p.name}`, customerFeedback: `reach me at ${p.phone}`, nextAction: `email ${p.email}` })
      .expect(201);
    await svc
      .as(owner)
      .post(`/api/v1/leads/${id}/qualify`)
      .send({ note: `${p.name} has budget` })
      .expect(200);
    const other = owner === repA ? repB : repA;
    await svc
      .as(manager)
      .post(`/api/v1/leads/${id}/reassign`)
      .send({ repId: other.sub, note: `${p.name} asked for another rep` })
      .expect(200);
    return id;
  };
  const resolve = async (leadId: string, contactId: string) => {
    const e = createEvent('contact.lead_resolved', {
      subject: contactId,
      data: { leadId, accountId: null, contactId, contactCreated: true, accountCreated: false, resolvedAt: new Date().toISOString() },
    });
    await svc.publish(e);
    await applied(e);
  };
  const lead = async (id: string) => (await svc.as(admin).get(`/api/v1/leads/${id}`).expect(200)).body;
  /** The lead's entries in the trail with this action: who, and the fields named. */
  const trail = (id: string, action: string): Promise<{ actor: string; changes: { field: string; old?: unknown; sealed?: string }[] }[]> =>
    svc.dataSource.query('SELECT actor, changes FROM audit_trail WHERE record_type = $1 AND record_id = $2 AND action = $3 ORDER BY id', ['lead', id, action]);

  beforeAll(async () => {
    svc = await startTestService('leads', (config) => AppModule.forRoot(config), { settings: leadsSettings });
    for (const [rep, name] of [
      [repA, 'privacy-a'],
      [repB, 'privacy-b'],
    ] as const) {
      await svc
        .as(admin)
        .post('/api/v1/reps')
        .send({ id: rep.sub, name, email: `${name}@crm.example`, team, capacity: 100 })
        .expect(201);
    }
    await svc
      .as(admin)
      .post('/api/v1/assignment-rules')
      .send({ name: 'All to east', position: 1, target: { kind: 'team', team } })
      .expect(201);
  });
  afterAll(() => svc?.close());

  it("scrubs a contact's leads on contact.erased: no value left in any table, keys destroyed, business facts kept", async () => {
    const p = person();
    const [id, other] = [await leadOf(p), await leadOf(person())];
    const contactId = randomUUID();
    await resolve(id, contactId);
    expect(await found(p)).toEqual(valuesOf(p));
    expect(await liveKeys(id)).toBe(1);
    const before = await lead(id);

    const erased = createEvent('contact.erased', {
      subject: contactId,
      data: {
        contactId,
        leadIds: [],
        opportunityIds: [],
        orderIds: [],
        receivableIds: [],
        requestId: randomUUID(),
        by: admin.sub,
        erasedAt: new Date().toISOString(),
      },
    });
    await svc.publish(erased, erased);
    await applied(erased);

    expect(await found(p)).toEqual([]);
    expect(await liveKeys(id)).toBe(0);
    expect(await liveKeys(other)).toBe(1);
    // In the trail once (the repeated event changes nothing), by whoever the event names, the fields without values.
    const [entry, ...more] = await trail(id, 'erased');
    expect(more).toEqual([]);
    expect(entry.actor).toBe(admin.sub);
    expect(entry.changes.map((c) => c.field)).toEqual(['contactName', 'email', 'phone', 'needs', 'customFields', 'followUps', 'touches']);
    expect(entry.changes.every((c) => c.old === undefined && c.sealed === undefined)).toBe(true);
    expect(await trail(other, 'erased')).toEqual([]);
    const after = await lead(id);
    expect(after).toMatchObject({ contactName: ERASED, email: null, phone: null, needs: null, customFields: {}, erasedAt: expect.any(String) });
    for (const kept of ['status', 'source', 'region', 'ownerRepId', 'team', 'qualifiedAt', 'createdAt', 'contactId']) expect(after[kept]).toEqual(before[kept]);
    expect(after.assignments).toHaveLength(before.assignments.length);
    expect(after.followUps[0]).toMatchObject({ channel: 'call', content: ERASED, customerFeedback: null, nextAction: null });
    // The search by an old value finds nothing; the contact's erasure is the customers service's event, not lead.erased.
    expect(
      (
        await svc
          .as(admin)
          .get(`/api/v1/leads?q=${encodeURIComponent(p.email)}`)
          .expect(200)
      ).body.items,
    ).toEqual([]);
    expect((await svc.published('lead.erased')).filter((e) => e.subject === id)).toEqual([]);
  });

  it('erases an unconverted lead on an admin request: 409 for a lead that became a contact, 403 for a rep, 404 unknown, idempotent', async () => {
    const p = person();
    const id = await leadOf(p);
    const linked = await leadOf(person());
    const contactId = randomUUID();
    await resolve(linked, contactId);
    const body = { reason: 'asked by email on 2026-05-02' };

    const conflict = await svc.as(admin).post(`/api/v1/leads/${linked}/erasure`).send(body).expect(409);
    expect(conflict.headers['content-type']).toContain('application/problem+json');
    expect(conflict.body).toMatchObject({ code: 'LEAD_IS_CONTACT', contactId });
    expect(conflict.body.detail).toContain(contactId);
    await svc.as(repA).post(`/api/v1/leads/${id}/erasure`).send(body).expect(403);
    await svc.as(manager).post(`/api/v1/leads/${id}/erasure`).send(body).expect(403);
    await svc.as(admin).post(`/api/v1/leads/${randomUUID()}/erasure`).send(body).expect(404);
    await svc.as(admin).post(`/api/v1/leads/${id}/erasure`).send({ reason: '' }).expect(400);
    expect(await found(p)).toEqual(valuesOf(p));

    const first = await svc.as(admin).post(`/api/v1/leads/${id}/erasure`).send(body).expect(200);
    expect(first.body).toMatchObject({ id, contactName: ERASED, email: null, phone: null, erasedAt: expect.any(String) });
    const again = await svc.as(admin).post(`/api/v1/leads/${id}/erasure`).send(body).expect(200);
    expect(again.body.erasedAt).toBe(first.body.erasedAt);
    expect(await found(p)).toEqual([]);
    expect(await liveKeys(id)).toBe(0);
    expect(await liveKeys(linked)).toBe(1);
    expect((await trail(id, 'erased')).map((e) => e.actor)).toEqual([admin.sub]);
    expect(await trail(linked, 'erased')).toEqual([]);
    const events = await eventually(async () => {
      const published = (await svc.published('lead.erased')).filter((e) => e.subject === id);
      expect(published).toHaveLength(1);
      return published;
    });
    expect(events[0].data).toEqual({ leadId: id, reason: 'request', opportunityIds: [], by: admin.sub, erasedAt: first.body.erasedAt });
  });

  it('refuses every change to an erased lead with 409 ERASED_RECORD, and changes nothing', async () => {
    const id = await leadOf(person());
    await svc.as(admin).post(`/api/v1/leads/${id}/erasure`).send({ reason: 'asked by phone' }).expect(200);
    const before = await lead(id);
    const etag = `"${before.version}"`;
    const attempts = [
      svc.as(admin).patch(`/api/v1/leads/${id}`).set('If-Match', etag).send({ needs: 'bring the name back' }),
      svc.as(admin).post(`/api/v1/leads/${id}/follow-ups`).send({ channel: 'call', content: 'called again' }),
      svc.as(admin).post(`/api/v1/leads/${id}/qualify`).set('If-Match', etag).send({}),
      svc.as(admin).post(`/api/v1/leads/${id}/disqualify`).set('If-Match', etag).send({ reason: 'no_budget' }),
      svc.as(admin).post(`/api/v1/leads/${id}/convert`).set('If-Match', etag).send({}),
      svc.as(admin).post(`/api/v1/leads/${id}/reassign`).set('If-Match', etag).send({}),
      svc
        .as(admin)
        .post(`/api/v1/leads/${id}/hand-over`)
        .set('If-Match', etag)
        .send({ toRepId: before.ownerRepId === repA.sub ? repB.sub : repA.sub, reason: 'rep moves' }),
    ];
    for (const attempt of attempts) {
      const res = await attempt.expect(409);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({ code: 'ERASED_RECORD', detail: `The lead ${id} was erased; it can no longer be changed.` });
    }
    const after = await lead(id);
    expect(after).toEqual(before);
  });

  it('erases disqualified and untouched leads past their retention period, once across two replicas, and keeps fresh and converted ones', async () => {
    const now = new Date();
    const capture = async (p: Person) =>
      (await svc.as(admin).post('/api/v1/leads').send({ name: p.name, email: p.email, phone: p.phone, source: 'phone' }).expect(201)).body.lead as {
        id: string;
        ownerRepId: string;
      };
    const disqualify = async (l: { id: string; ownerRepId: string }) =>
      svc
        .as([repA, repB].find((r) => r.sub === l.ownerRepId)!)
        .post(`/api/v1/leads/${l.id}/disqualify`)
        .send({ reason: 'no_budget' })
        .expect(200);
    const [oldP, freshP, staleP, convertedP] = [person(), person(), person(), person()];
    const [old, fresh, stale, converted] = [await capture(oldP), await capture(freshP), await capture(staleP), await capture(convertedP)];
    await disqualify(old);
    await disqualify(fresh);
    const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
    await svc.dataSource.query('UPDATE leads SET disqualified_at = $2 WHERE id = $1', [old.id, ago(731)]);
    await svc.dataSource.query('UPDATE leads SET disqualified_at = $2 WHERE id = $1', [fresh.id, ago(700)]);
    await svc.dataSource.query('UPDATE leads SET updated_at = $2 WHERE id = ANY($1::uuid[])', [[stale.id, converted.id], ago(1100)]);
    await svc.dataSource.query(`UPDATE leads SET status = 'converted', converted_at = $2 WHERE id = $1`, [converted.id, ago(1100)]);

    const job = svc.app.get(LeadRetentionJob);
    const passes = await Promise.all([job.run(now), job.run(now)]);
    expect(passes.reduce((a, b) => a + b, 0)).toBe(2);
    expect(await job.run(now)).toBe(0);

    const all = await dump();
    for (const gone of [oldP, staleP]) expect(valuesOf(gone).filter((v) => all.includes(v))).toEqual([]);
    for (const kept of [freshP, convertedP]) expect(all).toContain(kept.email);
    expect(await liveKeys(old.id, stale.id)).toBe(0);
    expect(await liveKeys(fresh.id)).toBe(1);
    for (const gone of [old, stale]) expect((await trail(gone.id, 'erased')).map((e) => e.actor)).toEqual(['system']);
    for (const kept of [fresh, converted]) expect(await trail(kept.id, 'erased')).toEqual([]);
    expect(await lead(old.id)).toMatchObject({ status: 'disqualified', disqualifyReason: 'no_budget', contactName: ERASED });
    const events = await eventually(async () => {
      const published = (await svc.published('lead.erased')).filter((e) => [old.id, stale.id, fresh.id, converted.id].includes(e.subject));
      expect(published).toHaveLength(2);
      return published;
    });
    expect(events.map((e) => e.data).sort((a, b) => ((a as { leadId: string }).leadId < (b as { leadId: string }).leadId ? -1 : 1))).toEqual(
      [old.id, stale.id].sort().map((leadId) => ({ leadId, reason: 'retention', opportunityIds: [], by: 'system', erasedAt: now.toISOString() })),
    );
  });

  it("exports a contact's leads with their follow-ups, repeat touches, assignments and notes; one subject only, admins only", async () => {
    const p = person();
    const id = await leadOf(p);
    const contactId = randomUUID();
    await resolve(id, contactId);

    const res = await svc.as(admin).get(`/api/v1/personal-data/leads?contactId=${contactId}`).expect(200);
    expect(res.body).toMatchObject({ service: 'leads', subject: { contactId }, generatedAt: expect.any(String) });
    const { leads, followUps, touches, assignments, notes } = res.body.records;
    expect(leads).toEqual([
      expect.objectContaining({
        id,
        contactId,
        contactName: p.name,
        email: p.email,
        phone: p.phone,
        normalizedEmail: p.email,
        needs: `call ${p.name} after 5pm`,
      }),
    ]);
    expect(leads[0]).not.toHaveProperty('searchText');
    expect(followUps).toEqual([expect.objectContaining({ leadId: id, content: `spoke with ${p.name}`, customerFeedback: `reach me at ${p.phone}` })]);
    expect(touches).toEqual([expect.objectContaining({ leadId: id, source: 'trade_show', submitted: expect.objectContaining({ phone: p.phone }) })]);
    expect(assignments.map((a: { kind: string }) => a.kind)).toEqual(['initial', 'manual']);
    expect(assignments[1].reason).toContain(`${p.name} asked for another rep`);
    expect(notes).toEqual([expect.objectContaining({ leadId: id, kind: 'crm.lead.qualified', by: expect.any(String), note: `${p.name} has budget` })]);
    expect((await trail(id, 'exported')).map((e) => e.actor)).toEqual([admin.sub]);
    const byLead = await svc.as(admin).get(`/api/v1/personal-data/leads?leadId=${id}`).expect(200);
    expect(byLead.body.records.leads.map((l: { id: string }) => l.id)).toEqual([id]);
    expect((await trail(id, 'exported')).map((e) => e.actor)).toEqual([admin.sub, admin.sub]);

    const nobody = await svc.as(admin).get(`/api/v1/personal-data/leads?contactId=${randomUUID()}`).expect(200);
    expect(nobody.body.records).toEqual({ leads: [], followUps: [], touches: [], assignments: [], notes: [] });
    await svc.as(admin).get('/api/v1/personal-data/leads').expect(400);
    await svc.as(admin).get(`/api/v1/personal-data/leads?contactId=${contactId}&leadId=${id}`).expect(400);
    await svc.as(manager).get(`/api/v1/personal-data/leads?contactId=${contactId}`).expect(403);
  });
});
