// The router's Node options in production, read from docker-compose.yml so the benchmark runs
// the router as it is deployed.
import { readFileSync } from 'node:fs';

const compose = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');
const routerService = compose.slice(compose.indexOf('\n  router:'));

export const ROUTER_NODE_OPTIONS = /NODE_OPTIONS: "?([^"\n]+)"?/.exec(routerService)?.[1] ?? '';
