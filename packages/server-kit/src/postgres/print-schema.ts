#!/usr/bin/env node
/**
 * `paydo-postgres-schema [--schema NAME]`: prints the SQL of `PostgresStore`'s
 * schema for a DBA to review and apply (`… | psql "$DATABASE_URL"`).
 */
import { parseArgs } from 'node:util';
import { postgresSchemaSql } from './migrations.ts';

const { values } = parseArgs({ options: { schema: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  process.stdout.write(
    'Usage: paydo-postgres-schema [--schema NAME]\nPrints the PostgreSQL schema of PostgresStore.\n',
  );
} else {
  process.stdout.write(postgresSchemaSql(values.schema ? { schema: values.schema } : {}));
}
