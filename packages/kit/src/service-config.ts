// A service's own configuration, declared once per variable: the variable's name and its zod
// schema, placed where the service wants the value. Checked at start like every variable.
import { z } from 'zod';
import { ConfigError, loadConfig } from './config.js';
import type { Env } from './database-url.js';

export type EnvVariable = readonly [name: string, schema: z.ZodTypeAny];
export interface EnvShape {
  readonly [key: string]: EnvVariable | EnvShape;
}
export type ConfigOf<S extends EnvShape> = {
  -readonly [K in keyof S]: S[K] extends EnvVariable ? z.output<S[K][1]> : S[K] extends EnvShape ? ConfigOf<S[K]> : never;
};

/** One variable, e.g. variable('FILES_QUOTA_BYTES', z.coerce.number().default(100)). */
export const variable = <Z extends z.ZodTypeAny>(name: string, schema: Z) => [name, schema] as const;

/** A variable holding JSON of `schema`; `shape` says what is expected when it is not JSON at all. */
export const jsonText = <Z extends z.ZodTypeAny>(schema: Z, shape: string) =>
  z
    .string()
    .transform((value, ctx) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be JSON: ${shape}` });
        return z.NEVER;
      }
    })
    .pipe(schema);

/** A rule across variables: the variable to blame and why, or undefined when it holds. */
export type ConfigRule<C> = (config: C) => readonly [variable: string, message: string] | undefined;

const isVariable = (value: EnvVariable | EnvShape): value is EnvVariable => Array.isArray(value);

function variablesOf(shape: EnvShape, path: string[] = []): Array<{ path: string[]; name: string; schema: z.ZodTypeAny }> {
  return Object.entries(shape).flatMap(([key, value]) =>
    isVariable(value) ? [{ path: [...path, key], name: value[0], schema: value[1] }] : variablesOf(value, [...path, key]),
  );
}

/** The loader of a service's configuration: (env) → the typed, nested values. */
export function defineConfig<S extends EnvShape>(shape: S, ...rules: ConfigRule<ConfigOf<S>>[]): (env: Env) => ConfigOf<S> {
  const variables = variablesOf(shape);
  const schema = z.object(Object.fromEntries(variables.map(({ name, schema }) => [name, schema])));
  return (env) => {
    const values = loadConfig(schema, env) as Record<string, unknown>;
    const config: Record<string, any> = {};
    for (const { path, name } of variables) {
      const parent = path.slice(0, -1).reduce((node, key) => (node[key] ??= {}), config);
      parent[path.at(-1)!] = values[name];
    }
    const broken = rules.map((rule) => rule(config as ConfigOf<S>)).filter((problem) => problem !== undefined);
    if (broken.length > 0) throw new ConfigError(`Invalid configuration:\n${broken.map(([name, message]) => `  ${name}: ${message}`).join('\n')}`);
    return config as ConfigOf<S>;
  };
}
