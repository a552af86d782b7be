// Where each subgraph of the supergraph is: its routing_url, unless <NAME>_URL (e.g. AUTH_URL)
// or an explicit override (tests, `npm start` on free ports) says otherwise.
import { Kind, parse, type EnumValueDefinitionNode, type StringValueNode } from 'graphql';
import type { Env } from '@builderai/kit';

export type SubgraphUrls = Record<string, string>;

function stringArgument(node: EnumValueDefinitionNode, directive: string, argument: string): string | undefined {
  const found = node.directives?.find((d) => d.name.value === directive)?.arguments?.find((a) => a.name.value === argument);
  return found?.value.kind === Kind.STRING ? (found.value as StringValueNode).value : undefined;
}

/** The subgraphs named in the supergraph's join__Graph enum, with their routing URLs. */
export function routingUrlsOf(supergraphSdl: string): SubgraphUrls {
  const urls: SubgraphUrls = {};
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const name = stringArgument(value, 'join__graph', 'name');
      const url = stringArgument(value, 'join__graph', 'url');
      if (name && url) urls[name] = url;
    }
  }
  return urls;
}

export const subgraphUrlVariable = (name: string) => `${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`;

export function resolveSubgraphUrls(supergraphSdl: string, env: Env, overrides: SubgraphUrls = {}): SubgraphUrls {
  const urls = routingUrlsOf(supergraphSdl);
  for (const name of Object.keys(urls)) {
    const url = overrides[name] ?? env[subgraphUrlVariable(name)];
    if (url) urls[name] = url;
  }
  return urls;
}
