import { DateTimeScalar, JSONScalar } from '@builderai/kit';
import type { Resolvers } from '../generated/graphql.js';
import { McpServer } from './McpServer.js';
import { McpServerStatusEvent } from './McpServerStatusEvent.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';
import { Subscription } from './Subscription.js';
import { User } from './User.js';

export const resolvers: Resolvers = { DateTime: DateTimeScalar, JSON: JSONScalar, Query, Mutation, Subscription, McpServer, McpServerStatusEvent, User };
