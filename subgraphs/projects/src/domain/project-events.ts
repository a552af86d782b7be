// The events the projects service publishes, recorded in the outbox within the transaction of
// the change they announce (the relay publishes them once committed).
import { recordEvent, type RawSql } from '@builderai/kit';
import type { ProjectStatus } from '../generated/prisma/client.ts';

const SOURCE = 'projects';

export const PROJECT_CREATED = 'projects.project.created';
export const PROJECT_UPDATED = 'projects.project.updated';
export const PROJECT_STATUS_CHANGED = 'projects.project.status_changed';
export const PROJECT_DELETED = 'projects.project.deleted';
export const PROJECT_DUPLICATED = 'projects.project.duplicated';

export interface ProjectCreatedPayload {
  projectId: string;
  userId: string;
  name: string;
}

/** Its name, description, prompt, llm or config changed. */
export interface ProjectUpdatedPayload {
  projectId: string;
  userId: string;
}

export interface ProjectStatusChangedPayload {
  projectId: string;
  userId: string;
  from: ProjectStatus;
  to: ProjectStatus;
}

/** The project and its config are gone; files deletes the project's files. */
export interface ProjectDeletedPayload {
  projectId: string;
  userId: string;
}

/** A new project copied from another; files copies the source's files into it. */
export interface ProjectDuplicatedPayload {
  projectId: string;
  sourceProjectId: string;
  userId: string;
}

export const recordProjectCreated = (tx: RawSql, payload: ProjectCreatedPayload) => recordEvent(tx, SOURCE, PROJECT_CREATED, payload);
export const recordProjectUpdated = (tx: RawSql, payload: ProjectUpdatedPayload) => recordEvent(tx, SOURCE, PROJECT_UPDATED, payload);
export const recordStatusChanged = (tx: RawSql, payload: ProjectStatusChangedPayload) => recordEvent(tx, SOURCE, PROJECT_STATUS_CHANGED, payload);
export const recordProjectDeleted = (tx: RawSql, payload: ProjectDeletedPayload) => recordEvent(tx, SOURCE, PROJECT_DELETED, payload);
export const recordProjectDuplicated = (tx: RawSql, payload: ProjectDuplicatedPayload) => recordEvent(tx, SOURCE, PROJECT_DUPLICATED, payload);
