import type { Session as SessionRow } from '../generated/prisma/client.ts';
import type { AuthContext } from '../context.js';

export const Session = {
  current: (session: SessionRow, _args: unknown, context: AuthContext) => session.id === context.identity.sessionId,
};
