import type { Profile as ProfileRow } from '../generated/prisma/client.ts';

export const Profile = {
  avatarUrl: (profile: ProfileRow) => profile.avatar,
};
