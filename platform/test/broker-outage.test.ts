// The event path survives a broker outage: with RabbitMQ unreachable during `register`, the
// registration commits with its event in the outbox, and once the broker is back the
// profile is created exactly once.
import pg from 'pg';
import { databaseUrlFor } from '@builderai/kit';
import { eventually, graphql, startTcpProxy, uniqueEmail } from '@builderai/testkit';
import { startTestPlatform, type RunningPlatform } from '@builderai/platform/testing';

const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { accessToken user { id } } }`;

let platform: RunningPlatform;
let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
const auth = new pg.Pool({ connectionString: databaseUrlFor('auth', process.env), max: 2 });
const users = new pg.Pool({ connectionString: databaseUrlFor('users', process.env), max: 2 });

beforeAll(async () => {
  const broker = new URL(process.env.AMQP_URL!);
  proxy = await startTcpProxy(broker.hostname, Number(broker.port || 5672));
  broker.hostname = '127.0.0.1';
  broker.port = String(proxy.port);
  platform = await startTestPlatform({ AMQP_URL: broker.toString() });
});
afterAll(async () => {
  await platform?.close();
  await proxy?.close();
  await auth.end();
  await users.end();
});

test('a registration made while the broker is down creates its profile exactly once after it returns', async () => {
  await proxy.cut();
  const email = uniqueEmail('outage');
  const registered = await graphql(platform.graphqlUrl, REGISTER, { input: { email, password: 'correct horse 42', name: 'Outage Olga' } });
  expect(registered.errors).toBeUndefined();
  const userId = registered.data.register.user.id;

  // Committed with its event, which waits in the outbox while the relay cannot publish.
  const pending = await auth.query(
    `SELECT count(*)::int AS n FROM outbox_events WHERE type = 'auth.user.registered' AND payload->>'userId' = $1 AND published_at IS NULL`,
    [userId],
  );
  expect(pending.rows[0].n).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const stillMissing = await users.query('SELECT count(*)::int AS n FROM profiles WHERE user_id = $1', [userId]);
  expect(stillMissing.rows[0].n).toBe(0);

  proxy.restore();
  await eventually(async () => {
    const { rows } = await users.query('SELECT count(*)::int AS n FROM profiles WHERE user_id = $1', [userId]);
    return rows[0].n === 1;
  }, 'the profile', 30_000);
  await eventually(async () => {
    const { rows } = await auth.query(`SELECT count(*)::int AS n FROM outbox_events WHERE payload->>'userId' = $1 AND published_at IS NULL`, [userId]);
    return rows[0].n === 0;
  }, 'the outbox to drain', 30_000);

  // Give any duplicate delivery time to land, then check there is still exactly one.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const profiles = await users.query('SELECT name FROM profiles WHERE user_id = $1', [userId]);
  expect(profiles.rows).toEqual([{ name: 'Outage Olga' }]);
});
