import { NOTIFICATION_TYPE_NAMES } from '../catalogue/catalogue';
import { render } from './templates';

const n = {
  type: 'stage_overdue' as const,
  recordKind: 'opportunity' as const,
  recordId: 'o1',
  params: { label: '华为 · 李伟', stage: 'proposal', limitHours: 72, enteredAt: '2026-03-31T16:00:00Z' },
};

describe('templates', () => {
  it('speaks Chinese and English, with times in the reader’s zone', () => {
    const zh = render(n, 'zh-CN', 'Asia/Shanghai');
    expect(zh.title).toBe('商机在「proposal」阶段停留过久：华为 · 李伟');
    expect(zh.body).toContain('2026年4月1日');
    expect(zh.link).toBe('/opportunities/o1');
    const en = render(n, 'en', 'UTC');
    expect(en.title).toBe('Opportunity stuck in proposal: 华为 · 李伟');
    expect(en.body).toContain('Mar 31, 2026');
  });

  it("names a lead's first-follow-up deadline as lead.assigned and the warning carry it", () => {
    const params = { label: '华为 · 李伟', leadId: 'l1', firstFollowUpDueAt: '2026-12-01T02:00:00Z' };
    for (const type of ['lead_assigned', 'first_follow_up_due_soon'] as const) {
      expect(render({ type, recordKind: 'lead', recordId: 'l1', params }, 'zh-CN', 'Asia/Shanghai').body).toContain('10:00');
      expect(render({ type, recordKind: 'lead', recordId: 'l1', params }, 'en', 'UTC').body).toContain('2:00');
    }
  });

  it('has a text for every type in both languages', () => {
    for (const type of NOTIFICATION_TYPE_NAMES)
      for (const locale of ['zh-CN', 'en'] as const) {
        const r = render({ type, recordKind: 'order', recordId: 'x', params: {} }, locale, 'UTC');
        expect(r.title.length).toBeGreaterThan(3);
      }
  });

  it("names the escalated alert in the manager's language", () => {
    const escalated = {
      ...n,
      type: 'escalated' as const,
      params: { original: { type: 'stage_overdue', params: n.params }, ownerName: 'Wang', originalAt: '2026-12-01T00:00:00Z' },
    };
    expect(render(escalated, 'en', 'UTC').title).toBe('Escalated, not acknowledged: Opportunity stuck in proposal: 华为 · 李伟');
    expect(render(escalated, 'zh-CN', 'UTC').title).toContain('提醒未处理，已升级：商机在「proposal」');
  });
});
