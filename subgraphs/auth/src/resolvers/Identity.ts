import type { IdentityResolvers } from '../generated/graphql.js';

export const Identity: IdentityResolvers = {
  // A provider no longer configured still shows under its id.
  providerName: ({ provider }, _args, context) => context.signIn.providers().find((entry) => entry.id === provider)?.name ?? provider,
};
