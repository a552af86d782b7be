// The models a project may use and the one a new project gets when it names none: the
// PROJECTS_LLMS and PROJECTS_DEFAULT_LLM variables.
import { z } from 'zod';
import { variable, type ConfigOf, type ConfigRule } from '@builderai/kit';

export const DEFAULT_LLMS = ['gpt-4o-mini', 'gpt-4o', 'o3-mini', 'claude-sonnet'];

// "a, b,,c" → ['a', 'b', 'c']: blanks and repeats are dropped.
const commaList = z
  .string()
  .transform((value) => [...new Set(value.split(',').map((item) => item.trim()).filter(Boolean))])
  .pipe(z.array(z.string()).min(1, 'must name at least one model'));

export const llmVariables = {
  allowed: variable('PROJECTS_LLMS', commaList.default(DEFAULT_LLMS.join(','))),
  default: variable('PROJECTS_DEFAULT_LLM', z.string().trim().min(1).default(DEFAULT_LLMS[0]!)),
};

export type LlmChoice = ConfigOf<typeof llmVariables>;

export const defaultLlmIsAllowed: ConfigRule<{ llms: LlmChoice }> = ({ llms }) =>
  llms.allowed.includes(llms.default) ? undefined : ['PROJECTS_DEFAULT_LLM', 'must be one of PROJECTS_LLMS'];
