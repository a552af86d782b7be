// Prints a fresh set of the platform's keys as env lines: `npm run keys > .env.keys`, then
// `docker compose --env-file .env.keys up`. IDENTITY_PRIVATE_KEY goes to the router alone.
import { randomBytes } from 'node:crypto';
import { generateKeys, keysAsEnv } from '@builderai/kit';

const lines = {
  ...keysAsEnv(generateKeys()),
  FILES_URL_SECRET: randomBytes(32).toString('hex'),
};
for (const [name, value] of Object.entries(lines)) console.log(`${name}=${value}`);
