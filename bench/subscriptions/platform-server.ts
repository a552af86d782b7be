// The platform for the chat and router targets, in a process of its own so that its resident
// memory is its own: the router and every subgraph in one process on free ports, as
// `npm start` runs them, with an OpenAI-protocol stand-in (platform/src/testing.ts) so that
// sendMessage gets an answer. Configuration comes from the environment the benchmark sets.
// Prints {"ready":true,"graphqlUrl":...,"chatUrl":...}.
import { startTestPlatformWithModels } from '@builderai/platform/testing';

const platform = await startTestPlatformWithModels();
console.log(JSON.stringify({ ready: true, graphqlUrl: platform.graphqlUrl, chatUrl: platform.subgraphs.chat!.graphqlUrl }));
process.once('SIGTERM', () => void platform.close().finally(() => process.exit(0)));
// A full collection before the benchmark reads the resident memory (started with --expose-gc).
process.on('SIGUSR2', () => globalThis.gc?.());
