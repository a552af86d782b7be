// The users subgraph through its live GraphQL endpoint, as the router calls it.
import { expectNoGraphQLErrors, useService } from '@builderai/testkit';
import usersSubgraph from '../src/index.js';
import { admin, as, eventually, newUserId, registerUser, uniqueUsername } from './helpers.js';
import { MeDocument, UpdateProfileDocument, UpdateSettingsDocument, UserByUsernameDocument, UserDocument } from './generated/operations.js';

describe('users subgraph', () => {
  const users = useService(usersSubgraph);
  const db = () => users.db;


  describe('reading', () => {
    it('answers me with the profile, settings and stats of the signed-in user', async () => {
      const userId = await registerUser(users, 'Katherine Johnson');
      const { me } = expectNoGraphQLErrors(await users.request(MeDocument, {}, as(userId)));
      expect(me).toMatchObject({
        id: userId,
        profile: { name: 'Katherine Johnson', username: null, avatarUrl: null, bio: null, createdAt: expect.any(String) },
        settings: { emailNotifications: true, pushNotifications: true, theme: 'SYSTEM', language: 'en', preferences: {} },
        stats: { loginCount: 0, lastLoginAt: null },
      });
    });

    it('answers me with null when anonymous', async () => {
      const { body } = await users.request(MeDocument);
      expect(body).toEqual({ data: { me: null } });
    });

    it("shows another user's profile but not their settings or stats", async () => {
      const owner = await registerUser(users, 'Owner');
      const { user } = expectNoGraphQLErrors(await users.request(UserDocument, { id: owner }, as(newUserId())));
      expect(user).toMatchObject({ id: owner, profile: { name: 'Owner' }, settings: null, stats: null });

      const anonymous = expectNoGraphQLErrors(await users.request(UserDocument, { id: owner }));
      expect(anonymous.user).toMatchObject({ profile: { name: 'Owner' }, settings: null, stats: null });
    });

    it('shows settings and stats to an admin', async () => {
      const owner = await registerUser(users);
      const { user } = expectNoGraphQLErrors(await users.request(UserDocument, { id: owner }, admin()));
      expect(user).toMatchObject({ settings: { theme: 'SYSTEM' }, stats: { loginCount: 0 } });
    });

    it('answers null for a user without a profile, or an id that is not one', async () => {
      for (const id of [newUserId(), 'not-a-uuid']) {
        const { body } = await users.request(UserDocument, { id }, admin());
        expect(body).toEqual({ data: { user: null } });
      }
    });

    it('finds a user by username, whatever its case', async () => {
      const userId = await registerUser(users);
      const username = uniqueUsername();
      await users.request(UpdateProfileDocument, { input: { username } }, as(userId));
      const { userByUsername } = expectNoGraphQLErrors(await users.request(UserByUsernameDocument, { username: username.toUpperCase() }));
      expect(userByUsername).toEqual({ id: userId, profile: { username } });
      expect(expectNoGraphQLErrors(await users.request(UserByUsernameDocument, { username: 'no such user!' })).userByUsername).toBeNull();
    });
  });

  describe('updateProfile', () => {
    it('changes only the given fields, stores the username lowercase and publishes users.profile.updated', async () => {
      const userId = await registerUser(users, 'Before');
      const username = uniqueUsername('Mixed');
      const { updateProfile } = expectNoGraphQLErrors(
        await users.request(UpdateProfileDocument, { input: { username, bio: 'Builds things', avatarUrl: 'https://cdn.example.com/me.png' } }, as(userId)),
      );
      expect(updateProfile).toEqual({
        id: userId,
        profile: { name: 'Before', username: username.toLowerCase(), bio: 'Builds things', avatarUrl: 'https://cdn.example.com/me.png' },
      });

      // Recorded in the outbox with the change, then published once the broker confirmed it.
      const published = await eventually(
        () => db().outboxEvent.findFirst({ where: { type: 'users.profile.updated', payload: { path: ['userId'], equals: userId }, publishedAt: { not: null } } }),
        'the published users.profile.updated event',
      );
      expect(published.payload).toMatchObject({ userId, username: username.toLowerCase(), bio: 'Builds things' });
    });

    it('creates the profile of a user whose registration has not arrived yet', async () => {
      const userId = newUserId();
      const { updateProfile } = expectNoGraphQLErrors(await users.request(UpdateProfileDocument, { input: { name: 'Eager' } }, as(userId)));
      expect(updateProfile.profile).toMatchObject({ name: 'Eager', username: null });
    });

    it('refuses a username taken in any case with CONFLICT on username, and changes nothing', async () => {
      const [first, second] = [await registerUser(users, 'First'), await registerUser(users, 'Second')];
      const username = uniqueUsername();
      await users.request(UpdateProfileDocument, { input: { username } }, as(first));
      const before = await db().profile.findUnique({ where: { userId: second } });
      const eventsBefore = await db().outboxEvent.count({ where: { payload: { path: ['userId'], equals: second } } });

      const { body } = await users.request(UpdateProfileDocument, { input: { name: 'Renamed', username: username.toUpperCase() } }, as(second));
      expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'CONFLICT', field: 'username' } })]);
      expect(await db().profile.findUnique({ where: { userId: second } })).toEqual(before);
      expect(await db().outboxEvent.count({ where: { payload: { path: ['userId'], equals: second } } })).toBe(eventsBefore);
    });

    it('refuses an invalid username with BAD_USER_INPUT on username, and changes nothing', async () => {
      const userId = await registerUser(users, 'Unchanged');
      const before = await db().profile.findUnique({ where: { userId } });
      for (const username of ['ab', 'has space', 'x'.repeat(31), 'émile']) {
        const { body } = await users.request(UpdateProfileDocument, { input: { name: 'Changed', username } }, as(userId));
        expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'username' } })]);
      }
      expect(await db().profile.findUnique({ where: { userId } })).toEqual(before);
    });

    it('requires a signed-in user', async () => {
      const { body } = await users.request(UpdateProfileDocument, { input: { name: 'Nobody' } });
      expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
    });
  });

  describe('updateSettings', () => {
    it('changes only the given settings and publishes users.settings.updated', async () => {
      const userId = await registerUser(users);
      const { updateSettings } = expectNoGraphQLErrors(
        await users.request(UpdateSettingsDocument, { input: { theme: 'DARK', language: 'pt-br', preferences: { editor: { fontSize: 14 } } } }, as(userId)),
      );
      expect(updateSettings.settings).toEqual({
        theme: 'DARK',
        language: 'pt-BR',
        emailNotifications: true,
        preferences: { editor: { fontSize: 14 } },
      });
      await eventually(
        () => db().outboxEvent.findFirst({ where: { type: 'users.settings.updated', payload: { path: ['userId'], equals: userId }, publishedAt: { not: null } } }),
        'the published users.settings.updated event',
      );
    });

    it('refuses a bad language or non-object preferences with BAD_USER_INPUT naming the field', async () => {
      const userId = await registerUser(users);
      const language = await users.request(UpdateSettingsDocument, { input: { language: 'not a language' } }, as(userId));
      expect(language.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'language' } })]);
      const preferences = await users.request(UpdateSettingsDocument, { input: { preferences: [1, 2] } }, as(userId));
      expect(preferences.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'preferences' } })]);
      expect(await db().accountSettings.findUnique({ where: { userId } })).toMatchObject({ language: 'en', preferences: {} });
    });
  });

  it('reports its database and the shared infrastructure as ready', async () => {
    const response = await fetch(`${users.service.url}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready', checks: { database: { status: 'up' } } });
  });
});
