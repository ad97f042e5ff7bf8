import { pickPerson, type ConsoleSuiteContext } from './suite';

// Production's sign-in: the console as an OpenID Connect public client (code + PKCE) of the provider the services
// trust; the token it gets is the one the API accepts.
export function singleSignOnSuite(ctx: ConsoleSuiteContext): void {
  describe('single sign-on', () => {
    it('signs a manager in through the identity provider and calls the API with the provider’s token', async () => {
      const sso = ctx.singleSignOn();
      if (!sso) return; // a system started elsewhere has no provider
      const harness = ctx.harness();
      const manager = await pickPerson(harness, 'sales_manager');
      sso.idp.signInAs({ sub: manager.id, name: manager.name, roles: ['sales_manager'], team: manager.team });
      const tab = await harness.anonymousPage();
      try {
        await tab.page.goto(`${sso.consoleUrl}/leads?status=new`);
        // No development sign-in here: only the provider's button.
        expect(await tab.page.getByTestId('sign-in-person').count()).toBe(0);
        await tab.page.getByRole('button', { name: 'Sign in with single sign-on' }).click();
        // The provider sends the browser back; the console lands where the user started, signed in.
        await tab.page.getByTestId('user-menu').getByText(manager.name).waitFor();
        expect(new URL(tab.page.url()).pathname + new URL(tab.page.url()).search).toBe('/leads?status=new');
        await tab.page.getByRole('navigation').getByRole('link', { name: 'Dashboard' }).waitFor();
        // The provider's access token, where oidc-client-ts keeps it (sessionStorage, key oidc.user:<issuer>:<client>).
        const token = await tab.page.evaluate<string | undefined>(
          `(() => { const k = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:')); return k ? JSON.parse(sessionStorage.getItem(k)).access_token : undefined; })()`,
        );
        expect(token).toBeDefined();
        const res = await fetch(`${sso.consoleUrl}/api/v1/leads?limit=1`, { headers: { authorization: `Bearer ${token}` } });
        expect(res.status).toBe(200);
        expect({ errors: tab.errors, serverErrors: tab.serverErrors }).toEqual({ errors: [], serverErrors: [] });
      } finally {
        await tab.close();
      }
    });
  });
}
