/**
 * The tags of the HTTP API, one per resource, with the description a reader of the API documents sees. One
 * table for every service, because the gateway serves one document: a tag shared by services (`history`,
 * `erp-webhooks`) has one description. A route's `@ApiTags(name)` must name a tag listed here (the API
 * contract test says which one is missing).
 */
export const API_TAGS: Record<string, string> = {
  // leads
  leads: 'Leads from the API, the web form and CSV imports, and their workflow: follow up, qualify, disqualify, convert, reassign.',
  'follow-ups': 'Follow-ups across leads: the next actions that are past due.',
  intake: "The website's lead form: posted without a token, signed with an HMAC of the body instead.",
  'assignment-rules': 'The ordered rules that route a new lead to a rep, a team or a pool, and a replay of a proposed rule set over past leads.',
  reps: 'The sales reps who take leads: team, regions, product lines, capacity, active or not.',
  'saved-views': "A user's named filters, search and sort of a list, kept for them and optionally shared with their team.",
  history: 'Records from another CRM with their original dates (leads, opportunities, orders), idempotent per external id.',
  // opportunities
  opportunities: 'Scored opportunities moving through the stages of their pipeline: tasks, stage moves, win, lose, reopen, and the pipeline summary.',
  pipelines: 'Sales pipelines and their ordered stages, each with its probability, exit criteria and time limit.',
  scoring: 'The model that scores opportunities: weights set by hand or a model trained on past outcomes, and its versions.',
  reminders: 'Opportunities that stayed in their stage past its time limit, per rep.',
  strategies: 'The strategy record of an opportunity: each entry and the adjustments that replaced it.',
  // orders
  orders: 'Orders from draft through submission, approval and confirmation to delivery and completion, with tracking and customer feedback.',
  alerts: "Alerts for an order's rep (shortage, delay, quality problem), to acknowledge.",
  // inventory
  items: 'The product catalogue: items by SKU, their reorder point and their stock per warehouse.',
  warehouses: 'The warehouses stock is kept in.',
  stock: 'Stock levels per item and warehouse, goods receipts and the ledger of movements.',
  'erp-webhooks': "The ERP's signed calls (stock receipts and adjustments, payments): an HMAC signature instead of a token, idempotent by the ERP event id.",
  // finance
  receivables: 'What confirmed orders are owed, and the payments recorded against it.',
  // analytics
  analytics: "Dashboards: sales, funnel, pipeline, cycle time, forecasts and their accuracy, KPIs and rankings per rep or team, a rep's report.",
  quotas: 'Sales quotas per rep and period.',
  incentives: 'Incentive plans per team and period, and what each rep earned under them.',
  // customers
  accounts: 'Customer accounts (companies), the record leads, opportunities and orders refer to.',
  contacts: 'The people at customer accounts.',
  timeline: 'Everything that happened with an account or a contact, across every service, and its summary.',
  merges: 'Merging duplicate accounts or contacts, and undoing a merge.',
  'duplicate-rules': 'The rules that decide when two accounts or contacts are likely the same.',
  'duplicate-candidates': 'Pairs the duplicate scan found, to merge or dismiss, and running the scan now.',
  // notifications
  notifications: "The caller's in-app inbox: the list, the unread count, a live stream (Server-Sent Events), read, unread, archive, snooze.",
  webhooks: 'Webhook endpoints that receive signed notifications, and the ledger of their deliveries.',
  'notification-rules': 'Which event makes which notification, for whom, over which channels.',
  'notification-types': 'The kinds of notification: which are critical, and after how long they escalate.',
  'product-routes': "Which team hears of a product line's complaints and quality problems.",
  'notification-preferences': "The caller's channels per notification type.",
  recipients: 'Who can be notified: reps from the reps directory, and the managers, finance and product teams added here.',
  'notification-settings': "The caller's delivery settings: language, time zone, quiet hours, digest time, email address.",
  // every service that holds personal data
  'personal-data': "A person's data export (PIPL art. 45, GDPR art. 15): each service's part, for an authorised request; admin only.",
  // every service, for operators (not served by the gateway)
  Health: 'Liveness and readiness probes of one service.',
  Metrics: 'Prometheus metrics of one service.',
};
