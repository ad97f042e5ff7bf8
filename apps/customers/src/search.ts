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
