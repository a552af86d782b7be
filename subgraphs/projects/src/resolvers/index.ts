import { DateTimeScalar, JSONScalar } from '@builderai/kit';
import type { Resolvers } from '../generated/graphql.js';
import { Query } from './Query.js';
import { Mutation } from './Mutation.js';
import { Project } from './Project.js';
import { ProjectConnection } from './ProjectConnection.js';
import { User } from './User.js';

export const resolvers: Resolvers = { DateTime: DateTimeScalar, JSON: JSONScalar, Query, Mutation, Project, ProjectConnection, User };
