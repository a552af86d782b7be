import { ByteCountScalar, DateTimeScalar } from '@builderai/kit';
import type { Resolvers } from '../generated/graphql.js';
import { Query } from './Query.js';
import { Mutation } from './Mutation.js';
import { File } from './File.js';
import { Project } from './Project.js';
import { User } from './User.js';
import { Checkpoint } from './Checkpoint.js';
import { FileChange } from './FileChange.js';

export const resolvers: Resolvers = { ByteCount: ByteCountScalar, DateTime: DateTimeScalar, Query, Mutation, File, Project, User, Checkpoint, FileChange };
