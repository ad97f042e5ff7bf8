/**
 * `npm start -- --demo` (or `npm run demo` against running services): loads a realistic demo data set through
 * the public API only, with the typed client (@crm/api-client) on the gateway (GATEWAY_URL) — three regional teams with managers and reps, assignment rules, warehouses,
 * catalogue and stock, ~150 leads from every channel with follow-ups, ~40 conversions, deals in every stage,
 * orders in every state with tracking, payments and feedback, and this month's quotas — then reads it back
 * and checks the counts, analytics included. Before the live data, twelve closed months of history (seeded)
 * go in through the historical import with their original dates, for trends, seasons and forecast accuracy. Exits 1 on the first answer it did not expect.
 *
 *   node -r ./tools/register.js tools/demo/load-demo.ts [--seed 2026] [--tag <run tag>] [--concurrency 6]
 *
 * The seed fixes the content; the tag (default: from the clock) only makes e-mails, phones and payment
 * references unique, so runs can be repeated: reps, rules, warehouses and items are found and reused.
 * Web-form leads are signed with LEADS_WEBFORM_SECRET, the same variable the leads service reads.
 */
import { parseArgs } from 'node:util';
import { ApiProblem } from '@crm/api-client';
import { addDays } from '@crm/calendar';
import { ensureCatalogue } from './catalogue';
import { GATEWAY_URL, traffic } from './client';
import { importHistory } from './history';
import { captureAndWorkLeads, planLeads } from './leads';
import { ensureNotificationSetup } from './notifications';
import { workOrders } from './orders';
import { ensurePeople, ensureRules } from './people';
import { workPipeline } from './pipeline';
import { hash32, Rng } from './random';
import { analyticsCounts, businessCalendar, setQuotas, verifyAndSummarise } from './report';

async function main() {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '2026' },
      tag: { type: 'string' },
      concurrency: { type: 'string', default: '6' },
    },
  });
  const seed = Number(values.seed);
  const concurrency = Number(values.concurrency);
  const tag = (values.tag ?? Math.floor(Date.now() / 1000).toString(36)).toLowerCase();
  if (!Number.isInteger(seed) || !Number.isInteger(concurrency) || concurrency < 1 || !/^[a-z0-9]{1,12}$/.test(tag)) {
    throw new Error('usage: load-demo.ts [--seed <integer>] [--tag <1-12 letters/digits>] [--concurrency <n ≥ 1>]');
  }
  const started = Date.now();
  // Server clocks stamp everything; the run's records are those created from here on (minus clock skew).
  const runStart = new Date(started - 5_000).toISOString();
  const day = businessCalendar.dayOf(runStart);
  const nextDay = addDays(day, 1);
  const rng = new Rng(seed);
  const step = (what: string) => console.log(`demo: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  console.log(`demo: loading the demo data set through ${GATEWAY_URL}, seed ${seed}, run tag ${tag}`);

  const baseline = await analyticsCounts(day, nextDay);
  const people = await ensurePeople();
  const rules = await ensureRules(people);
  step(`${people.reps.length} reps and ${people.managers.length} managers (${people.created} new), ${rules} new assignment rules`);
  const notifications = await ensureNotificationSetup(people);
  step(
    `notifications: ${notifications.routes} product lines routed to their R&D teams, ${notifications.people} people outside sales, ${notifications.english} reps reading English`,
  );
  const catalogue = await ensureCatalogue();
  step(
    `catalogue: ${catalogue.itemsUpserted} items, ${catalogue.warehousesCreated} new warehouses, ${catalogue.receipts} stock receipts (${catalogue.unitsReceived} units)`,
  );

  const history = await importHistory(seed, people);
  const imported = (k: keyof typeof history.imported) => `${history.imported[k].imported} ${k} (${history.imported[k].alreadyImported} already there)`;
  step(`history ${history.months[0]} to ${history.months[11]}: ${imported('leads')}, ${imported('opportunities')}, ${imported('orders')}`);

  const tagDigits = String(hash32(tag) % 10_000).padStart(4, '0');
  const leads = await captureAndWorkLeads(rng, people, planLeads(rng, tag, tagDigits), runStart, concurrency);
  const converted = leads.worked.filter((w) => w.opportunityId).sort((a, b) => a.plan.index - b.plan.index);
  step(`${leads.worked.length} leads captured and worked, ${converted.length} converted to opportunities`);
  const deals = await workPipeline(rng, people, converted, concurrency);
  step(`${deals.length} opportunities moved through the pipeline`);
  const orders = await workOrders(rng, people, deals, tag, runStart, concurrency);
  step(`${orders.length} orders driven to their states`);
  const quotas = await setQuotas(people);
  step(`${quotas} quotas for this month`);

  const summary = await verifyAndSummarise({ tag, runStart, day, nextDay, leads, deals, orders, baseline });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const requests = traffic.requests;
  console.log(`\ndemo: loaded and checked in ${seconds} s with ${requests} requests (run tag ${tag})`);
  for (const text of summary) console.log(`  ${text}`);
  console.log(`\n  history    twelve months through the historical import, net bookings per month:`);
  for (const [month, net] of Object.entries(history.net))
    console.log(
      `             ${month}  ${
        Object.entries(net)
          .map(([c, v]) => `${v} ${c}`)
          .join(', ') || '-'
      }`,
    );
  console.log(
    `             ${history.forecastsStored} forecast values back-filled for forecast accuracy (GET /api/v1/analytics/forecast/accuracy?currency=CNY)`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    // The answer the script did not expect: method, URL, status and code in the message, then the whole problem.
    const problem = err instanceof ApiProblem ? err : err instanceof Error && err.cause instanceof ApiProblem ? err.cause : undefined;
    console.error(`demo: FAILED — ${err instanceof Error ? err.message : String(err)}${problem ? `\n${JSON.stringify(problem.body, null, 2)}` : ''}`);
    process.exit(1);
  },
);
