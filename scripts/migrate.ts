// `npm run migrate`: brings every service's database on DATABASE_URL's server up to date
// (`prisma migrate deploy`), creating missing databases. <SERVICE>_DATABASE_URL moves one
// service elsewhere; DATABASE_PREFIX (default builderai_) names the databases.
import { migrateAll, redact } from '../packages/kit/src/migrate.js';
import { REPO_ROOT } from '../packages/kit/src/services.js';

const DEFAULT_SERVER = 'postgresql://postgres@127.0.0.1:5432';

if (!process.env.DATABASE_URL) {
  console.log(`DATABASE_URL is not set: using ${DEFAULT_SERVER}`);
  process.env.DATABASE_URL = DEFAULT_SERVER;
}
console.log(`Migrating the service databases on ${redact(process.env.DATABASE_URL)}`);

const started = Date.now();
try {
  const results = await migrateAll({ root: REPO_ROOT, log: (line) => console.log(line) });
  const applied = results.reduce((sum, result) => sum + result.applied.length, 0);
  console.log(`${results.length} databases up to date (${applied} migrations applied) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
