import { formatDate, formatDateTime, formatMoney, todayIn } from './format';

describe('how the console writes money and time', () => {
  it('formats the decimal string itself, so no cent is lost to a float', () => {
    expect(formatMoney('12345678901234.57', 'CNY', 'zh-CN')).toBe('¥12,345,678,901,234.57');
    expect(formatMoney('0.10', 'USD', 'en-GB')).toBe('US$0.10');
    expect(formatMoney(null, 'CNY', 'en-GB')).toBe('–');
  });

  it('shows an instant in Beijing time or UTC as chosen, and a calendar date as it is', () => {
    const instant = '2026-12-03T17:30:00.000Z';
    expect(formatDateTime(instant, 'Asia/Shanghai', 'en-GB')).toBe('04/12/2026, 01:30');
    expect(formatDateTime(instant, 'UTC', 'en-GB')).toBe('03/12/2026, 17:30');
    expect(formatDate('2026-12-04', 'UTC', 'zh-CN')).toBe('2026/12/04');
    expect(todayIn('Asia/Shanghai', new Date(instant))).toBe('2026-12-04');
    expect(todayIn('UTC', new Date(instant))).toBe('2026-12-03');
  });
});
