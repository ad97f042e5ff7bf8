/**
 * How a personal value shows to someone not allowed to read it (the audit trail, for a rep): enough to tell two
 * values apart, not enough to use them. An email keeps its first letter and domain, a phone its last two digits.
 */
export function maskPersonal(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map(maskPersonal);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const email = /^([^@\s])[^@\s]*@([^@\s]+)$/.exec(text);
  if (email) return `${email[1]}•••@${email[2]}`;
  if (/^[+\d][\d\s()-]{5,}$/.test(text)) return `•••${text.replace(/\D/g, '').slice(-2)}`;
  return text ? `${[...text][0]}•••` : text;
}
