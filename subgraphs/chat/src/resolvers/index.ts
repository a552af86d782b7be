import { DateTimeScalar, JSONScalar } from '@builderai/kit';
import type { Resolvers } from '../generated/graphql.js';
import { Conversation } from './Conversation.js';
import { Message } from './Message.js';
import { Mutation } from './Mutation.js';
import { Project } from './Project.js';
import { Query } from './Query.js';
import { Subscription } from './Subscription.js';
import { MessageStreamEvent } from './MessageStreamEvent.js';

export const resolvers: Resolvers = { DateTime: DateTimeScalar, JSON: JSONScalar, Query, Mutation, Subscription, Conversation, Message, MessageStreamEvent, Project };
