import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { CsvError, parse } from 'csv-parse';
import { DataSource, type EntityManager } from 'typeorm';
import type { EventOf } from '@crm/contracts';
import { accessScope, assertVersion, flattenValidationErrors, HttpProblemCode, paginate, ProblemException, restrictToScope, type AuthUser, type Page } from '@crm/http';
import { appendToOutbox, newEvent } from '@crm/messaging';
import { formatAmount } from '@crm/money';
import { firstMatchingRule, inTarget } from '../assignment/assignment.domain';
import { AssignmentService, noEligibleRep } from '../assignment/assignment.service';
import { AssignmentEntity } from '../assignment/rule.entity';
import { RepEntity } from '../reps/rep.entity';
import { assertAllowed, contactKey, dedupeLockKeys, isSamePerson, LeadStateError, LOAD_STATUSES, reroutes, type ContactKey, type LeadAction } from './lead.domain';
import { FollowUpEntity, LeadEntity, LeadTouchEntity } from './lead.entities';
import { ImportRowDto, type ConvertDto, type DisqualifyDto, type FollowUpDto, type LeadInputDto, type ListLeadsQuery, type OverdueQuery, type ReassignDto, type UpdateLeadDto } from './leads.dto';

export interface CaptureInput extends LeadInputDto {
  source: string;
}

export interface CaptureResult {
  merged: boolean;
  leadId: string;
  lead: LeadEntity;
}

export interface ImportResult {
  imported: number;
  merged: number;
  rejected: { line: number; errors: { field: string; message: string }[] }[];
}

const MAX_IMPORT_ROWS = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const notFound = (id: string) => new ProblemException({ status: HttpStatus.NOT_FOUND, code: HttpProblemCode.NotFound, detail: `No lead ${id}.` });
const stateProblem = (err: LeadStateError) =>
  new ProblemException({ status: HttpStatus.CONFLICT, code: err.status === 'converted' ? 'LEAD_READ_ONLY' : 'ILLEGAL_TRANSITION', detail: err.message });

@Injectable()
export class LeadsService {
  private readonly logger = new Logger(LeadsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly assignment: AssignmentService,
  ) {}

  // ---- capture -------------------------------------------------------------------------------------

  /**
   * One path for every channel: de-duplicate against open leads, else store, publish `lead.captured` and
   * assign, all in one transaction. Advisory locks on the normalised email and phone make two submissions
   * of one person queue behind each other, so the second one sees the first and merges.
   */
  capture(input: CaptureInput, by: string): Promise<CaptureResult> {
    return this.dataSource.transaction(async (m) => {
      const key = contactKey(input);
      for (const lockKey of dedupeLockKeys(key)) await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey]);
      const now = new Date();
      const existing = await this.findOpenDuplicate(m, key);
      if (existing) {
        await this.mergeTouch(m, existing, input, key, by, now);
        return { merged: true, leadId: existing, lead: await this.load(m, existing) };
      }
      const id = randomUUID();
      await m.query(
        `INSERT INTO leads (id, status, source, campaign, contact_name, email, phone, company, normalized_email, normalized_phone, normalized_company,
                            company_size, region, product_interest, needs, custom_fields, created_by, created_at, updated_at)
         VALUES ($1, 'new', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)`,
        [id, input.source, input.campaign ?? null, input.name, input.email?.trim() ?? null, input.phone?.trim() ?? null, input.company ?? null,
          key.email, key.phone, key.company, input.companySize ?? null, input.region ?? null, input.productInterest ?? null, input.needs ?? null,
          input.customFields ?? {}, by, now],
      );
      await appendToOutbox(m, [
        newEvent('lead.captured', {
          subject: id,
          data: {
            leadId: id,
            source: input.source as EventOf<'lead.captured'>['data']['source'],
            // An optional field sent as null passes validation; the event contract knows only absent fields.
            campaign: input.campaign ?? undefined,
            contact: { name: input.name, company: input.company ?? undefined, email: input.email?.trim(), phone: input.phone?.trim() },
            companySize: (input.companySize ?? undefined) as EventOf<'lead.captured'>['data']['companySize'],
            region: input.region ?? undefined,
            productLine: input.productInterest ?? undefined,
            message: input.needs ?? undefined,
            capturedAt: now.toISOString(),
          },
        }),
      ]);
      const lead = { id, status: 'new' as const, ownerRepId: null, region: input.region, productInterest: input.productInterest, source: input.source, companySize: input.companySize };
      const outcome = await this.assignment.assign(m, lead, { kind: 'initial', by: 'system', now });
      if (!outcome.assigned) await m.query(`UPDATE leads SET status = 'unassigned', unassigned_reason = $2 WHERE id = $1`, [id, outcome.reason]);
      return { merged: false, leadId: id, lead: await this.load(m, id) };
    });
  }

  /**
   * Capture for an authenticated caller. The lead comes back only when the caller's scope sees it: a capture
   * that merges into (or is routed to) another rep's lead must not hand that lead's contact data, needs and
   * owner to whoever typed the same email or phone. The others learn only that it was taken and under which id.
   */
  async captureFor(user: AuthUser, input: CaptureInput): Promise<CaptureResult | Omit<CaptureResult, 'lead'>> {
    const result = await this.capture(input, user.sub);
    const visible = await this.scoped(this.dataSource.manager, user).andWhere('lead.id = :id', { id: result.leadId }).getExists();
    return visible ? result : { merged: result.merged, leadId: result.leadId };
  }

  /**
   * Streams a CSV (header row) and captures each good row through the same path as the API; a bad row is
   * reported with its line number and field errors, and does not stop the others.
   */
  async importCsv(user: AuthUser, stream: Readable): Promise<ImportResult> {
    const result: ImportResult = { imported: 0, merged: 0, rejected: [] };
    const parser = stream.pipe(
      parse({ columns: (header: string[]) => header.map((h) => h.trim()), bom: true, trim: true, skip_empty_lines: true, info: true, max_record_size: 64 * 1024 }),
    );
    let rows = 0;
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
        if (++rows > MAX_IMPORT_ROWS) {
          result.rejected.push({ line: info.lines, errors: [{ field: '', message: `at most ${MAX_IMPORT_ROWS} rows per import; the rest was not read` }] });
          stream.unpipe(parser);
          stream.resume();
          break;
        }
        const row = plainToInstance(ImportRowDto, csvRecord(record));
        const errors = await validate(row, { whitelist: true, forbidNonWhitelisted: true });
        if (errors.length) {
          result.rejected.push({ line: info.lines, errors: flattenValidationErrors(errors).map(({ field, message }) => ({ field, message })) });
          continue;
        }
        const captured = await this.capture({ ...row, source: row.source ?? 'import' }, user.sub);
        if (captured.merged) result.merged++;
        else result.imported++;
      }
    } catch (err) {
      // Not every parse error code starts with CSV_ (INVALID_OPENING_QUOTE does not): test the class.
      if (!(err instanceof CsvError)) throw err;
      // A broken file (an unclosed quote) cannot be read on; what was read before stays imported.
      result.rejected.push({ line: typeof err.lines === 'number' ? err.lines : rows + 1, errors: [{ field: '', message: err.message }] });
    }
    return result;
  }

  // ---- reads ---------------------------------------------------------------------------------------

  async list(user: AuthUser, query: ListLeadsQuery): Promise<Page<LeadEntity>> {
    const qb = this.scoped(this.dataSource.manager, user);
    if (query.status) qb.andWhere('lead.status = :status', { status: query.status });
    if (query.ownerId) qb.andWhere('lead.ownerRepId = :ownerId', { ownerId: query.ownerId });
    if (query.team) qb.andWhere('lead.team = :team', { team: query.team });
    if (query.source) qb.andWhere('lead.source = :source', { source: query.source });
    if (query.region) qb.andWhere('lead.region = :region', { region: query.region });
    if (query.from) qb.andWhere('lead.createdAt >= :from', { from: query.from });
    if (query.to) qb.andWhere('lead.createdAt < :to', { to: query.to });
    if (query.overdue !== undefined) {
      const late = `lead.status = 'assigned' AND lead.firstFollowedUpAt IS NULL AND lead.firstFollowUpDueAt <= now()`;
      qb.andWhere(query.overdue ? `(${late})` : `NOT (${late})`);
    }
    const sort = query.sort ?? '-createdAt';
    const column = sort.replace('-', '') === 'updatedAt' ? 'lead.updatedAt' : 'lead.createdAt';
    return paginate(qb, { sort: { column, direction: sort.startsWith('-') ? 'DESC' : 'ASC' }, tieBreaker: 'id', limit: query.limit, cursor: query.cursor });
  }

  async get(user: AuthUser, id: string) {
    const m = this.dataSource.manager;
    const lead = await this.scoped(m, user).andWhere('lead.id = :id', { id }).getOne();
    if (!lead) throw notFound(id);
    const [touches, assignments, followUps] = await Promise.all([
      m.find(LeadTouchEntity, { where: { leadId: id }, order: { at: 'ASC' } }),
      m.find(AssignmentEntity, { where: { leadId: id }, order: { id: 'ASC' } }),
      m.find(FollowUpEntity, { where: { leadId: id }, order: { at: 'ASC', id: 'ASC' } }),
    ]);
    return { ...lead, touches, assignments, followUps };
  }

  /** Follow-ups are shared with the whole team the lead belongs to, not only its owner. */
  async followUps(user: AuthUser, id: string): Promise<{ items: FollowUpEntity[] }> {
    const m = this.dataSource.manager;
    const qb = this.scoped(m, user).andWhere('lead.id = :id', { id });
    let visible = await qb.getOne();
    if (!visible && user.team) visible = await m.findOne(LeadEntity, { where: { id, team: user.team } });
    if (!visible) throw notFound(id);
    return { items: await m.find(FollowUpEntity, { where: { leadId: id }, order: { at: 'ASC', id: 'ASC' } }) };
  }

  /** Next actions past their due date whose lead is still open and has had no later follow-up. */
  overdueFollowUps(user: AuthUser, query: OverdueQuery, now = new Date()): Promise<Page<FollowUpEntity>> {
    const scope = accessScope(user);
    const qb = this.dataSource.getRepository(FollowUpEntity).createQueryBuilder('f')
      .where('f.nextActionDueAt < :now', { now })
      .andWhere(`NOT EXISTS (SELECT 1 FROM follow_ups later WHERE later.lead_id = f.lead_id AND (later.at, later.id) > (f.at, f.id))`);
    const leads = ['l.id = f.lead_id', `l.status NOT IN ('disqualified', 'converted')`];
    if (query.repId) leads.push('l.owner_rep_id = :repId');
    if (scope.kind === 'team') leads.push('l.team = :team');
    if (scope.kind === 'own') leads.push('l.owner_rep_id = :self');
    qb.andWhere(`EXISTS (SELECT 1 FROM leads l WHERE ${leads.join(' AND ')})`, {
      repId: query.repId,
      team: scope.kind === 'team' ? scope.team : undefined,
      self: scope.kind === 'own' ? scope.repId : undefined,
    });
    return paginate(qb, { sort: { column: 'f.nextActionDueAt', direction: 'ASC' }, tieBreaker: 'id', limit: query.limit, cursor: query.cursor });
  }

  // ---- changes -------------------------------------------------------------------------------------

  recordFollowUp(user: AuthUser, id: string, dto: FollowUpDto): Promise<FollowUpEntity> {
    return this.act(user, id, undefined, 'follow_up', async (m, lead) => {
      const repId = UUID.test(user.sub) ? user.sub : lead.ownerRepId!;
      const at = dto.at ? new Date(dto.at) : new Date();
      const followUpId = randomUUID();
      await m.insert(FollowUpEntity, {
        id: followUpId,
        leadId: id,
        repId,
        team: lead.team,
        channel: dto.channel,
        at,
        content: dto.content,
        customerFeedback: dto.customerFeedback ?? null,
        nextAction: dto.nextAction ?? null,
        nextActionDueAt: dto.nextActionDueAt ? new Date(dto.nextActionDueAt) : null,
        by: user.sub,
        createdAt: new Date(),
      });
      await m.query(
        `UPDATE leads SET first_followed_up_at = COALESCE(first_followed_up_at, $2),
                status = CASE WHEN status = 'assigned' THEN 'contacted' ELSE status END, version = version + 1, updated_at = now()
          WHERE id = $1`,
        [id, at],
      );
      await appendToOutbox(m, [
        newEvent('lead.followed_up', {
          subject: id,
          data: {
            leadId: id,
            followUpId,
            repId,
            channel: dto.channel as EventOf<'lead.followed_up'>['data']['channel'],
            at: at.toISOString(),
            content: dto.content,
            customerFeedback: dto.customerFeedback,
            nextAction: dto.nextAction,
            nextActionDueAt: dto.nextActionDueAt ? new Date(dto.nextActionDueAt).toISOString() : undefined,
          },
        }),
      ]);
      return m.findOneByOrFail(FollowUpEntity, { id: followUpId });
    });
  }

  qualify(user: AuthUser, id: string, note: string | undefined, expectedVersion?: number): Promise<LeadEntity> {
    return this.act(user, id, expectedVersion, 'qualify', async (m) => {
      const at = new Date();
      await m.query(`UPDATE leads SET status = 'qualified', qualified_at = $2, version = version + 1, updated_at = now() WHERE id = $1`, [id, at]);
      await appendToOutbox(m, [newEvent('lead.qualified', { subject: id, data: { leadId: id, by: user.sub, note, qualifiedAt: at.toISOString() } })]);
      return this.load(m, id);
    });
  }

  /**
   * Closes the lead with its reason; a reason that blames the routing (wrong territory or product line)
   * moves it to another rep instead, or to the managers' queue when nobody else fits.
   */
  async disqualify(user: AuthUser, id: string, dto: DisqualifyDto, expectedVersion?: number): Promise<LeadEntity> {
    const lead = await this.act(user, id, expectedVersion, reroutes(dto.reason) ? 'reassign' : 'disqualify', async (m, current) => {
      const at = new Date();
      if (reroutes(dto.reason)) {
        const note = `${dto.reason}${dto.note ? `: ${dto.note}` : ''}`;
        const outcome = await this.assignment.assign(m, current, { kind: 'quality', by: user.sub, now: at, excludeRepId: current.ownerRepId, note });
        if (!outcome.assigned) {
          if (LOAD_STATUSES.includes(current.status)) await this.assignment.release(m, current.ownerRepId);
          await m.query(
            `UPDATE leads SET status = 'unassigned', owner_rep_id = NULL, unassigned_reason = $2, version = version + 1, updated_at = now() WHERE id = $1`,
            [id, `${note} (from ${current.ownerRepId ?? 'nobody'}); ${outcome.reason}`],
          );
        }
        return this.load(m, id);
      }
      if (LOAD_STATUSES.includes(current.status)) await this.assignment.release(m, current.ownerRepId);
      const reason = `${dto.reason}${dto.note ? `: ${dto.note}` : ''}`;
      await m.query(
        `UPDATE leads SET status = 'disqualified', disqualified_at = $2, disqualify_reason = $3, version = version + 1, updated_at = now() WHERE id = $1`,
        [id, at, reason],
      );
      await appendToOutbox(m, [newEvent('lead.disqualified', { subject: id, data: { leadId: id, by: user.sub, reason, disqualifiedAt: at.toISOString() } })]);
      return this.load(m, id);
    });
    await this.afterCapacityFreed();
    return lead;
  }

  async convert(user: AuthUser, id: string, dto: ConvertDto, expectedVersion?: number): Promise<LeadEntity> {
    const lead = await this.act(user, id, expectedVersion, 'convert', async (m, current) => {
      const at = new Date();
      const productNeeds = dto.productNeeds ?? (current.needs ? [current.needs.slice(0, 200)] : []);
      const expectedAmount = dto.expectedAmount === undefined ? undefined : formatAmount(dto.expectedAmount);
      await this.assignment.release(m, current.ownerRepId);
      await m.query(
        `UPDATE leads SET status = 'converted', converted_at = $2, conversion = $3, version = version + 1, updated_at = now() WHERE id = $1`,
        [id, at, { expectedAmount, currency: dto.currency, expectedCloseDate: dto.expectedCloseDate, productNeeds, by: user.sub }],
      );
      await appendToOutbox(m, [
        newEvent('lead.converted', {
          subject: id,
          data: {
            leadId: id,
            repId: current.ownerRepId!,
            team: current.team ?? undefined,
            customer: { name: current.contactName, company: current.company ?? undefined, email: current.email ?? undefined, phone: current.phone ?? undefined },
            region: current.region ?? undefined,
            productLine: current.productInterest ?? undefined,
            expectedAmount,
            currency: dto.currency,
            expectedCloseDate: dto.expectedCloseDate,
            productNeeds,
            capturedAt: current.createdAt.toISOString(),
            convertedAt: at.toISOString(),
          },
        }),
      ]);
      return this.load(m, id);
    });
    await this.afterCapacityFreed();
    return lead;
  }

  /** A manager moves the lead to a rep of their choice, or lets the rules pick someone other than the owner. */
  reassign(user: AuthUser, id: string, dto: ReassignDto, expectedVersion?: number): Promise<LeadEntity> {
    return this.act(user, id, expectedVersion, 'reassign', async (m, lead) => {
      const scope = accessScope(user);
      if (dto.repId && scope.kind === 'team') {
        const rep = await m.findOne(RepEntity, { where: { id: dto.repId } });
        if (rep?.team !== scope.team) throw noEligibleRep(`rep ${dto.repId} is not in team ${scope.team}`);
      }
      const outcome = await this.assignment.assign(m, lead, { kind: 'manual', by: user.sub, now: new Date(), repId: dto.repId, excludeRepId: lead.ownerRepId, note: dto.note });
      if (!outcome.assigned) throw noEligibleRep(outcome.reason);
      return this.load(m, id);
    });
  }

  /**
   * Edits the lead; a change to what the rules look at (a re-score: region, product interest, company size)
   * moves it when its owner is no longer in the target of the rule that now matches.
   */
  update(user: AuthUser, id: string, dto: UpdateLeadDto, expectedVersion: number): Promise<LeadEntity> {
    return this.act(user, id, expectedVersion, 'edit', async (m, lead) => {
      const email = dto.email ?? lead.email;
      const phone = dto.phone ?? lead.phone;
      const company = dto.company ?? lead.company;
      const key = contactKey({ email, phone, company });
      await m.query(
        `UPDATE leads SET contact_name = COALESCE($2, contact_name), email = $3, phone = $4, company = $5, normalized_email = $6, normalized_phone = $7,
                normalized_company = $8, company_size = COALESCE($9, company_size), region = COALESCE($10, region),
                product_interest = COALESCE($11, product_interest), needs = COALESCE($12, needs), score = COALESCE($13, score),
                custom_fields = COALESCE($14, custom_fields), version = version + 1, updated_at = now()
          WHERE id = $1`,
        [id, dto.name ?? null, email, phone, company, key.email, key.phone, key.company, dto.companySize ?? null, dto.region ?? null,
          dto.productInterest ?? null, dto.needs ?? null, dto.score ?? null, dto.customFields ?? null],
      );
      const rescored = ['region', 'productInterest', 'companySize'].some((f) => dto[f as keyof UpdateLeadDto] !== undefined && dto[f as keyof UpdateLeadDto] !== lead[f as keyof LeadEntity]);
      if (!rescored) return this.load(m, id);
      const updated = await this.load(m, id);
      const now = new Date();
      if (updated.status === 'unassigned') {
        await this.assignment.assign(m, updated, { kind: 'retry', by: user.sub, now });
      } else if (updated.ownerRepId) {
        const rule = firstMatchingRule(await this.assignment.activeRules(m), updated);
        const owner = await m.findOneOrFail(RepEntity, { where: { id: updated.ownerRepId } });
        if (rule && !inTarget(rule.target, owner)) {
          await this.assignment.assign(m, updated, { kind: 'quality', by: user.sub, now, excludeRepId: updated.ownerRepId, note: 'lead re-scored' });
        }
      }
      return this.load(m, id);
    });
  }

  // ---- events --------------------------------------------------------------------------------------

  /** Links a converted lead to the opportunity made from it; once, whatever the redeliveries. */
  async onOpportunityCreated(m: EntityManager, { data }: EventOf<'opportunity.created'>): Promise<void> {
    if (!data.leadId) return;
    const [, linked]: [unknown, number] = await m.query(
      'UPDATE leads SET opportunity_id = $2, updated_at = now() WHERE id = $1 AND opportunity_id IS NULL',
      [data.leadId, data.opportunityId],
    );
    if (!linked) this.logger.log(`opportunity ${data.opportunityId} names lead ${data.leadId}, unknown here or already linked`);
  }

  // ---- helpers -------------------------------------------------------------------------------------

  private async afterCapacityFreed() {
    await this.assignment.retryUnassigned().catch((err: Error) => this.logger.warn(`retry after freed capacity failed: ${err.message}`));
  }

  private async findOpenDuplicate(m: EntityManager, key: ContactKey): Promise<string | undefined> {
    if (!key.email && !key.phone) return undefined;
    const rows: { id: string; email: string | null; phone: string | null; company: string | null }[] = await m.query(
      `SELECT id, normalized_email AS email, normalized_phone AS phone, normalized_company AS company FROM leads
        WHERE status NOT IN ('disqualified', 'converted') AND (normalized_email = $1 OR normalized_phone = $2)
        ORDER BY created_at, id LIMIT 50`,
      [key.email, key.phone],
    );
    return rows.find((row) => isSamePerson(key, row))?.id;
  }

  /** A repeat submission is kept as a touch; it fills contact details the lead lacked, never overwrites. */
  private async mergeTouch(m: EntityManager, leadId: string, input: CaptureInput, key: ContactKey, by: string, now: Date) {
    await m.insert(LeadTouchEntity, { id: randomUUID(), leadId, source: input.source, campaign: input.campaign ?? null, submitted: { ...input }, by, at: now });
    await m.query(
      `UPDATE leads SET email = COALESCE(email, $2), normalized_email = COALESCE(normalized_email, $3), phone = COALESCE(phone, $4),
              normalized_phone = COALESCE(normalized_phone, $5), company = COALESCE(company, $6), normalized_company = COALESCE(normalized_company, $7),
              updated_at = now()
        WHERE id = $1`,
      [leadId, input.email?.trim() ?? null, key.email, input.phone?.trim() ?? null, key.phone, input.company ?? null, key.company],
    );
  }

  /** Loads the caller's lead under a row lock, checks version and state, runs `fn`; domain errors become 409. */
  private act<T>(user: AuthUser, id: string, expectedVersion: number | undefined, action: LeadAction, fn: (m: EntityManager, lead: LeadEntity) => Promise<T>): Promise<T> {
    return this.dataSource
      .transaction(async (m) => {
        const lead = await this.scoped(m, user).andWhere('lead.id = :id', { id }).setLock('pessimistic_write').getOne();
        if (!lead) throw notFound(id);
        if (expectedVersion !== undefined) assertVersion(lead.version, expectedVersion);
        assertAllowed(action, lead.status);
        if (action === 'follow_up' && !lead.ownerRepId) throw new LeadStateError(action, lead.status);
        return fn(m, lead);
      })
      .catch((err: unknown) => {
        throw err instanceof LeadStateError ? stateProblem(err) : err;
      });
  }

  private load(m: EntityManager, id: string): Promise<LeadEntity> {
    return m.findOneOrFail(LeadEntity, { where: { id } });
  }

  private scoped(m: EntityManager, user: AuthUser) {
    // The queue of leads no team has taken is every manager's to see.
    return restrictToScope(m.getRepository(LeadEntity).createQueryBuilder('lead'), user, {
      rep: 'lead.ownerRepId',
      team: `(lead.team = :scopeTeam OR (lead.status = 'unassigned' AND lead.team IS NULL))`,
    });
  }
}

/** A CSV cell is text: empty means absent, `custom.<name>` columns become custom fields. */
function csvRecord(record: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const custom: Record<string, string> = {};
  for (const [column, value] of Object.entries(record)) {
    if (value === '' || value === undefined) continue;
    if (column.startsWith('custom.')) custom[column.slice('custom.'.length)] = value;
    else out[column] = value;
  }
  if (Object.keys(custom).length) out.customFields = custom;
  return out;
}
