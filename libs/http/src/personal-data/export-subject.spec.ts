import { DomainError } from '@crm/domain';
import { exportSubject } from './export-subject';

describe('exportSubject', () => {
  it('takes exactly one of contactId and leadId', () => {
    expect(exportSubject({ contactId: 'c' })).toEqual({ contactId: 'c' });
    expect(exportSubject({ leadId: 'l' })).toEqual({ leadId: 'l' });
  });

  it('refuses neither (contactId missing) and both (leadId to drop) as invalid input', () => {
    const fieldOf = (query: { contactId?: string; leadId?: string }) => {
      try {
        exportSubject(query);
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        return (e as DomainError).fields?.map((f) => [f.field, f.constraint]);
      }
      throw new Error('accepted');
    };
    expect(fieldOf({})).toEqual([['contactId', 'exactlyOne']]);
    expect(fieldOf({ contactId: '', leadId: '' })).toEqual([['contactId', 'exactlyOne']]);
    expect(fieldOf({ contactId: 'c', leadId: 'l' })).toEqual([['leadId', 'exactlyOne']]);
  });
});
