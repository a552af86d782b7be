// Each service owns one database on the configured Postgres server.
// DATABASE_URL names the server; the database is <DATABASE_PREFIX><service>,
// unless <SERVICE>_DATABASE_URL gives a service its own full URL.
export type Env = Record<string, string | undefined>;

export const DEFAULT_DATABASE_PREFIX = 'builderai_';

export function databaseName(service: string, env: Env = process.env): string {
  return `${env.DATABASE_PREFIX ?? DEFAULT_DATABASE_PREFIX}${service}`;
}

export function databaseUrlFor(service: string, env: Env = process.env): string | undefined {
  const own = env[`${service.toUpperCase()}_DATABASE_URL`];
  if (own) return own;
  if (!env.DATABASE_URL) return undefined;
  const url = new URL(env.DATABASE_URL);
  url.pathname = `/${databaseName(service, env)}`;
  return url.toString();
}
