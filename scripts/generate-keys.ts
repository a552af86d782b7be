// Prints a fresh set of the platform's keys as env lines: `npm run keys > .env.keys`, then
// `docker compose --env-file .env.keys up`. IDENTITY_PRIVATE_KEY goes to the router alone,
// NOTIFICATIONS_PRIVATE_KEY to the notifications service alone (it opens what others seal for it).
import { randomBytes } from 'node:crypto';
import { generateKeys, generateSealingKeys, keyAsEnv, keysAsEnv } from '@builderai/kit';

const notifications = generateSealingKeys();
const lines = {
  ...keysAsEnv(generateKeys()),
  FILES_URL_SECRET: randomBytes(32).toString('hex'),
  MCP_SECRETS_KEY: randomBytes(32).toString('hex'),
  NOTIFICATIONS_PUBLIC_KEY: keyAsEnv(notifications.publicKey),
  NOTIFICATIONS_PRIVATE_KEY: keyAsEnv(notifications.privateKey),
};
for (const [name, value] of Object.entries(lines)) console.log(`${name}=${value}`);
