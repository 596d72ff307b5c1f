import { credentialsFromOptions } from './sync.cli';

const fields = [
  { key: 'tenant', secret: false },
  { key: 'token', secret: true },
];

describe('credentialsFromOptions', () => {
  it('takes plain values from --credential and secrets from --credential-env', () => {
    expect(credentialsFromOptions(fields, { credential: ['tenant=acme'], 'credential-env': ['token=TOK'] }, { TOK: ' s3cret ' }, () => null)).toEqual({
      tenant: 'acme',
      token: 's3cret',
    });
  });

  it('reads what the flags leave out from a JSON object on stdin; flags win', () => {
    expect(credentialsFromOptions(fields, { credential: ['tenant=acme'] }, {}, () => '{"token":"from-stdin","tenant":"other"}')).toEqual({
      tenant: 'acme',
      token: 'from-stdin',
    });
  });

  it('refuses unknown keys, empty variables, malformed pairs and missing fields, naming them', () => {
    expect(() => credentialsFromOptions(fields, { credential: ['clientId=x'] }, {}, () => null)).toThrow(/"clientId" is not a credential.*tenant, token/);
    expect(() => credentialsFromOptions(fields, { credential: ['tenant=acme'], 'credential-env': ['token=NOPE'] }, {}, () => null)).toThrow(/NOPE is empty/);
    expect(() => credentialsFromOptions(fields, { credential: ['tenant'] }, {}, () => null)).toThrow(/key=value/);
    expect(() => credentialsFromOptions(fields, { credential: ['tenant=acme'] }, {}, () => null)).toThrow(/--credential-env token=VAR/);
    expect(() => credentialsFromOptions(fields, {}, {}, () => 'not json')).toThrow(/JSON object/);
  });
});
