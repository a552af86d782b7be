// With RabbitMQ down when the platform starts, it serves anyway: the router answers, a
// registration commits with its event in the outbox, readiness names the missing broker, and
// once the broker comes the consumers attach and the event is delivered, once.
import pg from 'pg';
import { databaseUrlFor } from '@builderai/kit';
import { eventually, graphql, startTcpProxy, uniqueEmail } from '@builderai/testkit';
import { startTestPlatform, type RunningPlatform } from '@builderai/platform/testing';

const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { accessToken user { id } } }`;

let platform: RunningPlatform | undefined;
let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
const users = new pg.Pool({ connectionString: databaseUrlFor('users', process.env), max: 2 });

beforeAll(async () => {
  const broker = new URL(process.env.AMQP_URL!);
  proxy = await startTcpProxy(broker.hostname, Number(broker.port || 5672));
  await proxy.cut();
  broker.hostname = '127.0.0.1';
  broker.port = String(proxy.port);
  // Its own queues: the run's queues are bound and consumed by other suites' services.
  const isolation = `down-at-start-${process.pid}`;
  platform = await startTestPlatform({
    AMQP_URL: broker.toString(),
    EVENTS_EXCHANGE: `${process.env.EVENTS_EXCHANGE}.${isolation}`,
    EVENTS_QUEUE_PREFIX: `${process.env.EVENTS_QUEUE_PREFIX}${isolation}.`,
  });
}, 60_000);
afterAll(async () => {
  await platform?.close();
  await proxy?.close();
  await users.end();
});

test('serves while the broker is down, then delivers what was written meanwhile', async () => {
  const email = uniqueEmail('down-at-start');
  const registered = await graphql(platform!.graphqlUrl, REGISTER, { input: { email, password: 'correct horse 42', name: 'Patient Pat' } });
  expect(registered.errors).toBeUndefined();
  const userId = registered.data.register.user.id;

  const ready = await fetch(`${platform!.subgraphs.users!.url}/health/ready`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toMatchObject({ checks: { rabbitmq: { status: 'down' }, consumers: { status: 'down' } } });

  proxy.restore();
  await eventually(async () => {
    const { rows } = await users.query('SELECT name FROM profiles WHERE user_id = $1', [userId]);
    return rows.length === 1 && rows[0].name === 'Patient Pat';
  }, 'the profile once the broker is back', 45_000);
  await eventually(async () => (await fetch(`${platform!.subgraphs.users!.url}/health/ready`)).status === 200, 'users to be ready', 30_000);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect((await users.query('SELECT count(*)::int AS n FROM profiles WHERE user_id = $1', [userId])).rows[0].n).toBe(1);
}, 90_000);
