// Every subgraph of the platform, with its default port (the routing_url in supergraph.yaml).
import type { CreateService } from '@builderai/kit';
import { createAuthSubgraph } from '@builderai/auth';
import { createUsersSubgraph } from '@builderai/users';
import { createProjectsSubgraph } from '@builderai/projects';
import { createFilesSubgraph } from '@builderai/files';

export interface SubgraphEntry {
  name: string;
  defaultPort: number;
  create: CreateService;
}

export const SUBGRAPHS: SubgraphEntry[] = [
  { name: 'auth', defaultPort: 4001, create: createAuthSubgraph },
  { name: 'users', defaultPort: 4002, create: createUsersSubgraph },
  { name: 'projects', defaultPort: 4003, create: createProjectsSubgraph },
  { name: 'files', defaultPort: 4004, create: createFilesSubgraph },
];
