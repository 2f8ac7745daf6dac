/**
 * The numbered migrations, oldest first, shared by PGlite and PostgreSQL. They are TypeScript
 * modules rather than .sql files so that a bundler carries them along. Never edit a released
 * migration: add the next number.
 */
import { m001 } from './001-init';
import { m002 } from './002-secrets-apart';
import { m011 } from './011-audit-anchors';
import { m012 } from './012-reconciliation';
import { m013 } from './013-limits';
import { m014 } from './014-acquire';

export interface Migration {
  version: number;
  name: string;
  /** Plain DDL statements, each ending with a semicolon at the end of a line. */
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [m001, m002, m011, m012, m013, m014];
