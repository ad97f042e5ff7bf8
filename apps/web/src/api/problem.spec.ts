import { ApiProblem } from '@crm/api-client';
import { fieldPath, formFieldsOf } from './problem';

const problem = (errors: { field: string; message: string }[]) =>
  new ApiProblem(new Response(null, { status: 400 }), { status: 400, code: 'VALIDATION_FAILED', detail: 'invalid', errors });

describe('a problem’s field errors beside the form fields they name', () => {
  it('turns the API’s field names into form paths', () => {
    expect(fieldPath('lines[0].quantity')).toEqual(['lines', 0, 'quantity']);
    expect(fieldPath('contact.email')).toEqual(['contact', 'email']);
  });

  it('gives each field its messages and keeps errors for fields the form lacks apart', () => {
    const { fields, other } = formFieldsOf(
      problem([
        { field: 'email', message: 'must be an email' },
        { field: 'email', message: 'too long' },
        { field: 'lines[1].sku', message: 'unknown item' },
        { field: 'ownerTeam', message: 'not yours' },
      ]),
      ['email', 'lines'],
    );
    expect(fields).toEqual([
      { name: ['email'], errors: ['must be an email', 'too long'] },
      { name: ['lines', 1, 'sku'], errors: ['unknown item'] },
    ]);
    expect(other.map((e) => e.field)).toEqual(['ownerTeam']);
  });
});
