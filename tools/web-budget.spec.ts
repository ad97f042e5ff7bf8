import { closure, screenCosts } from './web-budget';

// The console's JavaScript budget counts what a screen must load before it shows: its chunk and its static imports.
const manifest = {
  'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_shared.js'] },
  '_shared.js': { file: 'assets/shared.js' },
  'src/features/home/HomePage.tsx': { file: 'assets/home.js', isDynamicEntry: true, imports: ['index.html'] },
  'src/features/notifications/NotificationBell.tsx': { file: 'assets/bell.js', isDynamicEntry: true, imports: ['index.html', '_shared.js'] },
  'src/features/dashboard/DashboardPage.tsx': { file: 'assets/dashboard.js', isDynamicEntry: true, imports: ['_charts.js', 'index.html'] },
  '_charts.js': { file: 'assets/charts.js' },
};
const sizes: Record<string, number> = {
  'assets/index.js': 100,
  'assets/shared.js': 10,
  'assets/home.js': 5,
  'assets/bell.js': 2,
  'assets/dashboard.js': 7,
  'assets/charts.js': 300,
};

describe('the console’s JavaScript budget', () => {
  it('follows static imports once each', () => {
    expect([...closure(manifest, 'src/features/notifications/NotificationBell.tsx')].sort()).toEqual(['assets/bell.js', 'assets/index.js', 'assets/shared.js']);
  });

  it('charges the sign-in page the entry, a rep’s first page also home and the bell, and each screen its own chunks', () => {
    const costs = Object.fromEntries(screenCosts(manifest, (f) => sizes[f] ?? 0).map((c) => [c.screen, c.bytes]));
    expect(costs.signIn).toBe(110);
    expect(costs.repHome).toBe(117);
    expect(costs['dashboard/DashboardPage']).toBe(417);
  });
});
