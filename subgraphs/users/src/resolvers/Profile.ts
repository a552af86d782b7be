import type { ProfileResolvers } from '../generated/graphql.js';

export const Profile: ProfileResolvers = {
  avatarUrl: (profile) => profile.avatar,
};
