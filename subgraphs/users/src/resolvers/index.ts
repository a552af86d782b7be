import { DateTimeScalar, JSONScalar } from '@builderai/kit';
import type { Resolvers } from '../generated/graphql.js';
import { Query } from './Query.js';
import { Mutation } from './Mutation.js';
import { User } from './User.js';
import { Profile } from './Profile.js';
import { UserStats } from './UserStats.js';

export const resolvers: Resolvers = { DateTime: DateTimeScalar, JSON: JSONScalar, Query, Mutation, User, Profile, UserStats };
