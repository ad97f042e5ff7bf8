import type { Locale, NotificationType, RecordKind } from '../catalogue/catalogue';

/** What a notification says, rendered in the reader's language and time zone (inbox, email, webhook). */
export interface Rendered {
  title: string;
  body: string;
  /** The console path of the record, for a link. */
  link: string;
}

export type Params = Record<string, unknown>;
type Say = (p: Params, f: Formatters) => { title: string; body: string };
interface Formatters {
  time: (iso: unknown) => string;
  text: (v: unknown) => string;
}

const shortages = (p: Params) =>
  ((p.shortages as { sku: string; requested: number; available: number }[] | undefined) ?? []).map((s) => `${s.sku} ${s.available}/${s.requested}`).join(', ');

const ZH: Record<NotificationType, Say> = {
  lead_assigned: (p, f) => ({ title: `新线索分配给您：${f.text(p.label)}`, body: `请在 ${f.time(p.firstFollowUpDueAt)} 前完成首次跟进。` }),
  lead_reassigned_away: (p, f) => ({ title: '一条线索已转给其他销售', body: `原因：${f.text(p.reason)}。` }),
  first_follow_up_due_soon: (p, f) => ({
    title: `线索即将超时：${f.text(p.label)}`,
    body: `首次跟进截止 ${f.time(p.firstFollowUpDueAt)}，超时后将自动重新分配。`,
  }),
  next_action_due: (p, f) => ({ title: `下一步行动到期：${f.text(p.label)}`, body: `${f.text(p.nextAction)}（${f.time(p.dueAt)}）` }),
  next_action_overdue: (p, f) => ({ title: `下一步行动已逾期：${f.text(p.label)}`, body: `${f.text(p.nextAction)}，应于 ${f.time(p.dueAt)} 完成。` }),
  stage_overdue: (p, f) => ({
    title: `商机在「${f.text(p.stage)}」阶段停留过久：${f.text(p.label)}`,
    body: `自 ${f.time(p.enteredAt)} 起超过 ${f.text(p.limitHours)} 小时。`,
  }),
  stock_shortage: (p, f) => ({ title: `订单缺货：${f.text(p.label)}`, body: `库存不足（可用/需要）：${shortages(p)}。` }),
  order_late: (p, f) => ({ title: `订单逾期未发货：${f.text(p.label)}`, body: `承诺交期 ${f.text(p.promisedDeliveryDate)}，已晚 ${f.text(p.daysLate)} 天。` }),
  quality_problem: (p, f) => ({ title: `订单质量问题：${f.text(p.label)}`, body: f.text(p.note) }),
  customer_complaint: (p, f) => ({
    title: `客户投诉：${f.text(p.label)}`,
    body: `评分 ${f.text(p.rating)}/5，类别 ${f.text(p.category)}。${p.comment ? f.text(p.comment) : ''}`,
  }),
  receivable_overdue: (p, f) => ({
    title: `应收款逾期：${f.text(p.label)}`,
    body: `未收 ${f.text(p.outstanding)} ${f.text(p.currency)}，到期日 ${f.text(p.dueDate)}，逾期 ${f.text(p.daysOverdue)} 天。`,
  }),
  escalated: (p, f) => ({ title: `提醒未处理，已升级：${f.text(p.originalTitle)}`, body: `${f.text(p.ownerName)} 自 ${f.time(p.originalAt)} 起未确认。` }),
  webhook_endpoint_disabled: (p, f) => ({ title: 'Webhook 已停用', body: `${f.text(p.url)}：${f.text(p.reason)}` }),
  opportunity_handed_over: (p, f) => ({ title: `商机已转交给您：${f.text(p.label)}`, body: `原因：${f.text(p.reason)}` }),
  order_handed_over: (p, f) => ({ title: `订单已转交给您：${f.text(p.label)}`, body: `原因：${f.text(p.reason)}` }),
};

const EN: Record<NotificationType, Say> = {
  lead_assigned: (p, f) => ({ title: `New lead for you: ${f.text(p.label)}`, body: `Follow up first by ${f.time(p.firstFollowUpDueAt)}.` }),
  lead_reassigned_away: (p, f) => ({ title: 'A lead of yours moved to another rep', body: `Reason: ${f.text(p.reason)}.` }),
  first_follow_up_due_soon: (p, f) => ({
    title: `Lead about to breach: ${f.text(p.label)}`,
    body: `First follow-up due ${f.time(p.firstFollowUpDueAt)}; after that it is re-assigned.`,
  }),
  next_action_due: (p, f) => ({ title: `Next action due: ${f.text(p.label)}`, body: `${f.text(p.nextAction)} (${f.time(p.dueAt)})` }),
  next_action_overdue: (p, f) => ({ title: `Next action overdue: ${f.text(p.label)}`, body: `${f.text(p.nextAction)}, due ${f.time(p.dueAt)}.` }),
  stage_overdue: (p, f) => ({
    title: `Opportunity stuck in ${f.text(p.stage)}: ${f.text(p.label)}`,
    body: `Over ${f.text(p.limitHours)} h since ${f.time(p.enteredAt)}.`,
  }),
  stock_shortage: (p, f) => ({ title: `Stock short for order ${f.text(p.label)}`, body: `Short (available/needed): ${shortages(p)}.` }),
  order_late: (p, f) => ({ title: `Order late: ${f.text(p.label)}`, body: `Promised ${f.text(p.promisedDeliveryDate)}, ${f.text(p.daysLate)} day(s) late.` }),
  quality_problem: (p, f) => ({ title: `Quality problem on order ${f.text(p.label)}`, body: f.text(p.note) }),
  customer_complaint: (p, f) => ({
    title: `Customer complaint: ${f.text(p.label)}`,
    body: `Rated ${f.text(p.rating)}/5, ${f.text(p.category)}. ${p.comment ? f.text(p.comment) : ''}`.trim(),
  }),
  receivable_overdue: (p, f) => ({
    title: `Receivable overdue: ${f.text(p.label)}`,
    body: `${f.text(p.outstanding)} ${f.text(p.currency)} outstanding, due ${f.text(p.dueDate)}, ${f.text(p.daysOverdue)} day(s) overdue.`,
  }),
  escalated: (p, f) => ({
    title: `Escalated, not acknowledged: ${f.text(p.originalTitle)}`,
    body: `${f.text(p.ownerName)} has not acknowledged it since ${f.time(p.originalAt)}.`,
  }),
  webhook_endpoint_disabled: (p, f) => ({ title: 'Webhook endpoint disabled', body: `${f.text(p.url)}: ${f.text(p.reason)}` }),
  opportunity_handed_over: (p, f) => ({ title: `Opportunity handed over to you: ${f.text(p.label)}`, body: `Reason: ${f.text(p.reason)}` }),
  order_handed_over: (p, f) => ({ title: `Order handed over to you: ${f.text(p.label)}`, body: `Reason: ${f.text(p.reason)}` }),
};

const LINKS: Record<RecordKind, string> = {
  lead: '/leads/',
  opportunity: '/opportunities/',
  order: '/orders/',
  receivable: '/receivables/',
  webhook_endpoint: '/settings/webhooks/',
};

/** Renders one notification. `timeZone` is the reader's (else the business time zone). */
export function render(n: { type: NotificationType; recordKind: RecordKind; recordId: string; params: Params }, locale: Locale, timeZone: string): Rendered {
  const dates = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' });
  const f: Formatters = {
    time: (iso) => (typeof iso === 'string' && !Number.isNaN(Date.parse(iso)) ? dates.format(new Date(iso)) : '—'),
    text: (v) => (v === undefined || v === null || v === '' ? '—' : String(v)),
  };
  const said = (locale === 'en' ? EN : ZH)[n.type](withOriginalTitle(n, locale, timeZone), f);
  return { ...said, link: `${LINKS[n.recordKind]}${n.recordId}` };
}

/** An escalation names the alert it escalates, rendered in the manager's own language. */
function withOriginalTitle(n: { type: NotificationType; recordKind: RecordKind; recordId: string; params: Params }, locale: Locale, timeZone: string): Params {
  const original = n.params.original as { type?: string; params?: Params } | undefined;
  if (n.type !== 'escalated' || !original?.type || !(original.type in ZH) || original.type === 'escalated') return n.params;
  const title = render({ ...n, type: original.type as NotificationType, params: original.params ?? {} }, locale, timeZone).title;
  return { ...n.params, originalTitle: title };
}
