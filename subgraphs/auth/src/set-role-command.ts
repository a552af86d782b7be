// `npm run user:role -- <email> <USER|ADMIN>`: sets an account's role in the auth database
// (DATABASE_URL / AUTH_DATABASE_URL). The way to make the first administrator. A demotion ends
// the user's sessions, announced to routers through REDIS_URL when it is set.
import { connectInfrastructure, createLogger, databaseUrlFor, infrastructureEnv, loadConfig, prismaAdapter, type Env } from '@builderai/kit';
import { PrismaClient, type Role } from './generated/prisma/client.ts';
import { loadAuthConfig } from './config.js';
import { ROLES, setRole } from './domain/roles.js';
import { flagRevokedSessions } from './domain/sessions.js';

export const SET_ROLE_USAGE = 'usage: npm run user:role -- <email> <USER|ADMIN>';

/** Returns the exit code; writes what happened to `out`. */
export async function runSetRole(args: string[], env: Env, out: (line: string) => void): Promise<number> {
  const [email, roleName] = args;
  const role = roleName?.toUpperCase() as Role | undefined;
  if (!email || !role || !ROLES.includes(role)) {
    out(SET_ROLE_USAGE);
    return 2;
  }
  const url = databaseUrlFor('auth', env);
  if (!url) {
    out('DATABASE_URL or AUTH_DATABASE_URL is not set');
    return 2;
  }
  const logger = createLogger('user-role', env.LOG_LEVEL ?? 'warn');
  const prisma = new PrismaClient({ adapter: prismaAdapter({ url, max: 1 }) });
  try {
    const change = await setRole(prisma, email, role);
    if (!change) {
      out(`no account with the email ${email}`);
      return 1;
    }
    if (change.revokedSessionIds.length > 0) {
      const infra = await connectInfrastructure(loadConfig(infrastructureEnv, env), logger);
      try {
        await flagRevokedSessions(infra, change.revokedSessionIds, loadAuthConfig(env).tokens.accessTtlSeconds, logger);
      } finally {
        await infra.close();
      }
    }
    out(
      change.changed
        ? `${change.user.email} is now ${role}${change.revokedSessionIds.length > 0 ? `; ${change.revokedSessionIds.length} session(s) ended` : ''}`
        : `${change.user.email} is already ${role}`,
    );
    return 0;
  } finally {
    await prisma.$disconnect();
  }
}
