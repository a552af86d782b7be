// Creating, editing, duplicating and deleting projects. Each change and the event announcing
// it commit together.
import { badUserInput, isUuid } from '@builderai/kit';
import type { PrismaClient, Project, ProjectConfig } from '../generated/prisma/client.ts';
import type { LlmChoice } from './models.js';
import { changeable, type Viewer } from './access.js';
import { changeProject, type Tx } from './locking.js';
import { projectsEvents } from '../events.js';
import {
  copyName,
  parseConfigInput,
  parseCreateInput,
  parseUpdateInput,
  type CreateProjectInput,
  type ProjectConfigInput,
  type UpdateProjectInput,
} from './validation.js';

// Archiving freezes a project; restoring it makes it editable again.
function assertEditable(project: Project): void {
  if (project.status === 'ARCHIVED') throw badUserInput('An archived project cannot be changed; restore it first');
}

export async function createProject(db: PrismaClient, ownerId: string, input: CreateProjectInput, llms: LlmChoice): Promise<Project> {
  const { config, ...fields } = parseCreateInput(input, llms);
  return db.$transaction(async (tx) => {
    const project = await tx.project.create({ data: { ...fields, userId: ownerId, config: { create: config } } });
    await projectsEvents.record(tx, 'projects.project.created', { projectId: project.id, userId: ownerId, name: project.name });
    return project;
  });
}

/** Changes the given fields; asking for no change changes (and announces) nothing. */
export async function updateProject(db: PrismaClient, viewer: Viewer, projectId: string, input: UpdateProjectInput, llms: LlmChoice): Promise<Project> {
  const changes = parseUpdateInput(input, llms);
  return changeProject(db, viewer, projectId, async (tx, project) => {
    assertEditable(project);
    if (Object.keys(changes).length === 0) return project;
    const updated = await tx.project.update({ where: { id: project.id }, data: changes });
    await projectsEvents.record(tx, 'projects.project.updated', { projectId: project.id, userId: project.userId });
    return updated;
  });
}

/** Replaces the given parts of the config (creating it if it is missing). */
export async function updateProjectConfig(
  db: PrismaClient,
  viewer: Viewer,
  projectId: string,
  input: ProjectConfigInput,
): Promise<{ project: Project; config: ProjectConfig | null }> {
  const changes = parseConfigInput(input);
  return changeProject(db, viewer, projectId, async (tx, project) => {
    assertEditable(project);
    if (Object.keys(changes).length === 0) return { project, config: await tx.projectConfig.findUnique({ where: { projectId: project.id } }) };
    const config = await tx.projectConfig.upsert({ where: { projectId: project.id }, create: { projectId: project.id, ...changes }, update: changes });
    // The project's updatedAt tells when anything of it last changed, its config included.
    const updated = await tx.project.update({ where: { id: project.id }, data: { updatedAt: new Date() } });
    await projectsEvents.record(tx, 'projects.project.updated', { projectId: project.id, userId: project.userId });
    return { project: updated, config };
  });
}

/**
 * Deletes the project; its config goes with it (ON DELETE CASCADE), in the
 * transaction that records the event on which files deletes the files.
 */
export async function deleteProject(db: PrismaClient, viewer: Viewer, projectId: string): Promise<string> {
  return changeProject(db, viewer, projectId, async (tx, project) => {
    await tx.project.delete({ where: { id: project.id } });
    await projectsEvents.record(tx, 'projects.project.deleted', { projectId: project.id, userId: project.userId });
    return project.id;
  });
}

async function findWithConfig(tx: Tx, projectId: string) {
  return isUuid(projectId) ? tx.project.findUnique({ where: { id: projectId }, include: { config: true } }) : null;
}

/**
 * A new DRAFT project with the source's name (marked as a copy), description, prompt, llm and
 * config. Its files arrive later: files copies them on the duplicated event and announces each.
 */
export async function duplicateProject(db: PrismaClient, viewer: Viewer, sourceId: string): Promise<Project> {
  return db.$transaction(async (tx) => {
    const source = changeable(viewer, await findWithConfig(tx, sourceId));
    const copy = await tx.project.create({
      data: {
        userId: source.userId,
        name: copyName(source.name),
        description: source.description,
        prompt: source.prompt,
        llm: source.llm,
        config: { create: { mcpServerIds: source.config?.mcpServerIds ?? [], settings: source.config?.settings ?? {} } },
      },
    });
    await projectsEvents.record(tx, 'projects.project.duplicated', { projectId: copy.id, sourceProjectId: source.id, userId: source.userId });
    return copy;
  });
}
