import { LogCapture } from '../../test/observability-test-app';
import { createJsonLogger } from './json-logger.service';
import { PERSONAL_LOG_PATHS, REDACTED, redactText } from './redaction';

// Distinctive values: the assertions search the whole line for them, so a leak anywhere fails the test.
const NAME = '张伟 Redactson';
const EMAIL = 'zhang.redactson@example.cn';
const PHONE = '+86 138 0013 8000';
const FEEDBACK = 'the installer was rude to me';

function lineOf(log: (logger: ReturnType<typeof createJsonLogger>) => void): { text: string; line: Record<string, unknown> } {
  const out = new LogCapture();
  log(createJsonLogger('leads', { destination: out }));
  const line = out.lines[0];
  return { text: JSON.stringify(line), line };
}

const expectNoPersonalData = (text: string) => {
  for (const value of [NAME, EMAIL, PHONE, FEEDBACK, 'Bearer eyJhbGciOi', 'session=abc']) expect(text).not.toContain(value);
};

describe('log redaction of personal data', () => {
  it('censors personal fields of a logged event payload at any depth pino reaches', () => {
    const event = {
      type: 'crm.lead.captured',
      data: { leadId: 'lead-1', contact: { name: NAME, email: EMAIL, phone: PHONE }, message: FEEDBACK },
    };
    const { text, line } = lineOf((logger) => logger.log({ event, lead: { id: 'lead-1', name: NAME, emails: [EMAIL], phones: [PHONE] } }, 'Inbox'));

    expectNoPersonalData(text);
    // Ids and types stay: they are what an operator needs to find the record.
    expect(line).toMatchObject({
      event: { type: 'crm.lead.captured', data: { leadId: 'lead-1', contact: REDACTED, message: REDACTED } },
      lead: { id: 'lead-1', name: REDACTED, emails: REDACTED, phones: REDACTED },
    });
  });

  it('censors follow-up content, customer feedback and comments, and a customer object', () => {
    const { text, line } = lineOf((logger) =>
      logger.warn({ followUp: { content: FEEDBACK, customerFeedback: FEEDBACK }, feedback: { comment: FEEDBACK }, order: { customer: { name: NAME } } }),
    );

    expectNoPersonalData(text);
    expect(line).toMatchObject({ followUp: { content: REDACTED, customerFeedback: REDACTED }, feedback: { comment: REDACTED }, order: { customer: REDACTED } });
  });

  it('censors authorization headers and cookies', () => {
    const { text, line } = lineOf((logger) =>
      logger.log({ req: { method: 'GET', headers: { authorization: 'Bearer eyJhbGciOi', cookie: 'session=abc', 'x-correlation-id': 'c-1' } } }),
    );

    expectNoPersonalData(text);
    expect(line).toMatchObject({ req: { method: 'GET', headers: { authorization: REDACTED, cookie: REDACTED, 'x-correlation-id': 'c-1' } } });
  });

  it('masks search terms and addresses in URLs, in the message and in url fields', () => {
    const url = `/api/v1/leads?q=${encodeURIComponent(NAME)}&email=${EMAIL}&phone=${encodeURIComponent(PHONE)}&name=Li&search=Wei&limit=20`;
    const { text, line } = lineOf((logger) => logger.log({ req: { url }, url }, 'Http'));
    const fromMessage = lineOf((logger) => logger.error(`export of ${url} failed`));

    expectNoPersonalData(text + fromMessage.text);
    expect(text).not.toMatch(/Li|Wei/);
    const masked = `/api/v1/leads?q=${REDACTED}&email=${REDACTED}&phone=${REDACTED}&name=${REDACTED}&search=${REDACTED}&limit=20`;
    expect(line).toMatchObject({ url: masked, req: { url: masked } });
    expect(fromMessage.line.msg).toBe(`export of ${masked} failed`);
  });

  it('keeps an error message but masks addresses in it, and drops the bound values of a failed query', () => {
    const error = Object.assign(new Error(`duplicate key for ${EMAIL}`), {
      parameters: [NAME, EMAIL, PHONE],
      detail: `Key (email)=(${EMAIL}) already exists.`,
    });
    const { text, line } = lineOf((logger) => logger.error(error, 'ContactsRepository'));

    expectNoPersonalData(text);
    expect(line).toMatchObject({
      msg: `duplicate key for ${REDACTED}`,
      err: { message: `duplicate key for ${REDACTED}`, parameters: REDACTED, detail: REDACTED },
    });
  });

  it('redacts at the top level, one, two and three levels down', () => {
    for (const path of ['email', '*.email', '*.*.email', '*.*.*.email', '*.*.*.phones', '*.customerFeedback']) expect(PERSONAL_LOG_PATHS).toContain(path);
    expect(redactText('GET /x?search=abc&page=2')).toBe(`GET /x?search=${REDACTED}&page=2`);
  });
});
