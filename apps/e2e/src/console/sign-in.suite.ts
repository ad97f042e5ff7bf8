import { expectScreenSound, pickPerson, type ConsoleSuiteContext } from './suite';

export function signInSuite(ctx: ConsoleSuiteContext): void {
  describe('sign-in', () => {
    it('signs a rep in through the development sign-in form and shows their sections, without the dashboard', async () => {
      const harness = ctx.harness();
      const rep = await pickPerson(harness, 'sales_rep', 'east');
      const tab = await harness.anonymousPage();
      try {
        await tab.goto('/');
        await tab.page.getByRole('heading', { name: /Sales console/ }).waitFor();
        await expectScreenSound(tab, 'sign-in');
        await tab.page.getByTestId('sign-in-person').click();
        await tab.page.keyboard.type(rep.name);
        await tab.page.keyboard.press('Enter');
        // Picking a person proposes their role.
        await tab.page.getByTestId('sign-in-role').getByText('Sales rep').waitFor();
        await tab.page.getByRole('button', { name: 'Sign in' }).click();
        await tab.page.getByRole('navigation').getByRole('link', { name: 'Leads' }).waitFor();
        expect(await tab.page.getByRole('navigation').getByRole('link', { name: 'Dashboard' }).count()).toBe(0);
        await tab.page.getByTestId('user-menu').getByText(rep.name).waitFor();
        // A reload keeps the session.
        await tab.page.reload();
        await tab.page.getByTestId('user-menu').waitFor();
        expect(tab.errors).toEqual([]);
      } finally {
        await tab.close();
      }
    });

    it('speaks Chinese to a Chinese browser', async () => {
      const harness = ctx.harness();
      const tab = await harness.anonymousPage({ language: 'zh-CN' });
      try {
        await tab.goto('/');
        await tab.page.getByRole('heading', { name: /销售控制台/ }).waitFor();
        expect(await tab.page.locator('html').getAttribute('lang')).toBe('zh-CN');
        await tab.screenshot('sign-in-zh');
      } finally {
        await tab.close();
      }
    });
  });
}
