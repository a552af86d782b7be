// The subscription held open at the owning subgraph: graphql-ws, with the identity the router
// signs for that subgraph (and a request id) in connectionParams, as the subgraph requires.
// A subgraph that stops answering pings is taken as gone.
import { randomUUID, type KeyObject } from 'node:crypto';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import type { GraphQLFormattedError } from 'graphql';
import type { UpstreamEvent } from './event-results.js';
import { IDENTITY_HEADER, REQUEST_ID_HEADER, signIdentity, type Identity } from '@builderai/kit';

export interface UpstreamRequest {
  subgraph: string;
  /** The subgraph's GraphQL URL (http); the WebSocket is on the same path. */
  url: string;
  identity: Identity;
  identityPrivateKey: KeyObject;
  query: string;
  operationName?: string;
  variables: Record<string, unknown>;
}

export interface UpstreamHandlers {
  next(event: UpstreamEvent): void;
  /** The subgraph refused or ended the subscription with GraphQL errors. */
  refused(errors: readonly GraphQLFormattedError[]): void;
  /** The connection broke (a subgraph restart, a network failure). */
  interrupted(reason: string): void;
  complete(): void;
}

const PING_INTERVAL_MS = 10_000;
const PONG_TIMEOUT_MS = 5_000;

const isFormattedErrors = (value: unknown): value is GraphQLFormattedError[] =>
  Array.isArray(value) && value.length > 0 && value.every((error) => typeof error === 'object' && error !== null && 'message' in error);

/** Opens the subscription; the returned function closes it. */
export function subscribeUpstream(request: UpstreamRequest, handlers: UpstreamHandlers): () => void {
  const requestId = randomUUID();
  let pongTimer: NodeJS.Timeout | undefined;
  let socket: WebSocket | undefined;
  const client = createClient({
    url: request.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    keepAlive: PING_INTERVAL_MS,
    connectionParams: {
      [IDENTITY_HEADER]: signIdentity(request.identity, request.identityPrivateKey, { subgraph: request.subgraph, requestId }),
      [REQUEST_ID_HEADER]: requestId,
    },
    on: {
      connected: (connected) => (socket = connected as WebSocket),
      ping: (received) => {
        if (received) return;
        pongTimer = setTimeout(() => socket?.close(4408, 'Pong timeout'), PONG_TIMEOUT_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
      closed: () => clearTimeout(pongTimer),
    },
  });
  let done = false;
  const finish = () => {
    done = true;
    clearTimeout(pongTimer);
    void client.dispose();
  };
  const unsubscribe = client.subscribe<Record<string, unknown>>(
    { query: request.query, operationName: request.operationName, variables: request.variables },
    {
      next: (event) => {
        if (!done) handlers.next(event);
      },
      error: (error) => {
        if (done) return;
        finish();
        if (isFormattedErrors(error)) handlers.refused(error);
        else handlers.interrupted(describe(error));
      },
      complete: () => {
        if (done) return;
        finish();
        handlers.complete();
      },
    },
  );
  return () => {
    if (done) return;
    done = true;
    unsubscribe();
    finish();
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  const close = error as { code?: number; reason?: string };
  return typeof close?.code === 'number' ? `closed with ${close.code}${close.reason ? ` (${close.reason})` : ''}` : String(error);
}
