import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { freePort, startSystem, type RunningGateway, type TestSystem } from '@crm/testing';
import { CHROMIUM, CHROMIUM_ARGS } from './console/harness';

// What a frontend team meets: a page served from its own origin calls the gateway with a bearer token, in a real
// browser (Debian's chromium, headless; tools/system-packages.sh installs it). The browser, not the test, decides
// whether the page may read the answer: the gateway's CORS headers are what it goes by.
jest.setTimeout(180_000);

const admin = { sub: 'admin-1', roles: ['admin'] };

/** A tiny site on its own port: one page, nothing else. */
async function startSite(): Promise<{ origin: string; server: Server }> {
  const port = await freePort();
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>销售控制台</title></head><body>销售控制台</body></html>');
  });
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  return { origin: `http://127.0.0.1:${port}`, server };
}

describe('a browser page on another origin calling the gateway', () => {
  let system: TestSystem & { gateway: RunningGateway };
  let allowed: { origin: string; server: Server };
  let other: { origin: string; server: Server };
  let profile: string;
  let browser: BrowserContext;

  /** Opens the site's page and runs a fetch of the gateway inside it, as the page's own script would. */
  const callFromPage = async (origin: string, path: string) => {
    const page: Page = await browser.newPage();
    try {
      await page.goto(`${origin}/`);
      return await page.evaluate(
        async ({ url, token }) => {
          const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, credentials: 'include' });
          return { status: res.status, requestId: res.headers.get('x-request-id'), body: (await res.json()) as { items: { email: string }[] } };
        },
        { url: `${system.gateway.url}${path}`, token: system.token(admin) },
      );
    } finally {
      await page.close();
    }
  };

  beforeAll(async () => {
    allowed = await startSite();
    other = await startSite();
    system = await startSystem(['leads'], { gateway: { corsOrigins: [allowed.origin] } });
    await system.as(admin, 'leads').post('/api/v1/reps').send({ name: '王芳', email: 'wang.fang@crm.example', team: 'east', capacity: 10 }).expect(201);
    profile = await mkdtemp(join(tmpdir(), 'crm-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', ...CHROMIUM_ARGS],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
    await system?.stop();
    for (const site of [allowed, other]) site?.server.close();
  });

  it('lets a page from an allowed origin read the answer, and the headers the gateway exposes', async () => {
    const result = await callFromPage(allowed.origin, '/api/v1/reps');
    expect(result.status).toBe(200);
    expect(result.body.items.map((r) => r.email)).toContain('wang.fang@crm.example');
    expect(result.requestId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('keeps the answer from a page on an origin not on the list: the browser rejects the fetch', async () => {
    await expect(callFromPage(other.origin, '/api/v1/reps')).rejects.toThrow(/Failed to fetch/);
  });
});
