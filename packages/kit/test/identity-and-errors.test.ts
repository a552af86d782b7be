import { GraphQLError } from 'graphql';
import { signIdentity, signServiceToken, verifyIdentity, verifyServiceToken, DELEGATION_MAX_AGE_SECONDS } from '../src/identity.js';
import { generateKeys } from '../src/keys.js';
import { badUserInput, formatError } from '../src/errors.js';

const keys = generateKeys();
const other = generateKeys();
const { identityPrivateKey: privateKey, identityPublicKey: publicKey } = keys;

describe('signed identity', () => {
  const identity = { userId: 'u1', sessionId: 's1', roles: ['USER'], ip: '10.0.0.1' };
  const binding = { subgraph: 'files', requestId: 'req-1' };

  test('round-trips, keeping the header as the proof a service shows later', () => {
    const header = signIdentity(identity, privateKey, binding);
    expect(verifyIdentity(header, publicKey, binding)).toEqual({ ...identity, proof: header });
  });

  test('refuses another key, a changed body, an expired one and the other audience', () => {
    const header = signIdentity(identity, privateKey);
    expect(() => verifyIdentity(header, other.identityPublicKey)).toThrow('signature');
    const [, signature] = header.split('.');
    const forged = Buffer.from(JSON.stringify({ ...identity, roles: ['ADMIN'], aud: 'subgraph', iat: 1, exp: 9e9 })).toString('base64url');
    expect(() => verifyIdentity(`${forged}.${signature}`, publicKey)).toThrow('signature');
    expect(() => verifyIdentity(signIdentity(identity, privateKey, undefined, { ttlSeconds: -1 }), publicKey)).toThrow('expired');
    const proof = signIdentity(identity, privateKey, binding);
    expect(() => verifyIdentity(signServiceToken('files', { ...identity, proof }, keys.serviceTokenSecret), publicKey)).toThrow();
    expect(() => verifyServiceToken(header, keys)).toThrow('signature');
    expect(() => verifyIdentity('garbage', publicKey)).toThrow();
  });

  test('a header signed for one subgraph and request opens no other subgraph, and no other request', () => {
    const header = signIdentity(identity, privateKey, binding);
    expect(() => verifyIdentity(header, publicKey, { subgraph: 'auth', requestId: 'req-1' })).toThrow('another subgraph');
    expect(() => verifyIdentity(header, publicKey, { subgraph: 'files', requestId: 'req-2' })).toThrow('another request');
    // An identity signed without a binding is refused wherever one is required.
    expect(() => verifyIdentity(signIdentity(identity, privateKey), publicKey, binding)).toThrow('another subgraph');
  });
});

describe('service tokens', () => {
  const identity = { userId: 'u1', sessionId: 's1', roles: ['USER'], ip: '10.0.0.1' };
  const proofFor = (subgraph: string, issuedAt?: number) => signIdentity(identity, privateKey, { subgraph, requestId: 'req-1' }, { issuedAt });

  test('act for the user the router signed, with the roles the router signed', () => {
    const token = signServiceToken('files', { ...identity, roles: ['ADMIN'], proof: proofFor('files') }, keys.serviceTokenSecret);
    expect(verifyServiceToken(token, keys)).toEqual({ ...identity, actingService: 'files' });
  });

  test('need an identity the router signed for that very service, recently', () => {
    expect(() => signServiceToken('files', identity, keys.serviceTokenSecret)).toThrow('proof');
    const forProjects = signServiceToken('files', { ...identity, proof: proofFor('projects') }, keys.serviceTokenSecret);
    expect(() => verifyServiceToken(forProjects, keys)).toThrow('another service');
    const old = Math.floor(Date.now() / 1000) - DELEGATION_MAX_AGE_SECONDS - 1;
    const stale = signServiceToken('files', { ...identity, proof: proofFor('files', old) }, keys.serviceTokenSecret);
    expect(() => verifyServiceToken(stale, keys)).toThrow('too old');
    const minted = signServiceToken('files', { ...identity, proof: signIdentity(identity, other.identityPrivateKey, { subgraph: 'files', requestId: 'r' }) }, keys.serviceTokenSecret);
    expect(() => verifyServiceToken(minted, keys)).toThrow('signature');
    const otherSecret = signServiceToken('files', { ...identity, proof: proofFor('files') }, other.serviceTokenSecret);
    expect(() => verifyServiceToken(otherSecret, keys)).toThrow('signature');
    const expired = signServiceToken('files', { ...identity, proof: proofFor('files') }, keys.serviceTokenSecret, -1);
    expect(() => verifyServiceToken(expired, keys)).toThrow('expired');
  });
});

describe('formatError', () => {
  test('keeps coded errors without their stack', () => {
    const error = badUserInput('Email is invalid', 'email');
    const formatted = formatError({ message: error.message, extensions: { ...error.extensions, stacktrace: ['at x'] } }, error);
    expect(formatted).toEqual({ message: 'Email is invalid', extensions: { code: 'BAD_USER_INPUT', field: 'email' } });
  });

  test('masks anything else', () => {
    const error = new GraphQLError('relation "users" does not exist', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(formatError({ message: error.message, path: ['me'], extensions: error.extensions }, error)).toEqual({
      message: 'Internal server error',
      path: ['me'],
      locations: undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(formatError({ message: 'x', extensions: { code: 'SOMETHING_ELSE' } }).message).toBe('Internal server error');
  });
});
