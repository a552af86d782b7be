import { DateTime } from './DateTime.js';
import { Query } from './Query.js';
import { Mutation } from './Mutation.js';
import { User } from './User.js';
import { Session } from './Session.js';

export const resolvers = { DateTime, Query, Mutation, User, Session };
