import { GraphQLError } from 'graphql';
import { signIdentity, signServiceToken, verifyIdentity, verifyServiceToken } from '../src/identity.js';
import { badUserInput, formatError } from '../src/errors.js';

const secret = 'a-secret-of-at-least-thirty-two-characters';

describe('signed identity', () => {
  const identity = { userId: 'u1', sessionId: 's1', roles: ['USER'], ip: '10.0.0.1' };

  test('round-trips', () => {
    expect(verifyIdentity(signIdentity(identity, secret), secret)).toEqual(identity);
  });

  test('refuses another secret, a changed body, an expired one and the other audience', () => {
    const header = signIdentity(identity, secret);
    expect(() => verifyIdentity(header, `${secret}x`)).toThrow('signature');
    const [, mac] = header.split('.');
    const forged = Buffer.from(JSON.stringify({ ...identity, roles: ['ADMIN'], aud: 'subgraph', exp: 9e9 })).toString('base64url');
    expect(() => verifyIdentity(`${forged}.${mac}`, secret)).toThrow('signature');
    expect(() => verifyIdentity(signIdentity(identity, secret, undefined, -1), secret)).toThrow('expired');
    expect(() => verifyIdentity(signServiceToken('chat', identity, secret), secret)).toThrow('audience');
    expect(() => verifyServiceToken(header, secret)).toThrow('audience');
    expect(() => verifyIdentity('garbage', secret)).toThrow();
  });

  test('a header signed for one subgraph and request opens no other subgraph, and no other request', () => {
    const binding = { subgraph: 'users', requestId: 'req-1' };
    const header = signIdentity(identity, secret, binding);
    expect(verifyIdentity(header, secret, binding)).toEqual(identity);
    expect(() => verifyIdentity(header, secret, { subgraph: 'auth', requestId: 'req-1' })).toThrow('another subgraph');
    expect(() => verifyIdentity(header, secret, { subgraph: 'users', requestId: 'req-2' })).toThrow('another request');
    // An identity signed without a binding is refused wherever one is required.
    expect(() => verifyIdentity(signIdentity(identity, secret), secret, binding)).toThrow('another subgraph');
  });

  test('a service token carries the acting service', () => {
    expect(verifyServiceToken(signServiceToken('chat', identity, secret), secret)).toEqual({ ...identity, actingService: 'chat' });
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
