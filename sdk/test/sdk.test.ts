// The SDK against the running platform: typed functions, typed results, coded errors.
import { BuilderAIError, createClient } from '@builderai/sdk';
import { eventually, uniqueEmail } from '@builderai/testkit';
import { startTestPlatformWithModels, type PlatformWithModels } from '@builderai/platform/testing';

let platform: PlatformWithModels;
beforeAll(async () => {
  platform = await startTestPlatformWithModels();
});
afterAll(async () => {
  await platform?.close();
});

test('registers and reads me with typed results', async () => {
  let accessToken: string | undefined;
  const client = createClient({ url: platform.graphqlUrl, accessToken: () => accessToken });
  const email = uniqueEmail('sdk');

  const { register } = await client.register({ input: { email, password: 'correct horse 42', name: 'Grace Hopper' } });
  accessToken = register.accessToken;
  const userId: string = register.user.id;

  const me = await eventually(async () => {
    const { me } = await client.me();
    return me?.profile ? me : undefined;
  });
  expect(me.id).toBe(userId);
  expect(me.email).toBe(email);
  expect(me.status).toBe('ACTIVE');
  const name: string | null = me.profile!.name;
  expect(name).toBe('Grace Hopper');

  const { updateProfile } = await client.updateProfile({ input: { username: `grace_${Date.now().toString(36)}` } });
  expect(updateProfile.profile?.username).toMatch(/^grace_/);
});

test('errors carry their GraphQL code', async () => {
  const client = createClient({ url: platform.graphqlUrl });
  const failure = await client.login({ input: { email: uniqueEmail('nobody'), password: 'wrong password 1' } }).catch((error) => error);
  expect(failure).toBeInstanceOf(BuilderAIError);
  expect(failure.code).toBe('UNAUTHENTICATED');
});

test('chat operations: a conversation about a project, its messages and branches, typed', async () => {
  const client = createClient({ url: platform.graphqlUrl, session: {} });
  await client.register({ input: { email: uniqueEmail('sdk-chat'), password: 'correct horse 42', name: 'Chatty' } });
  const { createProject } = await client.createProject({ input: { name: 'Chat app' } });
  const { createConversation } = await client.createConversation({ input: { projectId: createProject.id, title: 'Plans' } });
  const { sendMessage } = await client.sendMessage({ input: { conversationId: createConversation.id, content: 'Hello' } });
  const { editMessage } = await client.editMessage({ id: sendMessage.id, content: 'Hello again' });
  expect(editMessage.siblings).toEqual([{ id: sendMessage.id }]);

  const { conversation } = await client.conversation({ id: createConversation.id });
  const contents: string[] = conversation!.messages.edges.filter((edge) => edge.node.sender === 'USER').map((edge) => edge.node.content);
  expect(contents).toEqual(['Hello again']);
  expect(conversation!.project.name).toBe('Chat app');
  const { project } = await client.projectConversations({ projectId: createProject.id });
  expect(project!.conversations.edges.map((edge) => edge.node.title)).toEqual(['Plans']);
});
