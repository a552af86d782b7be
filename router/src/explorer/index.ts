// GET /graphql from a browser shows Apollo's embedded Explorer (Sandbox) against this router,
// which needs introspection. The page loads its script from Apollo's CDN; API clients
// (Accept: application/json) are unaffected. Disabled with EXPLORER_ENABLED=false.
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';

export interface ExplorerFeature {
  /** The landing page, or none. */
  plugin: ApolloServerPlugin;
  /** Apollo Server's `introspection`. */
  introspection: boolean;
}

export function explorerFeature(enabled: boolean): ExplorerFeature {
  return { plugin: landingPagePlugin(enabled), introspection: enabled };
}

function landingPagePlugin(enabled: boolean): ApolloServerPlugin {
  if (!enabled) return ApolloServerPluginLandingPageDisabled();
  // Tokens go in the Authorization header, so the Explorer needs no cookies.
  return ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false, footer: false });
}
