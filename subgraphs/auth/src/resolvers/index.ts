import { DateTimeScalar } from '@builderai/kit';
import type { Resolvers } from '../generated/graphql.js';
import { Query } from './Query.js';
import { Mutation } from './Mutation.js';
import { User } from './User.js';
import { Session } from './Session.js';
import { Identity } from './Identity.js';

export const resolvers: Resolvers = { DateTime: DateTimeScalar, Query, Mutation, User, Session, Identity };
