// The baseline: plain @apollo/gateway inside @apollo/server 5's standalone server, all defaults.
// Started by scripts/bench-router.ts with BENCH_PORT and BENCH_SUPERGRAPH.
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const gateway = new ApolloGateway({ supergraphSdl: readFileSync(process.env.BENCH_SUPERGRAPH!, 'utf8') });
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: Number(process.env.BENCH_PORT) } });
console.log(`apollo-gateway ready at ${url}`);

// A normal exit, so --cpu-prof (when asked for) gets written.
const stop = () => void server.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
