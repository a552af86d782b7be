// Shared by the files integration tests: a live files subgraph on the run's real Postgres and
// RabbitMQ, storing on local disk or in a real S3-protocol server, with a stand-in router that
// answers who owns which project; plus uploads as a client makes them.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { createEnvelope, generateKeys, keysAsEnv, type EventEnvelope } from '@builderai/kit';
import { asUser as as, expectNoGraphQLErrors, startTestService, type TestService } from '@builderai/testkit';
import type { Identity } from '@builderai/kit';
import filesSubgraph from '../src/index.js';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import {
  ChatProjectFileDocument,
  ChatProjectFilesDocument,
  CommitTurnDocument,
  CompleteUploadDocument,
  CreateUploadDocument,
  ProjectCheckpointsDocument,
  RestoreCheckpointDocument,
  UserStorageDocument,
  WriteFileDocument,
  type CommitTurnInput,
  type CreateUploadMutation,
  type WriteFileInput,
} from './generated/operations.js';
import { startFakeRouter, type FakeRouter } from './fake-router.js';
import { startS3Server } from './s3-server.js';

export type StorageMode = 'local-disk' | 's3';
export const STORAGE_MODES: StorageMode[] = ['local-disk', 's3'];

export interface FilesHarness {
  mode: StorageMode;
  files: TestService<PrismaClient>;
  router: FakeRouter;
  /** A direct connection to the files database, for assertions on what was stored. */
  db: PrismaClient;
  /** Every object stored for the user, wherever the mode keeps them. */
  objectKeys(userId: string): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Starts the files subgraph in the given storage mode, on the in-process bus unless `broker` is
 * set. With the broker, each harness has its own event exchange and queues, so events
 * published by one test file never reach the service (and storage) of another beside it.
 */
export async function startFiles(mode: StorageMode, env: Record<string, string> = {}, { broker = false } = {}): Promise<FilesHarness> {
  const keys = generateKeys();
  const isolation = `files-${randomBytes(4).toString('hex')}`;
  const exchange = `${process.env.EVENTS_EXCHANGE}.${isolation}`;
  const router = await startFakeRouter(keys);
  const s3 = mode === 's3' ? await startS3Server() : undefined;
  const dir = mode === 'local-disk' ? await mkdtemp(path.join(os.tmpdir(), 'builderai-files-')) : undefined;

  const files = await startTestService(filesSubgraph, {
    infrastructure: broker ? 'real' : 'memory',
    env: {
      ...keysAsEnv(keys),
      ROUTER_URL: router.graphqlUrl,
      EVENTS_EXCHANGE: exchange,
      EVENTS_QUEUE_PREFIX: `${process.env.EVENTS_QUEUE_PREFIX}${isolation}.`,
      ...(s3 ? s3.env : { FILES_STORAGE_DIR: dir! }),
      ...env,
    },
  });
  const { db } = files;

  return {
    mode,
    files,
    router,
    db,
    objectKeys: (userId) => (s3 ? s3.listKeys(`users/${userId}/`) : listLocalKeys(dir!, userId)),
    async close() {
      await files.close();
      await router.close();
      await s3?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
      if (broker) await deleteExchange(exchange);
    },
  };
}

async function listLocalKeys(dir: string, userId: string): Promise<string[]> {
  const root = path.join(dir, 'users', userId);
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

// The run's exchange is deleted by the global teardown; this harness's own one, here.
async function deleteExchange(exchange: string): Promise<void> {
  if (!process.env.AMQP_URL) return;
  const connection = await amqp.connect(process.env.AMQP_URL);
  try {
    const channel = await connection.createChannel();
    await channel.deleteExchange(exchange);
  } finally {
    await connection.close();
  }
}

export const newUserId = () => randomUUID();

/** A project the user owns, as the stand-in router will tell. */
export function newProject(harness: FilesHarness, userId: string): string {
  const projectId = randomUUID();
  harness.router.own(projectId, userId);
  return projectId;
}

/** What createUpload answers: the PENDING file and where to send its bytes. */
export type UploadAnswer = CreateUploadMutation['createUpload'];

export interface UploadRequest {
  name: string;
  contentType: string;
  projectId: string;
  /** Defaults to the length of the bytes sent. */
  size?: number;
}

/** createUpload; fails the test on any error. */
export async function createUpload(harness: FilesHarness, userId: string, request: UploadRequest & { size: number }): Promise<UploadAnswer> {
  return expectNoGraphQLErrors(await harness.files.request(CreateUploadDocument, { input: request }, as(userId))).createUpload;
}

/** Sends the bytes to an upload URL the way a client does: its method and headers. */
export function putBytes(upload: UploadAnswer, bytes: Uint8Array): Promise<Response> {
  const headers = Object.fromEntries(upload.headers.map(({ name, value }) => [name, value]));
  return fetch(upload.uploadUrl, { method: upload.method, headers, body: new Uint8Array(bytes) });
}

/** completeUpload as the user; the answer as it is, errors included. */
export function completeUpload(harness: FilesHarness, userId: string, fileId: string) {
  return harness.files.request(CompleteUploadDocument, { id: fileId }, as(userId));
}

/** The whole flow: announce, send, complete. Returns the READY file. */
export async function uploadFile(harness: FilesHarness, userId: string, request: UploadRequest, bytes: Uint8Array) {
  const upload = await createUpload(harness, userId, { ...request, size: request.size ?? bytes.length });
  const sent = await putBytes(upload, bytes);
  if (!sent.ok) throw new Error(`PUT ${upload.uploadUrl} answered ${sent.status}: ${await sent.text()}`);
  return expectNoGraphQLErrors(await completeUpload(harness, userId, upload.file.id)).completeUpload;
}

export async function storageOf(harness: FilesHarness, userId: string): Promise<{ used: number; total: number; remaining: number }> {
  const [user] = expectNoGraphQLErrors(await harness.files.request(UserStorageDocument, { representations: [{ __typename: 'User', id: userId }] }, as(userId)))._entities;
  if (!user?.storage) throw new Error(`no storage for ${userId}: ${JSON.stringify(user)}`);
  return user.storage;
}

/** The identity the router sends when the chat service acts for the user (an AI answer at work). */
export const asChat = (userId: string, roles: string[] = []): Identity => ({ userId, roles, actingService: 'chat' });

/** commitTurn as the chat service acting for the user (or as `identity`); the answer as it is. */
export function commitTurn(harness: FilesHarness, userId: string, input: CommitTurnInput, identity: Identity = asChat(userId)) {
  return harness.files.request(CommitTurnDocument, { input }, identity);
}

/** A turn that must commit: its checkpoint (null when it changed nothing). */
export async function committedTurn(harness: FilesHarness, userId: string, projectId: string, changes: CommitTurnInput['changes'], messageId = randomUUID()) {
  return expectNoGraphQLErrors(await commitTurn(harness, userId, { projectId, messageId, changes })).commitTurn;
}

/** writeFile as the user; the answer as it is. */
export function writeFile(harness: FilesHarness, userId: string, input: WriteFileInput) {
  return harness.files.request(WriteFileDocument, { input }, as(userId));
}

/** restoreCheckpoint as the user; the answer as it is. */
export function restoreCheckpoint(harness: FilesHarness, userId: string, projectId: string, checkpointId: string, force = false) {
  return harness.files.request(RestoreCheckpointDocument, { projectId, checkpointId, force }, as(userId));
}

/** Project.file(path) as the chat service reads it (for `identity`, the user by default). */
export async function fileAt(harness: FilesHarness, identity: Identity, projectId: string, path: string) {
  const [project] = expectNoGraphQLErrors(await harness.files.request(ChatProjectFileDocument, { representations: [{ __typename: 'Project', id: projectId }], path }, identity))._entities;
  if (!project || !('file' in project)) throw new Error(`no Project entity for ${projectId}`);
  return project.file;
}

/** A page of Project.checkpoints as `identity` sees it. */
export async function checkpointsOf(harness: FilesHarness, identity: Identity, projectId: string, page: { first?: number; after?: string } = {}) {
  const [project] = expectNoGraphQLErrors(await harness.files.request(ProjectCheckpointsDocument, { representations: [{ __typename: 'Project', id: projectId }], ...page }, identity))._entities;
  if (!project || !('checkpoints' in project)) throw new Error(`no Project entity for ${projectId}`);
  return project.checkpoints;
}

/** The READY files of a project as the chat service lists them: path → checksum. */
export async function checksumsOf(harness: FilesHarness, userId: string, projectId: string): Promise<Record<string, string | null>> {
  const [project] = expectNoGraphQLErrors(await harness.files.request(ChatProjectFilesDocument, { representations: [{ __typename: 'Project', id: projectId }] }, asChat(userId)))._entities;
  if (!project || !('files' in project)) throw new Error(`no Project entity for ${projectId}`);
  return Object.fromEntries(project.files.map((file) => [file.path, file.checksum]).sort(([a], [b]) => String(a).localeCompare(String(b))));
}

export const sha256Of = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');

export const projectDeleted = (projectId: string, userId: string): EventEnvelope =>
  createEnvelope('projects', 'projects.project.deleted', { projectId, userId });

export const projectDuplicated = (projectId: string, sourceProjectId: string, userId: string): EventEnvelope =>
  createEnvelope('projects', 'projects.project.duplicated', { projectId, sourceProjectId, userId });

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Sample contents: real headers of each format, enough for a browser and for sniffing.
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
export const INDEX_HTML = Buffer.from(
  '<!doctype html><html><head><title>Généré</title><link rel="stylesheet" href="assets/app.css"></head>' +
    '<body><h1>Hello</h1><script src="assets/app.js"></script></body></html>',
);
export const APP_JS = Buffer.from('document.querySelector("h1").textContent = "Hello from the app";\n');
export const APP_CSS = Buffer.from('h1 { color: rebeccapurple; }\n');

export { asAdmin as admin, asUser as as, eventually } from '@builderai/testkit';
