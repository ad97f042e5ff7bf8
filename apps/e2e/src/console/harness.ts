// The browser side of the console's system test: Debian's chromium (headless) driven by playwright-core, signed in
// through the console's development sign-in, with what every screen must pass checked in one place: no console
// errors, no 5xx, no serious or critical accessibility violation (axe-core), and a screenshot for the docs.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createCrmClient, type CrmClient } from '@crm/api-client';

/** Debian's chromium (tools/system-packages.sh installs it), headless as root, without background traffic. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Where screenshots go: tmp/screenshots, or docs/screenshots to refresh the README's (CONSOLE_SCREENSHOTS). */
const SCREENSHOTS = resolve(__dirname, '..', '..', '..', '..', process.env.CONSOLE_SCREENSHOTS ?? join('tmp', 'screenshots'));

export type Role = 'sales_rep' | 'sales_manager' | 'admin' | 'product_team' | 'finance';

export interface Identity {
  id: string;
  name: string;
  email: string;
  team: string | null;
  suggestedRole: Role;
}

export interface SignedIn {
  token: string;
  expiresAt: string;
  user: { sub: string; name: string; roles: Role[]; team?: string };
}

export const VIEWPORTS = { laptop: { width: 1366, height: 850 }, tablet: { width: 820, height: 1180 } } as const;

/** One user's tab: the page, and what went wrong in it. */
export class ConsolePage {
  /** console.error and uncaught exceptions, as the browser reported them. */
  readonly errors: string[] = [];
  /** Answers of 500 and above from the API, which the console must never cause. */
  readonly serverErrors: string[] = [];

  constructor(
    readonly page: Page,
    readonly context: BrowserContext,
    private readonly baseUrl: string,
  ) {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      // Chromium reports each 4xx answer as "Failed to load resource": a refused move or a field error is the API
      // speaking, shown by the console; it is not a fault of the page. 5xx are caught below.
      if (/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
      this.errors.push(`${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => this.errors.push(`uncaught: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 500) this.serverErrors.push(`${response.request().method()} ${response.url()} → ${response.status()}`);
    });
  }

  async goto(path: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}${path}`);
    await this.page.locator('main#main').waitFor();
  }

  /** No serious or critical WCAG 2.1 A/AA violation on what the page shows now. */
  async accessibilityViolations(): Promise<string[]> {
    const result = await new AxeBuilder({ page: this.page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.impact} ${v.id}: ${v.help} — ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 5)
            .join(', ')}`,
      );
  }

  async screenshot(name: string): Promise<string> {
    await mkdir(SCREENSHOTS, { recursive: true });
    // JPEG at 80: a tenth of a PNG's size for the README, text still crisp.
    const path = join(SCREENSHOTS, `${name}.jpg`);
    await this.page.screenshot({ path, type: 'jpeg', quality: 80, animations: 'disabled' });
    return path;
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/** The browser, the console's origin and the API behind it. */
export class ConsoleHarness {
  private constructor(
    readonly browser: Browser,
    /** Where the console is served: the gateway's origin (or a Vite preview in front of it while developing). */
    readonly consoleUrl: string,
    /** The gateway, for the API calls a test makes itself. */
    readonly gatewayUrl: string,
  ) {}

  static async open(consoleUrl: string, gatewayUrl: string): Promise<ConsoleHarness> {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    return new ConsoleHarness(browser, consoleUrl, gatewayUrl);
  }

  /** The people the development sign-in offers (the demo's reps and managers, and the admin). */
  async identities(): Promise<Identity[]> {
    const res = await fetch(`${this.gatewayUrl}/api/v1/dev-sign-in/identities`);
    if (!res.ok) throw new Error(`dev sign-in identities: HTTP ${res.status}`);
    return ((await res.json()) as { items: Identity[] }).items;
  }

  /** A token for a person in a role, from the development sign-in (what the sign-in page does). */
  async signIn(userId: string, role: Role): Promise<SignedIn> {
    const res = await fetch(`${this.gatewayUrl}/api/v1/dev-sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, role }),
    });
    if (!res.ok) throw new Error(`dev sign-in: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as SignedIn;
  }

  /** The typed client through the gateway, as this user. */
  api(session: SignedIn): CrmClient {
    return createCrmClient({ baseUrl: this.gatewayUrl, token: session.token });
  }

  /** A tab of the console without a session: the sign-in page. */
  async anonymousPage(options: { viewport?: keyof typeof VIEWPORTS; language?: 'en' | 'zh-CN' } = {}): Promise<ConsolePage> {
    const context = await this.browser.newContext({
      viewport: VIEWPORTS[options.viewport ?? 'laptop'],
      locale: options.language ?? 'en',
      timezoneId: 'Asia/Shanghai',
    });
    return new ConsolePage(await context.newPage(), context, this.consoleUrl);
  }

  /**
   * A tab of the console already signed in as this session (the sign-in page's own test signs in through the
   * form): the session is put where the console keeps it before its first script runs.
   */
  async pageAs(session: SignedIn, options: { viewport?: keyof typeof VIEWPORTS; language?: 'en' | 'zh-CN' } = {}): Promise<ConsolePage> {
    const tab = await this.anonymousPage(options);
    const stored = {
      token: session.token,
      expiresAt: session.expiresAt,
      user: { id: session.user.sub, name: session.user.name, roles: session.user.roles, team: session.user.team ?? null },
    };
    await tab.context.addInitScript(`localStorage.setItem('crm.session', ${JSON.stringify(JSON.stringify(stored))});`);
    return tab;
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
