export interface Migration {
  /** 1, 2, 3... in order; a database records every version applied to it. */
  version: number;
  name: string;
  sql: string;
}
