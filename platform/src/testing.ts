// The whole platform in-process on free ports, on the run's real Postgres, Redis and RabbitMQ.
import { REPO_ROOT } from '@builderai/kit/services';
import { FAKE_OPENAI_API_KEY, startFakeOpenAI, type FakeOpenAI } from '@builderai/testkit';
import { startPlatform, type PlatformOptions, type RunningPlatform } from './index.js';

export type { RunningPlatform };

// Every test signs up from 127.0.0.1: limits high enough not to get in the way unless a
// test sets its own.
const TEST_LIMITS = {
  RATE_LIMIT_CREDENTIALS: '100000',
  RATE_LIMIT_ANONYMOUS: '100000',
  RATE_LIMIT_AUTHENTICATED: '100000',
  RATE_LIMIT_PER_IP: '1000000',
  AUTH_LOGIN_FAILURE_DELAY_MS: '0',
};

export function startTestPlatform(env: Record<string, string | undefined> = {}, options: Pick<PlatformOptions, 'definitions'> = {}): Promise<RunningPlatform> {
  return startPlatform({ root: REPO_ROOT, env: { ...TEST_LIMITS, ...process.env, ...env }, ports: 'free', ...options });
}


export type PlatformWithModels = RunningPlatform & { openai: FakeOpenAI };

/** The platform with its OpenAI models answered by a local server speaking OpenAI's protocol. */
export async function startTestPlatformWithModels(env: Record<string, string | undefined> = {}, options: Pick<PlatformOptions, 'definitions'> = {}): Promise<PlatformWithModels> {
  const openai = await startFakeOpenAI();
  try {
    const platform = await startTestPlatform({ OPENAI_BASE_URL: openai.baseUrl, OPENAI_API_KEY: FAKE_OPENAI_API_KEY, ...env }, options);
    return {
      ...platform,
      openai,
      async close() {
        await platform.close();
        await openai.close();
      },
    };
  } catch (error) {
    await openai.close();
    throw error;
  }
}
