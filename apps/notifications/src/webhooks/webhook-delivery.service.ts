import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import { MetricsRegistry } from '@crm/observability';
import { inTransaction } from '@crm/persistence';
import type { Counter } from 'prom-client';
import { LedgerRepository, type ClaimedDelivery } from '../delivery/ledger.repository';
import { FanoutService } from '../fanout/fanout.service';
import { NOTIFICATIONS_SETTINGS, type NotificationsSettings } from '../notifications.settings';
import { render } from '../templates/templates';
import { countDead, deadReason, decideAttempt, disabledTrigger, type AttemptResult, type Outcome } from './webhook-delivery.domain';
import { validSecrets, type EndpointState } from './webhook-endpoint.domain';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookDispatchRepository } from './webhook-dispatch.repository';
import { signatureHeaders, webhookBody } from './webhook-payload';
import { WebhookSender } from './webhook-sender';

const MAX_DELAY_MS = 3_600_000;
type Recorded = Outcome['kind'] | 'cancelled';

/**
 * One claimed ledger row: read what it says, sign and POST it outside any transaction, then record the answer
 * in a transaction that holds the endpoint's row lock, so replicas count failures and disable it once.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly attempts: Counter<'outcome'>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerRepository,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly dispatch: WebhookDispatchRepository,
    private readonly sender: WebhookSender,
    private readonly fanout: FanoutService,
    private readonly calendar: BusinessCalendar,
    @Inject(NOTIFICATIONS_SETTINGS) private readonly settings: NotificationsSettings,
    metrics: MetricsRegistry,
  ) {
    this.attempts = metrics.counter({
      name: 'crm_notifications_webhook_attempts_total',
      help: 'Webhook deliveries by what came of them: sent, retry, dead, gone (410), cancelled (endpoint disabled or deleted)',
      labelNames: ['outcome'],
    });
  }

  async deliver(row: ClaimedDelivery): Promise<Recorded> {
    const m = this.dataSource.manager;
    const endpoint = await this.endpoints.find(row.target);
    const context = endpoint && row.notificationId ? await this.dispatch.context(m, row.notificationId, endpoint.ownerUserId) : undefined;
    if (!endpoint?.enabled || !context) {
      const why = !endpoint ? 'endpoint deleted' : !endpoint.enabled ? 'endpoint disabled' : 'notification not found';
      await this.ledger.stop(m, row.id, 'cancelled', why);
      return this.count('cancelled');
    }
    const now = new Date();
    const { notification, locale, timeZone } = context;
    const rendered = render(notification, locale ?? 'zh-CN', timeZone ?? this.calendar.zone);
    const body = webhookBody(endpoint.format, notification, rendered);
    const headers = signatureHeaders(row.id, validSecrets(endpoint.secrets, now), now, body);
    const result = await this.sender.post(endpoint.url, body, headers, this.settings.webhookTimeoutMs);
    return this.count(await inTransaction(this.dataSource, (tx) => this.record(tx, row, result)));
  }

  private async record(m: EntityManager, row: ClaimedDelivery, result: AttemptResult): Promise<Recorded> {
    const endpoint = await this.endpoints.lock(m, row.target);
    const policy = { maxAttempts: this.settings.webhookMaxAttempts, baseDelayMs: this.settings.webhookBaseDelayMs, maxDelayMs: MAX_DELAY_MS };
    const outcome = decideAttempt(result, row.attempts, policy, new Date());
    if (outcome.kind === 'sent') {
      await this.ledger.sent(m, row.id, outcome.status);
      if (endpoint) await this.dispatch.setFailures(m, endpoint.id, 0);
      return 'sent';
    }
    // Disabled or deleted while this attempt was under way: no retry and no count.
    if (!endpoint?.enabled) {
      await this.ledger.stop(m, row.id, 'cancelled', `${endpoint ? 'endpoint disabled' : 'endpoint deleted'}; ${outcome.error}`, outcome.status);
      return 'cancelled';
    }
    switch (outcome.kind) {
      case 'retry':
        await this.ledger.retry(m, row.id, outcome.at, outcome.error, outcome.status);
        return 'retry';
      case 'gone':
        await this.ledger.stop(m, row.id, 'cancelled', outcome.error, outcome.status);
        await this.disable(m, endpoint, outcome.error);
        return 'gone';
      case 'dead': {
        await this.ledger.stop(m, row.id, 'dead', outcome.error, outcome.status);
        const dead = countDead(endpoint.consecutiveFailures, this.settings.webhookDisableAfter);
        await this.dispatch.setFailures(m, endpoint.id, dead.consecutiveFailures);
        if (dead.disable) await this.disable(m, endpoint, deadReason(dead.consecutiveFailures, outcome.error));
        return 'dead';
      }
    }
  }

  /** Off at once, its waiting messages cancelled, and its owner told in the same transaction. */
  private async disable(m: EntityManager, endpoint: EndpointState, reason: string): Promise<void> {
    const at = new Date();
    await this.dispatch.disable(m, endpoint.id, reason, at);
    await this.endpoints.cancelPending(m, endpoint.id, `endpoint disabled: ${reason}`);
    await this.fanout.fanOut(m, disabledTrigger(endpoint, reason, at));
  }

  private count(outcome: Recorded): Recorded {
    this.attempts.inc({ outcome });
    return outcome;
  }
}
