import { hanPair, likeFragment, phoneFragment } from './search';

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
});
