// The platform's environment for a benchmark: a test run's (keys, secrets, local services) under
// bench-only names (databases bai_bench_<service>, their own Redis prefix and queues), so a
// benchmark never touches a test run's or a developer's data.
import { randomUUID } from 'node:crypto';
import { REPO_ROOT, listDatabaseServices } from '@builderai/kit/services';
import { testEnv } from '@builderai/testkit/test-env';

export function benchPlatformEnv(runId = randomUUID().slice(0, 8)): Record<string, string> {
  return {
    ...testEnv(runId),
    DATABASE_PREFIX: 'bai_bench_',
    REDIS_PREFIX: `bai_bench_${runId}:`,
    EVENTS_EXCHANGE: 'bai_bench.events',
    EVENTS_QUEUE_PREFIX: `bai_bench_${runId}.`,
    LOG_LEVEL: 'warn',
    // A service's own database URL would win over the bench databases.
    ...Object.fromEntries(listDatabaseServices(REPO_ROOT).map((service) => [`${service.toUpperCase()}_DATABASE_URL`, ''])),
  };
}
