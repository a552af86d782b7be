// The whole platform in-process on free ports, on the run's real Postgres, Redis and RabbitMQ.
import { REPO_ROOT } from '@builderai/kit/services';
import { FAKE_OPENAI_API_KEY, graphql, startFakeOpenAI, uniqueEmail, type FakeOpenAI } from '@builderai/testkit';
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

const SIGN_UP = 'mutation ($input: RegisterInput!) { register(input: $input) { accessToken user { id } } }';

/**
 * A new user of the platform and how to ask as them: `ask` answers as the router did (errors
 * included), `data` gives the data and throws on errors.
 */
export async function signUp(platform: Pick<RunningPlatform, 'graphqlUrl'>, name = 'Tester') {
  const signedUp = await graphql(platform.graphqlUrl, SIGN_UP, { input: { email: uniqueEmail('user'), password: 'correct horse 42', name } });
  if (signedUp.errors) throw new Error(`register failed: ${JSON.stringify(signedUp.errors)}`);
  const token = signedUp.data.register.accessToken as string;
  const ask = (query: string, variables: Record<string, unknown> = {}) => graphql(platform.graphqlUrl, query, variables, { token });
  const data = async (query: string, variables: Record<string, unknown> = {}) => {
    const answer = await ask(query, variables);
    if (answer.errors) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(answer.errors)}`);
    return answer.data;
  };
  return { token, userId: signedUp.data.register.user.id as string, ask, data };
}
export type SignedUpUser = Awaited<ReturnType<typeof signUp>>;
