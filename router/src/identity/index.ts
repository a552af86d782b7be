// Identity: who sent each request (authenticate.ts, from the client's address and Authorization
// header), and the refusal (HTTP 401) of a request whose session auth has revoked, checked on
// every request so revocation is immediate (mostly from memory, see revoked-sessions.ts).
import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { Identity, KeyValueStore, PubSub } from '@builderai/kit';
import type { RouterContext } from '../request-context.js';
import { authenticationUnavailable, createAuthenticator, unauthenticatedRequest, type AuthenticatorOptions } from './authenticate.js';
import { clientIpOf } from './client-ip.js';

export { clientIpOf };
import { RevokedSessions } from './revoked-sessions.js';

export interface IdentityOptions extends AuthenticatorOptions {
  store: KeyValueStore;
  pubsub: PubSub;
  /** TRUST_PROXY: how many proxies in front append to X-Forwarded-For. */
  trustedProxies: number;
}

export interface IdentityFeature {
  /**
   * The identity of a request; throws a 401 GraphQLError for credentials that are not valid.
   * Service tokens count only on the internal listener.
   */
  identify(req: IncomingMessage, listener: { acceptServiceTokens: boolean }): Promise<Identity>;
  /** Refuses requests whose session was revoked. */
  plugin: ApolloServerPlugin<RouterContext>;
  /** The identity behind an Authorization value sent some other way (a WebSocket's connectionParams). */
  authenticate(authorization: string | undefined, ip: string): Promise<Identity>;
  /** Throws UNAUTHENTICATED (401) for a revoked session, 503 when that cannot be known. */
  checkSession(identity: Identity): Promise<void>;
  /** Calls `listener` with the sessions of each revocation heard; returns the unsubscribe. */
  onSessionsRevoked(listener: (sessionIds: string[]) => void): () => void;
}

export function identityFeature(options: IdentityOptions): IdentityFeature {
  const { store, pubsub, logger, trustedProxies } = options;
  const revokedSessions = new RevokedSessions({ store, pubsub });
  const authenticate = createAuthenticator(options);

  async function checkSession({ sessionId }: Identity): Promise<void> {
    if (!sessionId) return;
    let revoked: boolean | undefined;
    try {
      revoked = await revokedSessions.isRevoked(sessionId);
    } catch (error) {
      logger.error({ err: error }, 'cannot check session revocation');
      throw authenticationUnavailable();
    }
    if (revoked) throw unauthenticatedRequest('Session has been revoked');
  }
  // The listener holds no per-request state, so one object serves every request.
  const listener: GraphQLRequestListener<RouterContext> = {
    didResolveOperation: ({ contextValue }) => checkSession(contextValue.identity),
  };

  return {
    identify: (req, listener) => authenticate(req.headers.authorization, clientIpOf(req, trustedProxies), listener),
    authenticate: (authorization, ip) => authenticate(authorization, ip, { acceptServiceTokens: false }),
    checkSession,
    onSessionsRevoked: (listener) => revokedSessions.onRevoked(listener),
    plugin: {
      requestDidStart: async () => listener,
      serverWillStart: async () => {
        await revokedSessions.start();
        return { serverWillStop: () => revokedSessions.close() };
      },
    },
  };
}
