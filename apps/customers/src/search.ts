/** A search fragment as a LIKE pattern over the lower-cased search text: `%` and `_` typed by a user are literal. */
export function likeFragment(q: string): string {
  const text = q.normalize('NFKC').trim().toLowerCase();
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The digits of a phone fragment ("138-0013" → "1380013"), or undefined when it is not one. */
export function phoneFragment(q: string): string | undefined {
  if (!/^[\d\s()+.-]+$/.test(q)) return undefined;
  const digits = q.replace(/\D/g, '');
  return digits.length >= 3 ? `%${digits}%` : undefined;
}

/** The same ranges as search_han_pairs (migration 1765324800000): CJK Unified Ideographs and Extension A. */
const HAN_PAIR = /^[\u3400-\u4dbf\u4e00-\u9fff]{2}$/;

/** A two-character Chinese fragment ("华为"), too short for a trigram: looked up by the indexed character pairs. */
export function hanPair(q: string): string | undefined {
  const text = q.normalize('NFKC').trim();
  return HAN_PAIR.test(text) ? text : undefined;
}
