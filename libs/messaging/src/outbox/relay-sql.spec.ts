import { markPublished, unpublishedAfter } from './relay-sql';

describe('the relay SQL built as text', () => {
  it('puts checked seqs and the limit in as numbers', () => {
    expect(unpublishedAfter('42', 500)).toMatch(/seq > 42 ORDER BY seq LIMIT 500$/);
    expect(markPublished(['7', '8'])).toContain("ANY('{7,8}'::bigint[])");
  });

  it('refuses a seq that is not a number', () => {
    expect(() => markPublished(['7', "8}'); DROP TABLE outbox; --"])).toThrow('not an outbox seq');
    expect(() => unpublishedAfter('1 OR true', 500)).toThrow('not an outbox seq');
  });
});
