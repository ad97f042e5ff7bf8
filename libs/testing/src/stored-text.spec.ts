import { valuesIn } from './stored-text';

describe('valuesIn', () => {
  const texts = [
    { where: 'leads.contact_name', text: 'Zhou Min' },
    { where: 'leads.search_text', text: 'zhou min zhou@bigco.example' },
    { where: 'notes.body', text: 'call Zhou Min' },
  ];

  it('names each place a value occurs once, byte for byte', () => {
    expect(valuesIn([...texts, texts[0]], ['Zhou Min', 'absent'])).toEqual(['leads.contact_name: Zhou Min', 'notes.body: Zhou Min']);
  });

  it('finds lower-cased copies when told to ignore case', () => {
    expect(valuesIn(texts, ['ZHOU@BigCo.example'], { ignoreCase: true })).toEqual(['leads.search_text: ZHOU@BigCo.example']);
    expect(valuesIn(texts, ['ZHOU@BigCo.example'])).toEqual([]);
  });
});
