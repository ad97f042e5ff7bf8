/**
 * The key an account's purchase history is kept under: the company name when known (case, spacing and a
 * trailing legal form ignored), else the e-mail address. Null when the customer names neither.
 */
export function accountKey(customer: { company?: string | null; email?: string | null }): string | null {
  const company = customer.company
    ?.toLowerCase()
    .replace(/[.,]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/ (inc|ltd|llc|gmbh|co|corp|plc|sa|ag|bv)$/, '')
    .trim();
  if (company) return `company:${company}`;
  const email = customer.email?.trim().toLowerCase();
  return email ? `email:${email}` : null;
}
