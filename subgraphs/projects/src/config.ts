// The projects service's environment, validated at start.
import { z } from 'zod';
import { loadConfig, type Env } from '@builderai/kit';

export const DEFAULT_LLMS = ['gpt-4o-mini', 'gpt-4o', 'o3-mini', 'claude-sonnet'];

// "a, b,,c" → ['a', 'b', 'c']: blanks and repeats are dropped.
const commaList = z
  .string()
  .transform((value) => [...new Set(value.split(',').map((item) => item.trim()).filter(Boolean))])
  .pipe(z.array(z.string()).min(1, 'must name at least one model'));

const projectsEnv = z
  .object({ PROJECTS_LLMS: commaList.default(DEFAULT_LLMS.join(',')), PROJECTS_DEFAULT_LLM: z.string().trim().min(1).default(DEFAULT_LLMS[0]!) })
  .refine((env) => env.PROJECTS_LLMS.includes(env.PROJECTS_DEFAULT_LLM), { message: 'must be one of PROJECTS_LLMS', path: ['PROJECTS_DEFAULT_LLM'] })
  // The models a project may use, and the one a new project gets when it names none.
  .transform((env) => ({ llms: { allowed: env.PROJECTS_LLMS, default: env.PROJECTS_DEFAULT_LLM } }));

export type ProjectsConfig = z.output<typeof projectsEnv>;
export type LlmChoice = ProjectsConfig['llms'];

export const loadProjectsConfig = (env: Env): ProjectsConfig => loadConfig(projectsEnv, env);
