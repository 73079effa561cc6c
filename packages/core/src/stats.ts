/**
 * Process-wide counters of work done: SQL statements sent by the ORM and
 * GraphQL operations served. Tests and benchmarks read them to prove that the
 * work for a query does not grow with the number of rows it returns.
 */
const RECENT_STATEMENTS = 200;

export const queryStats = {
  statements: 0,
  operations: 0,
  /** `_entities` representations received (the gateway sends each distinct one once). */
  representations: 0,
  /**
   * Text of the last `RECENT_STATEMENTS` statements, oldest first, for tests
   * that check which columns a query reads. Parameters are never part of it
   * (the ORM logs statements with placeholders).
   */
  recentStatements: [] as string[],
  /** Whether statement text is kept: only where `/debug/stats` serves it (`DEBUG_STATS`). */
  keepStatementText: false,
  /** Counts a statement the ORM sent and, with `keepStatementText`, keeps its text. */
  recordStatement(sql: string): void {
    this.statements += 1;
    if (!this.keepStatementText) return;
    this.recentStatements.push(sql);
    if (this.recentStatements.length > RECENT_STATEMENTS) this.recentStatements.shift();
  },
  reset(): void {
    this.statements = 0;
    this.operations = 0;
    this.representations = 0;
    this.recentStatements = [];
  },
  snapshot(): { statements: number; operations: number; representations: number; recentStatements: string[] } {
    return { statements: this.statements, operations: this.operations, representations: this.representations, recentStatements: [...this.recentStatements] };
  },
};
