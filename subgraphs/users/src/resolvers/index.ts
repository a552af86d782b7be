import { DateTimeScalar, JSONScalar } from './scalars.js';
import { Query } from './Query.js';
import { Mutation } from './Mutation.js';
import { User } from './User.js';
import { Profile } from './Profile.js';
import { UserStats } from './UserStats.js';

export const resolvers = { DateTime: DateTimeScalar, JSON: JSONScalar, Query, Mutation, User, Profile, UserStats };
