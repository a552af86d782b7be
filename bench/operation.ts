// The request body every gateway receives: bench/operation.graphql as a GraphQL-over-HTTP POST.
import { readFileSync } from 'node:fs';

export const OPERATION = readFileSync(new URL('./operation.graphql', import.meta.url), 'utf8');
export const REQUEST_BODY = JSON.stringify({ query: OPERATION });
