// The users service's environment, validated at start.
import { z } from 'zod';
import { infrastructureEnv, loadConfig, port, type Env } from '@builderai/kit';

export const DEFAULT_USERS_PORT = 4002;

const usersEnv = infrastructureEnv.extend({
  // USERS_PORT wins over PORT so one environment can hold every service's port.
  USERS_PORT: port(DEFAULT_USERS_PORT).optional(),
  PORT: port(DEFAULT_USERS_PORT),
  HOST: z.string().min(1).default('127.0.0.1'),
});

export interface UsersConfig {
  port: number;
  host: string;
  maxBodyBytes: number;
}

export function loadUsersConfig(env: Env): UsersConfig {
  const config = loadConfig(usersEnv, env);
  return { port: config.USERS_PORT ?? config.PORT, host: config.HOST, maxBodyBytes: config.MAX_BODY_BYTES };
}
