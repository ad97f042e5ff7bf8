import { ApiProblem, type FieldError } from '@crm/api-client';

/** `lines[0].quantity` → `['lines', 0, 'quantity']`, the name path an antd Form field has. */
export function fieldPath(field: string): (string | number)[] {
  return field
    .split(/\.|\[(\d+)\]/)
    .filter((part) => part !== undefined && part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** A problem's field errors as `form.setFields` takes them, one entry per field; errors on fields the form lacks are left out and returned apart. */
export function formFieldsOf(error: unknown, formFields: string[]): { fields: { name: (string | number)[]; errors: string[] }[]; other: FieldError[] } {
  if (!(error instanceof ApiProblem)) return { fields: [], other: [] };
  const byField = new Map<string, string[]>();
  const other: FieldError[] = [];
  for (const e of error.errors) {
    const top = fieldPath(e.field)[0];
    if (typeof top === 'string' && formFields.includes(top)) byField.set(e.field, [...(byField.get(e.field) ?? []), e.message]);
    else other.push(e);
  }
  return { fields: [...byField].map(([field, errors]) => ({ name: fieldPath(field), errors })), other };
}

/** A short line for a problem: its detail, else its title, else the error's message. */
export function problemText(error: unknown): string {
  if (error instanceof ApiProblem) return error.detail ?? error.title ?? error.message;
  return error instanceof Error ? error.message : String(error);
}
