// RATE_LIMITED carries retryAfter; a client asked to retry waits that long and tries again,
// and one not asked gets the error with its wait.
import { BuilderAIError, createClient } from '@builderai/sdk';
import { uniqueEmail } from '@builderai/testkit';
import { startTestPlatform, type RunningPlatform } from '@builderai/platform/testing';

let platform: RunningPlatform;
beforeAll(async () => {
  // Windows of its own: other suites of the run sign up from the same address.
  platform = await startTestPlatform({ RATE_LIMIT_CREDENTIALS: '2', RATE_LIMIT_WINDOW_SECONDS: '2', REDIS_PREFIX: `${process.env.REDIS_PREFIX}sdk-retry:` });
});
afterAll(() => platform?.close());

test('without retries the caller gets RATE_LIMITED and how long to wait', async () => {
  const client = createClient({ url: platform.graphqlUrl });
  const ask = () => client.requestPasswordReset({ email: uniqueEmail('limited') });
  const failure = await Promise.all([ask(), ask(), ask()]).catch((error) => error);
  expect(failure).toBeInstanceOf(BuilderAIError);
  expect(failure.code).toBe('RATE_LIMITED');
  expect(failure.retryAfter).toBeGreaterThanOrEqual(1);
  expect(failure.retryAfter).toBeLessThanOrEqual(2);
});

test('with retries the calls wait out the window and all succeed', async () => {
  await new Promise((resolve) => setTimeout(resolve, 2100));
  let sent = 0;
  const client = createClient({
    url: platform.graphqlUrl,
    retryRateLimited: { maxRetries: 3, maxWaitSeconds: 5 },
    fetch: (input, init) => {
      sent += 1;
      return fetch(input, init);
    },
  });
  const answers = await Promise.all(Array.from({ length: 4 }, () => client.requestPasswordReset({ email: uniqueEmail('patient') })));
  expect(answers).toEqual(Array(4).fill({ requestPasswordReset: true }));
  expect(sent).toBeGreaterThan(4);
});
