// auth's events, delivered over the real RabbitMQ bus, create profiles and count logins,
// each exactly once however often the broker delivers it.
import { useService } from '@builderai/testkit';
import usersSubgraph from '../src/index.js';
import { eventually, loggedInEvent, newUserId, registeredEvent, settle } from './helpers.js';

describe('users consumes auth events', () => {
  const users = useService(usersSubgraph, { infrastructure: 'real' });
  const db = () => users.db;


  const statsOf = (userId: string) => db().userStats.findUnique({ where: { userId } });

  it('creates the profile, default settings and empty stats of a registered user', async () => {
    const userId = newUserId();
    await users.infra.bus.publish(registeredEvent(userId, 'Grace Hopper'));

    const profile = await eventually(() => db().profile.findUnique({ where: { userId } }), 'the profile');
    expect(profile).toMatchObject({ name: 'Grace Hopper', username: null });
    expect(await db().accountSettings.findUnique({ where: { userId } })).toMatchObject({
      emailNotifications: true,
      pushNotifications: true,
      theme: 'SYSTEM',
      language: 'en',
    });
    expect(await statsOf(userId)).toMatchObject({ loginCount: 0, lastLogin: null });
  });

  it('applies a registration delivered twice once', async () => {
    const userId = newUserId();
    const event = registeredEvent(userId);
    await users.infra.bus.publish(event);
    await users.infra.bus.publish(event);

    await eventually(() => db().profile.findUnique({ where: { userId } }), 'the profile');
    await settle();
    expect(await db().profile.count({ where: { userId } })).toBe(1);
    expect(await db().processedEvent.count({ where: { eventId: event.id } })).toBe(1);
  });

  it('counts two logins as two, and one login delivered twice as one', async () => {
    const userId = newUserId();
    await users.infra.bus.publish(registeredEvent(userId));
    await eventually(() => statsOf(userId), 'the stats row');

    const first = loggedInEvent(userId, new Date('2026-01-01T10:00:00Z'));
    await users.infra.bus.publish(first);
    await users.infra.bus.publish(first);
    await eventually(async () => (await statsOf(userId))?.loginCount === 1, 'the first login');
    await settle();
    expect((await statsOf(userId))?.loginCount).toBe(1);

    const second = loggedInEvent(userId, new Date('2026-01-02T10:00:00Z'));
    await users.infra.bus.publish(second);
    await eventually(async () => (await statsOf(userId))?.loginCount === 2, 'the second login');
    expect((await statsOf(userId))?.lastLogin?.toISOString()).toBe('2026-01-02T10:00:00.000Z');
  });

  it('counts a login that arrives before the registration, and never moves last_login back', async () => {
    const userId = newUserId();
    await users.infra.bus.publish(loggedInEvent(userId, new Date('2026-03-01T00:00:00Z')));
    await eventually(async () => (await statsOf(userId))?.loginCount === 1, 'the early login');

    await users.infra.bus.publish(registeredEvent(userId, 'Early Bird'));
    await eventually(() => db().profile.findUnique({ where: { userId } }), 'the profile');
    expect(await statsOf(userId)).toMatchObject({ loginCount: 1 });

    await users.infra.bus.publish(loggedInEvent(userId, new Date('2026-02-01T00:00:00Z')));
    await eventually(async () => (await statsOf(userId))?.loginCount === 2, 'the late login');
    expect((await statsOf(userId))?.lastLogin?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });
});
