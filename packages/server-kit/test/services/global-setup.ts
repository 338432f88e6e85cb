/**
 * vitest globalSetup: one PostgreSQL and one Redis for the whole run (tests
 * isolate themselves with their own schema or key prefix). When a server
 * cannot be had, one line says so and the tests that need it are skipped.
 */
import type { TestProject } from 'vitest/node';
import {
  type PostgresServer,
  postgresAvailable,
  type RedisServer,
  redisAvailable,
  startPostgres,
  startRedis,
} from './servers.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Empty when no PostgreSQL could be started. */
    postgresUrl: string;
    /** Empty when no Redis could be started. */
    redisUrl: string;
  }
}

export default async function setup(project: TestProject) {
  let postgres: PostgresServer | undefined;
  let redis: RedisServer | undefined;
  const missing: string[] = [];
  const pgProblem = postgresAvailable();
  if (pgProblem) missing.push(pgProblem);
  else {
    try {
      postgres = await startPostgres();
    } catch (error) {
      missing.push(`PostgreSQL did not start: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const redisProblem = redisAvailable();
  if (redisProblem) missing.push(redisProblem);
  else {
    try {
      redis = await startRedis();
    } catch (error) {
      missing.push(`redis-server did not start: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  if (missing.length) {
    console.warn(
      `[paydo tests] skipping the PostgreSQL/Redis tests: ${missing.join('; ')} (install the Debian packages postgresql and redis-server)`,
    );
  }
  project.provide('postgresUrl', postgres?.url ?? '');
  project.provide('redisUrl', redis?.url ?? '');
  return async () => {
    await Promise.all([postgres?.destroy(), redis?.stop()]);
  };
}
