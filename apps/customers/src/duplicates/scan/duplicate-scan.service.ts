import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@crm/domain';
import type { AuthUser, Page } from '@crm/http';
import { MetricsRegistry } from '@crm/observability';
import { inTransaction } from '@crm/persistence';
import { DuplicatesRepository } from '../duplicates.repository';
import type { DuplicateCandidateEntity } from './candidate.entity';
import { CandidatesRepository } from './candidates.repository';
import type { ListCandidatesQuery } from './candidates.dto';
import { decidePairs, enabledFor, fuzzyThreshold } from './scan.domain';

export interface ScanResult {
  /** Pairs each entity has that match an enabled rule now, and how many of them this run found first. */
  account: { pairs: number; new: number };
  contact: { pairs: number; new: number };
  tookMs: number;
}

/** Finds every pair of existing records the enabled duplicate rules match, and the managers' work on them. */
@Injectable()
export class DuplicateScanService {
  private readonly found;
  private readonly open;

  constructor(
    private readonly dataSource: DataSource,
    private readonly rules: DuplicatesRepository,
    private readonly candidates: CandidatesRepository,
    metrics: MetricsRegistry,
  ) {
    this.found = metrics.counter({ name: 'crm_customers_duplicate_pairs_found_total', help: 'new duplicate pairs the scan found', labelNames: ['entity'] });
    this.open = metrics.gauge({
      name: 'crm_customers_duplicate_pairs_open',
      help: 'duplicate pairs waiting for a merge or a dismissal',
      labelNames: ['entity'],
    });
  }

  /** One run, in one transaction; refused (409 SCAN_RUNNING) while another replica or request scans. */
  scan(now = new Date()): Promise<ScanResult> {
    const started = Date.now();
    return inTransaction(this.dataSource, async (m) => {
      if (!(await this.candidates.tryScanLock(m))) throw DomainError.conflict('SCAN_RUNNING', 'A duplicate scan is running; try again when it is done.');
      const rules = await this.rules.rules(m);
      const accountPairs = decidePairs(
        'account',
        rules,
        await this.candidates.accountPairs(m, {
          domain: enabledFor(rules, 'account', 'domain').length > 0,
          exactName: enabledFor(rules, 'account', 'name').some((r) => r.match === 'exact'),
          minSimilarity: fuzzyThreshold(rules, 'account'),
        }),
      );
      const contactPairs = decidePairs(
        'contact',
        rules,
        await this.candidates.contactPairs(m, {
          email: enabledFor(rules, 'contact', 'email').length > 0,
          phone: enabledFor(rules, 'contact', 'phone').length > 0,
        }),
      );
      const result: ScanResult = {
        account: { pairs: accountPairs.length, new: await this.candidates.save(m, 'account', accountPairs, now) },
        contact: { pairs: contactPairs.length, new: await this.candidates.save(m, 'contact', contactPairs, now) },
        tookMs: 0,
      };
      for (const entity of ['account', 'contact'] as const) {
        this.found.inc({ entity }, result[entity].new);
        this.open.set({ entity }, await this.candidates.openCount(m, entity));
      }
      return { ...result, tookMs: Date.now() - started };
    });
  }

  /** Pairs in the caller's scope, newest first, each record with its name. */
  async list(user: AuthUser, query: ListCandidatesQuery) {
    const page: Page<DuplicateCandidateEntity> = await this.candidates.list(user, query);
    const names = new Map((await this.candidates.names(page.items.flatMap((c) => [c.firstId, c.secondId]))).map((r) => [r.id, r]));
    const record = (id: string) => ({ id, name: names.get(id)?.name ?? null, mergedInto: names.get(id)?.mergedInto ?? null });
    return { ...page, items: page.items.map((c) => ({ ...c, first: record(c.firstId), second: record(c.secondId) })) };
  }

  /** Not duplicates after all: the pair stays dismissed whatever later scans find. */
  dismiss(user: AuthUser, id: string) {
    return inTransaction(this.dataSource, async (m) => {
      const pair = await this.candidates.lockVisible(m, user, id);
      if (!pair) throw DomainError.notFound('duplicate candidate', id);
      if (pair.status === 'merged') throw DomainError.conflict('PAIR_MERGED', 'The two records were merged; undo the merge instead.');
      if (pair.status === 'dismissed') return pair;
      return this.candidates.decide(m, id, 'dismissed', user.sub, new Date());
    });
  }
}
