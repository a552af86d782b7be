// The projects service's environment, validated at start.
import { z } from 'zod';
import { infrastructureEnv, loadConfig, port, type Env } from '@builderai/kit';

export const DEFAULT_PROJECTS_PORT = 4003;
export const DEFAULT_LLMS = ['gpt-4o-mini', 'gpt-4o', 'o3-mini', 'claude-sonnet'];
export const DEFAULT_LLM = 'gpt-4o-mini';

// "a, b,,c" → ['a', 'b', 'c']: blanks and repeats are dropped.
const commaList = z
  .string()
  .transform((value) => [...new Set(value.split(',').map((item) => item.trim()).filter(Boolean))])
  .pipe(z.array(z.string()).min(1, 'must name at least one model'));

const projectsEnv = infrastructureEnv
  .extend({
    // PROJECTS_PORT wins over PORT so one environment can hold every service's port.
    PROJECTS_PORT: port(DEFAULT_PROJECTS_PORT).optional(),
    PORT: port(DEFAULT_PROJECTS_PORT),
    HOST: z.string().min(1).default('127.0.0.1'),
    PROJECTS_LLMS: commaList.default(DEFAULT_LLMS.join(',')),
    PROJECTS_DEFAULT_LLM: z.string().trim().min(1).default(DEFAULT_LLM),
  })
  .refine((env) => env.PROJECTS_LLMS.includes(env.PROJECTS_DEFAULT_LLM), {
    message: 'must be one of PROJECTS_LLMS',
    path: ['PROJECTS_DEFAULT_LLM'],
  });

/** The models a project may use, and the one a new project gets when it names none. */
export interface LlmChoice {
  allowed: string[];
  default: string;
}

export interface ProjectsConfig {
  port: number;
  host: string;
  maxBodyBytes: number;
  llms: LlmChoice;
}

export function loadProjectsConfig(env: Env): ProjectsConfig {
  const config = loadConfig(projectsEnv, env);
  return {
    port: config.PROJECTS_PORT ?? config.PORT,
    host: config.HOST,
    maxBodyBytes: config.MAX_BODY_BYTES,
    llms: { allowed: config.PROJECTS_LLMS, default: config.PROJECTS_DEFAULT_LLM },
  };
}
