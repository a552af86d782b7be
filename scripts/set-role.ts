// `npm run user:role -- <email> <USER|ADMIN>`: see subgraphs/auth/src/set-role-command.ts.
import { runSetRole } from '../subgraphs/auth/src/set-role-command.js';

process.exitCode = await runSetRole(process.argv.slice(2), process.env, (line) => console.log(line));
