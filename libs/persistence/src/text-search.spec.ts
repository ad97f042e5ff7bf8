import { hanPair, likeFragment, phoneFragment, searchFragmentProblem } from './text-search';

describe('search fragments', () => {
  it('reads a typed % or _ literally', () => {
    expect(likeFragment(' 50%_off ')).toBe('%50\\%\\_off%');
  });

  it('takes the digits of a phone fragment of three or more', () => {
    expect(phoneFragment('138-0013')).toBe('%1380013%');
    expect(phoneFragment('12')).toBeUndefined();
    expect(phoneFragment('acme')).toBeUndefined();
  });

  it('knows a two-character Chinese fragment, which has no trigram, and nothing else', () => {
    expect(hanPair('华为')).toBe('华为');
    expect(hanPair(' 王伟 ')).toBe('王伟');
    expect(hanPair('华为科技')).toBeUndefined();
    expect(hanPair('华')).toBeUndefined();
    expect(hanPair('ab')).toBeUndefined();
    expect(hanPair('华a')).toBeUndefined();
  });

  it('refuses a single character and an overlong fragment, counting characters, not bytes', () => {
    expect(searchFragmentProblem('a')).toMatch(/at least 2/);
    expect(searchFragmentProblem(' 王 ')).toMatch(/at least 2/);
    expect(searchFragmentProblem('王伟')).toBeUndefined();
    expect(searchFragmentProblem('ab')).toBeUndefined();
    expect(searchFragmentProblem('伟'.repeat(100))).toBeUndefined();
    expect(searchFragmentProblem('x'.repeat(101))).toMatch(/at most 100/);
  });

  it('folds full-width input as the search text is folded', () => {
    expect(likeFragment('ＡＣＭＥ')).toBe('%acme%');
  });
});
