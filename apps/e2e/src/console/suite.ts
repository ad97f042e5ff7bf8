// What each screen's suite gets: the harness (browser, console, gateway) of the running system, and the checks
// every screen passes. The suites run inside start-command.int-spec.ts, on the system `npm start -- --demo` started.
import type { TestIdentityProvider } from '@crm/testing';
import type { ConsoleHarness, ConsolePage, Identity, Role, SignedIn } from './harness';

export interface ConsoleSuiteContext {
  harness(): ConsoleHarness;
  /**
   * A second gateway in front of the same services whose console signs in through an identity provider the
   * services trust; null when the suites run against a system started elsewhere (CONSOLE_URL).
   */
  singleSignOn(): { idp: TestIdentityProvider; consoleUrl: string } | null;
}

// What the console shows, computed as its formatters do: an English tab reads en-GB, the tab's zone is Beijing.
export const shownMoney = (amount: string | number, currency: string) =>
  new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(amount as number);
export const shownDateTime = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));

/** The demo's people, found by role and team through the development sign-in's list. */
export async function pickPerson(harness: ConsoleHarness, role: Role, team?: string): Promise<Identity> {
  const person = (await harness.identities()).find((p) => p.suggestedRole === role && (!team || p.team === team));
  if (!person) throw new Error(`no ${role}${team ? ` in team ${team}` : ''} among the sign-in identities`);
  return person;
}

export async function signInAs(harness: ConsoleHarness, role: Role, team?: string): Promise<SignedIn> {
  const person = await pickPerson(harness, role, team);
  return harness.signIn(person.id, role);
}

/**
 * What every screen must pass once it shows its content: no console errors, no 5xx answers, no serious or
 * critical accessibility violation; then its screenshot is written for the docs.
 */
export async function expectScreenSound(tab: ConsolePage, screen: string): Promise<void> {
  expect({ screen, violations: await tab.accessibilityViolations() }).toEqual({ screen, violations: [] });
  expect({ screen, errors: tab.errors, serverErrors: tab.serverErrors }).toEqual({ screen, errors: [], serverErrors: [] });
  await tab.screenshot(screen);
}
