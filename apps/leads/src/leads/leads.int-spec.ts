import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createEvent } from '@crm/contracts';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { leadsSettings } from '../leads.settings';
import { signWebhook as signWebForm } from '@crm/http';
import { openEvents, personalDataVault, SEALED } from '@crm/privacy';

const SECRET = 'web-form-test-secret';
const team = 'east';
const admin = { sub: randomUUID(), roles: ['admin'] };
const manager = { sub: randomUUID(), roles: ['sales_manager'], team };
const integration = { sub: 'fair-scanner', roles: ['integration'] };

describe('leads service (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  const repA = { sub: randomUUID(), roles: ['sales_rep'], team };
  const repB = { sub: randomUUID(), roles: ['sales_rep'], team };
  const westRep = { sub: randomUUID(), roles: ['sales_rep'], team: 'west' };
  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => svc.dataSource.query(sql, params) as Promise<T[]>;
  const count = async (sql: string, params: unknown[] = []) => Number((await rows<{ n: string }>(sql, params))[0].n);
  const asRep = (id: string) => [repA, repB, westRep].find((r) => r.sub === id)!;

  /** Everything the service can change: row counts and the latest change of each table. */
  const fingerprint = () =>
    rows(`SELECT (SELECT count(*) FROM leads) AS leads, (SELECT max(updated_at) FROM leads) AS leads_at, (SELECT count(*) FROM lead_touches) AS touches,
                 (SELECT count(*) FROM assignments) AS assignments, (SELECT count(*) FROM follow_ups) AS follow_ups,
                 (SELECT count(*) FROM reps) AS reps, (SELECT sum(open_leads) FROM reps) AS load, (SELECT max(updated_at) FROM reps) AS reps_at,
                 (SELECT count(*) FROM assignment_rules) AS rules, (SELECT count(*) FROM outbox) AS outbox`);

  const postWebForm = (body: object | string, opts: { secret?: string; timestamp?: number; signature?: string } = {}) => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const ts = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
    const req = request(svc.app.getHttpServer()).post('/api/v1/intake/web-form').set('content-type', 'application/json').set('x-signature-timestamp', ts);
    return req.set('x-signature', opts.signature ?? signWebForm(opts.secret ?? SECRET, ts, raw)).send(raw);
  };

  beforeAll(async () => {
    svc = await startTestService('leads', (config) => AppModule.forRoot(config), { env: { LEADS_WEBFORM_SECRET: SECRET }, settings: leadsSettings });
    for (const [rep, name, repTeam] of [
      [repA, 'Rep A', team],
      [repB, 'Rep B', team],
      [westRep, 'Rep W', 'west'],
    ] as const) {
      await svc
        .as(admin)
        .post('/api/v1/reps')
        .send({ id: rep.sub, name, email: `${name.replace(' ', '.')}@crm.example`, team: repTeam, capacity: 100 })
        .expect(201);
    }
    await svc
      .as(admin)
      .post('/api/v1/assignment-rules')
      .send({ name: 'West', position: 1, match: { regions: ['west'] }, target: { kind: 'team', team: 'west' } })
      .expect(201);
    await svc
      .as(admin)
      .post('/api/v1/assignment-rules')
      .send({ name: 'East team', position: 2, target: { kind: 'team', team } })
      .expect(201);
  });
  afterAll(() => svc?.close());

  it('publishes rep.upserted for every rep create and change', async () => {
    const rep = (await svc.as(admin).get(`/api/v1/reps/${repA.sub}`).expect(200)).body;
    await svc
      .as(manager)
      .patch(`/api/v1/reps/${repA.sub}`)
      .set('if-match', `"${rep.version}"`)
      .send({ regions: ['east', 'north'] })
      .expect(200);
    await svc.as(manager).patch(`/api/v1/reps/${westRep.sub}`).set('if-match', '"1"').send({ capacity: 3 }).expect(403);
    const events = await eventually(async () => {
      const found = (await svc.published('rep.upserted')).filter((e) => e.subject === repA.sub);
      expect(found).toHaveLength(2);
      return found;
    });
    expect(events[1].data).toMatchObject({ repId: repA.sub, team, capacity: 100, active: true, regions: ['east', 'north'] });
  });

  it('takes the same person through the web form twice (letter case, phone spaces) as one lead, also when both posts race', async () => {
    const first = await postWebForm({
      name: 'Li Wei',
      email: 'Li.Wei@Acme.example',
      phone: '+86 138 0013 8000',
      company: 'Acme',
      needs: 'pumps for plant 2',
    }).expect(201);
    expect(first.body).toEqual({ merged: false, leadId: expect.any(String) });
    const again = await postWebForm({ name: 'li wei', email: '  LI.WEI@ACME.EXAMPLE ', phone: '+8613800138000', campaign: 'spring promo' }).expect(200);
    expect(again.body).toEqual({ merged: true, leadId: first.body.leadId });
    const byPhone = await postWebForm({ name: 'Wei Li', phone: '+86 (138) 0013-8000', company: 'ACME' }).expect(200);
    expect(byPhone.body.leadId).toBe(first.body.leadId);
    expect(await count(`SELECT count(*) AS n FROM leads WHERE normalized_email = 'li.wei@acme.example'`)).toBe(1);
    expect(await count('SELECT count(*) AS n FROM lead_touches WHERE lead_id = $1', [first.body.leadId])).toBe(2);
    // Same phone but another company is another person.
    expect((await postWebForm({ name: 'Zhang', phone: '+86 138 0013 8000', company: 'Globex' }).expect(201)).body.merged).toBe(false);

    const racing = await Promise.all(Array.from({ length: 6 }, (_, i) => postWebForm({ name: 'Race', email: i % 2 ? 'RACE@x.example' : 'race@X.example ' })));
    expect(racing.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(racing.map((r) => r.body.leadId)).size).toBe(1);
    const captured = await eventually(async () => {
      const found = (await svc.published('lead.captured')).filter((e) => e.subject === first.body.leadId);
      expect(found).toHaveLength(1);
      return found;
    });
    // The topic holds the personal fields sealed; the vault opens them.
    expect(captured[0].data).toMatchObject({ source: 'web_form', contact: { name: SEALED, company: 'Acme' } });
    expect(JSON.stringify(captured[0])).not.toContain('Li Wei');
    await openEvents(captured, personalDataVault());
    expect(captured[0].data).toMatchObject({ source: 'web_form', contact: { name: 'Li Wei', company: 'Acme' }, message: 'pumps for plant 2' });
  });

  it('takes optional fields sent as null as absent: 201, and lead.captured leaves them out (found by the fuzzer as a 500)', async () => {
    const res = await svc.as(admin).post('/api/v1/leads').send({
      name: 'Null Fields',
      phone: '+86 138 0099 0001',
      company: null,
      campaign: null,
      region: null,
      productInterest: null,
      needs: null,
      companySize: null,
      source: 'web_form',
    });
    expect(res.status).toBe(201);
    await eventually(async () => {
      const [event] = (await svc.published('lead.captured')).filter((e) => e.subject === res.body.leadId);
      expect(event.data).not.toHaveProperty('campaign');
      expect(event.data).not.toHaveProperty('region');
      expect((event.data as { contact: object }).contact).not.toHaveProperty('company');
    });
  });

  it('refuses a web-form post with a bad, missing or stale signature with 401 and stores nothing', async () => {
    const before = await fingerprint();
    const body = { name: 'Mallory', email: 'mallory@evil.example' };
    for (const res of [
      await postWebForm(body, { secret: 'wrong-secret' }),
      await postWebForm(body, { signature: 'sha256=00' }),
      await postWebForm(body, { timestamp: Math.floor(Date.now() / 1000) - 600 }),
      await request(svc.app.getHttpServer()).post('/api/v1/intake/web-form').send(body),
    ]) {
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    // A body changed after signing does not pass either.
    const ts = String(Math.floor(Date.now() / 1000));
    await request(svc.app.getHttpServer())
      .post('/api/v1/intake/web-form')
      .set('content-type', 'application/json')
      .set('x-signature-timestamp', ts)
      .set('x-signature', signWebForm(SECRET, ts, JSON.stringify(body)))
      .send({ ...body, name: 'Eve' })
      .expect(401);
    // A signed but invalid body is a 400 with field errors.
    const bad = await postWebForm({ name: 'No contact' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('email');
    expect(await fingerprint()).toEqual(before);
  });

  it('imports a CSV of 100 rows with 3 bad ones: 97 stored and assigned, the 3 reported with line numbers and reasons', async () => {
    const lines = ['name,email,phone,company,companySize,region,source,campaign,custom.booth'];
    for (let i = 1; i <= 100; i++) {
      let row = `Visitor ${i},visitor-${i}@fair.example,,Company ${i},medium,east,trade_show,Canton Fair 2026,B${i}`;
      if (i === 10) row = `Visitor 10,not-an-email,,Company 10,medium,east,trade_show,Canton Fair 2026,B10`;
      if (i === 50) row = `,visitor-50@fair.example,,Company 50,medium,east,trade_show,Canton Fair 2026,B50`;
      if (i === 77) row = `Visitor 77,visitor-77@fair.example,,Company 77,gigantic,east,trade_show,Canton Fair 2026,B77`;
      lines.push(row);
    }
    const before = await count('SELECT count(*) AS n FROM leads');
    const res = await svc.as(integration).post('/api/v1/leads/import').set('content-type', 'text/csv').send(lines.join('\n')).expect(200);
    expect(res.body.imported).toBe(97);
    expect(res.body.merged).toBe(0);
    expect(res.body.rejected).toEqual([
      { line: 11, errors: [{ field: 'email', message: 'email must be an email' }] },
      { line: 51, errors: expect.arrayContaining([{ field: 'name', message: 'name should not be empty' }]) },
      { line: 78, errors: [{ field: 'companySize', message: expect.stringContaining('companySize must be one of') }] },
    ]);
    expect((await count('SELECT count(*) AS n FROM leads')) - before).toBe(97);
    const stored = await rows<{ source: string; status: string; custom_fields: Record<string, string> }>(
      `SELECT source, status, custom_fields FROM leads WHERE campaign = 'Canton Fair 2026'`,
    );
    expect(stored).toHaveLength(97);
    expect(stored.every((l) => l.source === 'trade_show' && l.status === 'assigned')).toBe(true);
    expect(stored[0].custom_fields.booth).toMatch(/^B\d+$/);
    // Re-importing the same file merges every good row into the open leads.
    const again = await svc.as(integration).post('/api/v1/leads/import').set('content-type', 'text/csv').send(lines.join('\n')).expect(200);
    expect(again.body).toMatchObject({ imported: 0, merged: 97 });
    await svc.as(integration).post('/api/v1/leads/import').set('content-type', 'application/json').send({}).expect(415);
    // Files csv-parse cannot read (a quote opening inside a field, an unclosed quote): a report, not a 500.
    for (const broken of ['#"', 'name,email\n"Li Lei,li@x.example\n']) {
      const res = await svc.as(integration).post('/api/v1/leads/import').set('content-type', 'text/csv').send(broken).expect(200);
      expect(res.body).toMatchObject({ imported: 0, rejected: [{ line: expect.any(Number), errors: [{ message: expect.stringMatching(/quote/i) }] }] });
    }
    await svc.as(repA).post('/api/v1/leads/import').set('content-type', 'text/csv').send(lines.join('\n')).expect(403);
  });

  it('follows a lead through follow-up, qualification and conversion: one lead.converted, then read-only and linked to its opportunity', async () => {
    const created = await svc
      .as(repA)
      .post('/api/v1/leads')
      .send({ name: 'Zhou Min', email: 'zhou@bigco.example', company: 'BigCo', source: 'phone', productInterest: 'valves', needs: '200 valves' })
      .expect(201);
    // The creator gets the lead back only if it was routed to them; the manager sees it either way.
    const { leadId } = created.body;
    const lead = (await svc.as(manager).get(`/api/v1/leads/${leadId}`).expect(200)).body;
    expect(lead).toMatchObject({ status: 'assigned', team });
    const owner = asRep(lead.ownerRepId);
    const other = owner === repA ? repB : repA;
    await svc.as(other).get(`/api/v1/leads/${leadId}`).expect(404);
    await svc.as(manager).get(`/api/v1/leads/${leadId}`).expect(200);
    await svc.as(westRep).get(`/api/v1/leads/${leadId}/follow-ups`).expect(404);

    await svc.as(owner).post(`/api/v1/leads/${leadId}/convert`).send({}).expect(409);
    await svc.as(owner).post(`/api/v1/leads/${leadId}/follow-ups`).send({ channel: 'fax', content: 'x' }).expect(400);
    const due = new Date(Date.now() - 3_600_000).toISOString();
    await svc
      .as(owner)
      .post(`/api/v1/leads/${leadId}/follow-ups`)
      .send({ channel: 'call', content: 'discussed needs', customerFeedback: 'keen', nextAction: 'send quote', nextActionDueAt: due })
      .expect(201);
    // Teammates read the follow-ups; the owner sees the late next action.
    expect((await svc.as(other).get(`/api/v1/leads/${leadId}/follow-ups`).expect(200)).body.items).toHaveLength(1);
    const overdue = (await svc.as(owner).get(`/api/v1/follow-ups/overdue`).expect(200)).body.items;
    expect(overdue.map((f: { leadId: string }) => f.leadId)).toContain(leadId);
    expect(
      (await svc.as(manager).get(`/api/v1/follow-ups/overdue?repId=${other.sub}`).expect(200)).body.items.map((f: { leadId: string }) => f.leadId),
    ).not.toContain(leadId);

    const qualified = await svc.as(owner).post(`/api/v1/leads/${leadId}/qualify`).send({ note: 'budget confirmed' }).expect(200);
    expect(qualified.body.status).toBe('qualified');
    await svc.as(owner).post(`/api/v1/leads/${leadId}/convert`).set('if-match', '"1"').send({}).expect(412);
    const converted = await svc
      .as(owner)
      .post(`/api/v1/leads/${leadId}/convert`)
      .send({ expectedAmount: '12000.5', currency: 'USD', expectedCloseDate: '2026-12-31', productNeeds: ['valve DN50 × 200'] })
      .expect(200);
    expect(converted.body.status).toBe('converted');
    await svc.as(owner).post(`/api/v1/leads/${leadId}/convert`).send({}).expect(409);
    const readOnly = await svc.as(owner).patch(`/api/v1/leads/${leadId}`).set('if-match', `"${converted.body.version}"`).send({ needs: 'changed' }).expect(409);
    expect(readOnly.body.code).toBe('LEAD_READ_ONLY');
    await svc.as(owner).post(`/api/v1/leads/${leadId}/follow-ups`).send({ channel: 'call', content: 'late' }).expect(409);
    await svc.as(owner).post(`/api/v1/leads/${leadId}/disqualify`).send({ reason: 'no_need' }).expect(409);
    // A second post of the same email opens a new lead: the converted one takes no more touches.
    expect((await svc.as(repA).post('/api/v1/leads').send({ name: 'Zhou Min', email: 'ZHOU@bigco.example', source: 'referral' }).expect(201)).body.merged).toBe(
      false,
    );

    const [event] = await eventually(async () => {
      const found = (await svc.published('lead.converted')).filter((e) => e.subject === leadId);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(JSON.stringify(event)).not.toContain('zhou@bigco.example');
    await openEvents([event], personalDataVault());
    expect(event.data).toMatchObject({
      leadId,
      repId: owner.sub,
      team,
      customer: { name: 'Zhou Min', company: 'BigCo', email: 'zhou@bigco.example' },
      productLine: 'valves',
      expectedAmount: '12000.50',
      currency: 'USD',
      expectedCloseDate: '2026-12-31',
      productNeeds: ['valve DN50 × 200'],
    });
    expect((await rows<{ open_leads: number }>('SELECT open_leads FROM reps WHERE id = $1', [owner.sub]))[0].open_leads).toBe(
      await count(`SELECT count(*) AS n FROM leads WHERE owner_rep_id = $1 AND status IN ('assigned', 'contacted', 'qualified')`, [owner.sub]),
    );

    const opportunityId = randomUUID();
    const opened = createEvent('opportunity.created', {
      subject: opportunityId,
      data: {
        opportunityId,
        leadId,
        repId: owner.sub,
        customer: { name: 'Zhou Min' },
        expectedAmount: '12000.50',
        currency: 'USD',
        expectedCloseDate: '2026-12-31',
        stage: 'discovery',
        createdAt: new Date().toISOString(),
      },
    });
    await svc.publish(opened, opened);
    await eventually(async () => expect((await svc.as(owner).get(`/api/v1/leads/${leadId}`).expect(200)).body.opportunityId).toBe(opportunityId));
  });

  it('re-assigns by hand, on a routing disqualification reason and on a re-score, recording why and from whom', async () => {
    const { leadId, lead } = (await svc.as(integration).post('/api/v1/leads').send({ name: 'Move Me', email: 'move@me.example', source: 'social' }).expect(201))
      .body;
    const first = lead.ownerRepId as string;
    const second = first === repA.sub ? repB.sub : repA.sub;
    await svc.as(asRep(first)).post(`/api/v1/leads/${leadId}/reassign`).send({}).expect(403);
    await svc.as(manager).post(`/api/v1/leads/${leadId}/reassign`).send({ repId: westRep.sub }).expect(409);
    const manual = await svc.as(manager).post(`/api/v1/leads/${leadId}/reassign`).send({ note: 'rep on a trip' }).expect(200);
    expect(manual.body.ownerRepId).toBe(second);

    // The rep says it is not their product line: the rules find someone else instead of closing the lead.
    const rerouted = await svc.as(asRep(second)).post(`/api/v1/leads/${leadId}/disqualify`).send({ reason: 'wrong_product_line' }).expect(200);
    expect(rerouted.body).toMatchObject({ status: 'assigned', ownerRepId: first });

    // A re-score that puts the lead in the west moves it to the west team.
    const current = (await svc.as(manager).get(`/api/v1/leads/${leadId}`).expect(200)).body;
    const rescored = await svc
      .as(manager)
      .patch(`/api/v1/leads/${leadId}`)
      .set('if-match', `"${current.version}"`)
      .send({ region: 'west', score: 80 })
      .expect(200);
    expect(rescored.body).toMatchObject({ ownerRepId: westRep.sub, team: 'west', score: 80 });

    const history = (await svc.as(admin).get(`/api/v1/leads/${leadId}`).expect(200)).body.assignments;
    expect(history.map((a: { kind: string; previousRepId: string | null }) => [a.kind, a.previousRepId])).toEqual([
      ['initial', null],
      ['manual', first],
      ['quality', second],
      ['quality', first],
    ]);
    expect(history[1].reason).toContain('rep on a trip');
    const events = await eventually(async () => {
      const found = (await svc.published('lead.reassigned')).filter((e) => e.subject === leadId);
      expect(found).toHaveLength(3);
      return found;
    });
    expect(events.map((e) => (e.data as { reason: string }).reason)).toEqual(['manual', 'lead_quality', 'lead_quality']);

    const closed = await svc.as(westRep).post(`/api/v1/leads/${leadId}/disqualify`).send({ reason: 'no_budget', note: 'next year' }).expect(200);
    expect(closed.body).toMatchObject({ status: 'disqualified', disqualifyReason: 'no_budget: next year' });
  });

  it('simulates a proposed rule set over past leads without changing anything', async () => {
    const before = await fingerprint();
    const outboxBefore = (await svc.published('lead.assigned')).length;
    const res = await svc
      .as(manager)
      .post('/api/v1/assignment-rules/simulate')
      .send({
        from: new Date(Date.now() - 3_600_000).toISOString(),
        to: new Date(Date.now() + 60_000).toISOString(),
        rules: [{ name: 'All to A', position: 0, target: { kind: 'rep', repId: repA.sub } }],
        details: true,
      })
      .expect(200);
    const total = await count('SELECT count(*) AS n FROM leads');
    expect(res.body.totals).toMatchObject({ leads: total, assigned: 100, unassigned: total - 100 });
    const a = res.body.reps.find((r: { repId: string }) => r.repId === repA.sub);
    const actualA = await count(`SELECT count(*) AS n FROM leads l WHERE (SELECT rep_id FROM assignments WHERE lead_id = l.id ORDER BY id LIMIT 1) = $1`, [
      repA.sub,
    ]);
    expect(a).toMatchObject({ simulated: 100, actual: actualA, difference: 100 - actualA, capacity: 100 });
    expect(res.body.leads).toHaveLength(total);
    await svc.as(repA).post('/api/v1/assignment-rules/simulate').send({ from: '2026-01-01', to: '2026-02-01', rules: [] }).expect(403);
    await svc
      .as(manager)
      .post('/api/v1/assignment-rules/simulate')
      .send({ from: '2026-01-01', to: '2026-02-01', rules: [{ name: 'x', position: 0, target: { kind: 'pool', repIds: [] } }] })
      .expect(400);
    expect(await fingerprint()).toEqual(before);
    expect((await svc.published('lead.assigned')).length).toBe(outboxBefore);
  });

  it('lists leads with filters and cursor pages; a rep sees only their own', async () => {
    const mine: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string; ownerRepId: string }[]; nextCursor: string | null } } = await svc
        .as(repB)
        .get(`/api/v1/leads?limit=20&sort=createdAt${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      expect(page.body.items.every((l) => l.ownerRepId === repB.sub)).toBe(true);
      mine.push(...page.body.items.map((l) => l.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(mine).size).toBe(await count('SELECT count(*) AS n FROM leads WHERE owner_rep_id = $1', [repB.sub]));
    const trade = (await svc.as(manager).get('/api/v1/leads?source=trade_show&status=assigned&limit=200').expect(200)).body.items;
    expect(trade).toHaveLength(97);
    expect((await svc.as(manager).get('/api/v1/leads?overdue=true').expect(200)).body.items).toHaveLength(0);
    await svc.as(manager).get('/api/v1/leads?status=lost').expect(400);
  });
});
