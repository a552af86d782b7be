import { assertEventType, createEnvelope, isEventEnvelope } from '../src/events/envelope.js';
import { topicMatches } from '../src/events/topic.js';

describe('topicMatches (AMQP topic semantics)', () => {
  it.each([
    ['auth.user.registered', 'auth.user.registered', true],
    ['auth.user.registered', 'auth.user.deleted', false],
    ['auth.user.*', 'auth.user.registered', true],
    ['*.user.*', 'billing.user.deleted', true],
    ['*.user.*', 'billing.users.deleted', false],
    ['auth.*', 'auth.user.registered', false],
    ['auth.#', 'auth.user.registered', true],
    ['auth.#', 'auth', true],
    ['#', 'auth.user.registered', true],
    ['#.registered', 'auth.user.registered', true],
    ['auth.#.registered', 'auth.registered', true],
    ['auth.#.registered', 'auth.user.session.registered', true],
    ['auth.#.registered', 'auth.user.deleted', false],
    ['#.user.#', 'auth.user.registered', true],
    ['auth.*.*.*', 'auth.user.registered', false],
  ])('%s vs %s → %s', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });
});

describe('event envelope', () => {
  it('creates an envelope with a uuid, an ISO time and the given parts', () => {
    const event = createEnvelope('auth', 'auth.user.registered', { userId: 'u1' });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(event.occurredAt).toISOString()).toBe(event.occurredAt);
    expect(event).toMatchObject({ source: 'auth', type: 'auth.user.registered', payload: { userId: 'u1' } });
    expect(isEventEnvelope(event)).toBe(true);
  });

  it('refuses types that are not <service>.<entity>.<verb> of their source', () => {
    expect(() => assertEventType('auth', 'auth.registered')).toThrow(/<service>.<entity>.<verb>/);
    expect(() => assertEventType('auth', 'auth.user.*')).toThrow();
    expect(() => assertEventType('auth', 'billing.user.registered')).toThrow(/source service/);
  });

  it('recognizes what is not an envelope', () => {
    expect(isEventEnvelope({ id: 'x', type: 'a.b.c' })).toBe(false);
    expect(isEventEnvelope(null)).toBe(false);
  });
});
