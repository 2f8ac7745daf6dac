/**
 * Version 5: who did it. Sales, payments, refunds, shift openings and closings and cash
 * movements record the member of staff signed in at the till (operator_id, a reference to
 * staff).
 *
 * Money rows stay append-only: ADD COLUMN changes no row, rows from before have NULL there
 * (unknown), and the audit chain leaves an empty operator_id out of a row's content (rows.ts),
 * so the links written before this migration still verify. From now on a money row must name
 * its operator: the triggers below refuse one that does not, whoever writes it.
 */
import type { Migration } from './types';

/** The money tables that record an operator. */
export const OPERATOR_TABLES = [
  'sales',
  'payments',
  'refunds',
  'shifts',
  'shift_closes',
  'cash_movements',
] as const;

function operatorColumn(table: string): string {
  return `
ALTER TABLE ${table} ADD COLUMN operator_id TEXT REFERENCES staff (id);
CREATE TRIGGER ${table}_names_operator BEFORE INSERT ON ${table}
WHEN NEW.operator_id IS NULL
BEGIN SELECT RAISE(ABORT, '${table}: a money row records who was signed in at the till'); END;`;
}

const sql = OPERATOR_TABLES.map(operatorColumn).join('\n');

export const migration005: Migration = { version: 5, name: 'operators', sql };
