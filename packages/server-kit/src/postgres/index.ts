/**
 * `@paydo-checkout/server-kit/postgres`: the kit's state in PostgreSQL, for
 * several instances behind a load balancer. Needs the `pg` package (an
 * optional peer dependency): merchants who do not import this entry point do
 * not load it.
 */
export { MIGRATIONS, type Migration, postgresSchemaSql } from './migrations.ts';
export {
  type PostgresPool,
  type PostgresPoolClient,
  PostgresStore,
  type PostgresStoreOptions,
} from './postgres-store.ts';
