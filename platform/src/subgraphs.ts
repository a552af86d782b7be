// The subgraph definitions of supergraph.yaml, found by convention: subgraph <name> is the
// workspace package @builderai/<name>, whose default export is its definition.
import { listSubgraphs, type AnySubgraphDefinition, type SubgraphEntry } from '@builderai/kit';

export interface PlatformSubgraph extends SubgraphEntry {
  definition: AnySubgraphDefinition;
}

export async function loadSubgraphs(root?: string): Promise<PlatformSubgraph[]> {
  return Promise.all(
    listSubgraphs(root).map(async (entry) => {
      const module = (await import(`@builderai/${entry.name}`)) as { default?: AnySubgraphDefinition };
      if (module.default?.name !== entry.name) throw new Error(`@builderai/${entry.name} must export its subgraph definition as default`);
      return { ...entry, definition: module.default };
    }),
  );
}
