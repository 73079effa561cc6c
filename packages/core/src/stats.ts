/**
 * Process-wide counters of work done: SQL statements sent by the ORM and
 * GraphQL operations served. Tests and benchmarks read them to prove that the
 * work for a query does not grow with the number of rows it returns.
 */
export const queryStats = {
  statements: 0,
  operations: 0,
  /** `_entities` representations received (the gateway sends each distinct one once). */
  representations: 0,
  reset(): void {
    this.statements = 0;
    this.operations = 0;
    this.representations = 0;
  },
  snapshot(): { statements: number; operations: number; representations: number } {
    return { statements: this.statements, operations: this.operations, representations: this.representations };
  },
};
