import { kafkaSecurityFromEnv } from './kafka-factory';

describe('kafkaSecurityFromEnv', () => {
  it('is plaintext unless told otherwise (the local broker)', () => {
    expect(kafkaSecurityFromEnv({})).toEqual({});
  });

  it('turns on TLS alone with KAFKA_SSL=true', () => {
    expect(kafkaSecurityFromEnv({ KAFKA_SSL: 'true' })).toEqual({ ssl: true });
  });

  it('uses SASL over TLS, whatever KAFKA_SSL says', () => {
    expect(kafkaSecurityFromEnv({ KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', KAFKA_SASL_USERNAME: 'crm', KAFKA_SASL_PASSWORD: 'pw', KAFKA_SSL: 'false' })).toEqual({
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'crm', password: 'pw' },
    });
  });

  it('refuses an unknown mechanism or missing credentials at boot', () => {
    expect(() => kafkaSecurityFromEnv({ KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'a', KAFKA_SASL_PASSWORD: 'b' })).toThrow(/must be one of/);
    expect(() => kafkaSecurityFromEnv({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'a' })).toThrow(
      /needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/,
    );
  });
});
