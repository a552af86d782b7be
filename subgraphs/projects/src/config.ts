// The projects service's environment, validated at start.
import { defineConfig } from '@builderai/kit';
import { defaultLlmIsAllowed, llmVariables } from './domain/models.js';

export const loadProjectsConfig = defineConfig({ llms: llmVariables }, defaultLlmIsAllowed);

export type ProjectsConfig = ReturnType<typeof loadProjectsConfig>;
