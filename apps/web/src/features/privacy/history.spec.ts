import { auditValue, changeLines, EMPTY, exportFileName, newestFirst, type AuditEntry } from './history';

const entry = (id: string, at: string): AuditEntry => ({
  id,
  at,
  actor: 'rep-1',
  actorRoles: ['sales_rep'],
  ip: null,
  userAgent: null,
  correlationId: null,
  recordType: 'lead',
  recordId: 'lead-1',
  action: 'updated',
  changes: [],
});

describe('the History panel’s reading of audit entries', () => {
  it('shows values as the API gives them: masked and erased ones verbatim, lists joined, nothing as a dash', () => {
    expect(auditValue('l•••@acme.example')).toBe('l•••@acme.example');
    expect(auditValue('[erased]')).toBe('[erased]');
    expect(auditValue(['+86 139', '+86 138'])).toBe('+86 139, +86 138');
    expect(auditValue({ plan: 'gold' })).toBe('{"plan":"gold"}');
    expect(auditValue(80)).toBe('80');
    expect(auditValue(false)).toBe('false');
    for (const nothing of [null, '', [], {}]) expect(auditValue(nothing)).toBe(EMPTY);
  });

  it('lists each changed field as old and new, leaving out a field that reads the same before and after unless it is a masked personal one', () => {
    const lines = changeLines([
      { field: 'company', old: 'Acme', new: 'Acme Pumps', personal: false },
      { field: 'email', old: null, new: 'z•••@acme.example', personal: true },
      { field: 'customFields', old: {}, new: null, personal: false },
      { field: 'phone', old: '•••00', new: '•••00', personal: true },
    ]);
    expect(lines).toEqual([
      { field: 'company', old: 'Acme', new: 'Acme Pumps', personal: false },
      { field: 'email', old: EMPTY, new: 'z•••@acme.example', personal: true },
      { field: 'phone', old: '•••00', new: '•••00', personal: true },
    ]);
  });

  it('orders entries newest first, the later append first within the same instant', () => {
    const sorted = newestFirst([entry('1', '2026-05-01T08:00:00.000Z'), entry('3', '2026-05-02T08:00:00.000Z'), entry('2', '2026-05-01T08:00:00.000Z')]);
    expect(sorted.map((e) => e.id)).toEqual(['3', '2', '1']);
  });

  it('names the export file after its subject', () => {
    expect(exportFileName({ leadId: 'l-1' })).toBe('personal-data-lead-l-1.json');
    expect(exportFileName({ contactId: 'c-1' })).toBe('personal-data-contact-c-1.json');
  });
});
