// Revoked sessions are flagged in the shared store by auth and checked by the router,
// so a revocation takes effect at once rather than when the access token expires.
export const revokedSessionKey = (sessionId: string) => `session:revoked:${sessionId}`;
