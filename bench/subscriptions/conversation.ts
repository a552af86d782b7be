// A conversation to stream into, made through the router as a user would: register, create a
// project and a conversation, send a message and wait for the AI's answer to be COMPLETE. The
// answer's id is what the benchmark's chunks belong to (as generation.ts writes them).
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { Identity } from '@builderai/kit';

export interface BenchConversation {
  accessToken: string;
  identity: Identity;
  conversationId: string;
  answerId: string;
}

async function ask<T = any>(graphqlUrl: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (!body.data || body.errors?.length) throw new Error(`${query.split('(')[0]}: HTTP ${response.status} ${body.errors?.map((error) => error.message).join('; ')}`);
  return body.data;
}

export async function createBenchConversation(graphqlUrl: string): Promise<BenchConversation> {
  const registered = await ask(graphqlUrl, 'mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }', {
    input: { email: `bench-${randomUUID()}@example.com`, password: 'correct horse battery 42', name: 'Bench' },
  });
  const token = registered.register.accessToken as string;
  const claims = decodeJwt(token);
  const identity: Identity = { userId: claims.sub, sessionId: claims.sid as string, roles: claims.roles as string[] };
  const user = <T = any>(query: string, variables: Record<string, unknown> = {}) => ask<T>(graphqlUrl, query, variables, token);

  const projectId = (await user('mutation { createProject(input: { name: "Subscriptions bench" }) { id } }')).createProject.id;
  const conversationId = (await user('mutation ($p: ID!) { createConversation(input: { projectId: $p }) { id } }', { p: projectId })).createConversation.id;
  await user('mutation ($c: ID!) { sendMessage(input: { conversationId: $c, content: "echo ready" }) { id } }', { c: conversationId });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { conversation } = await user('query ($c: ID!) { conversation(id: $c) { messages { edges { node { id sender status } } } } }', { c: conversationId });
    const answer = conversation.messages.edges.map((edge: any) => edge.node).find((node: any) => node.sender === 'ASSISTANT');
    if (answer?.status === 'COMPLETE') return { accessToken: token, identity, conversationId, answerId: answer.id };
    if (answer && answer.status !== 'PENDING' && answer.status !== 'STREAMING') throw new Error(`the answer ended ${answer.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the answer was not COMPLETE within 30 s');
}
