import type { SessionResolvers } from '../generated/graphql.js';

export const Session: SessionResolvers = {
  current: (session, _args, context) => session.id === context.identity.sessionId,
};
