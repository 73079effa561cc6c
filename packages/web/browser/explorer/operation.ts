import { Kind, parse } from "graphql";

/**
 * The operation to run. GraphiQL updates its operation name after a tab's
 * document is in the editor: a run started right after switching tabs sent
 * the previous tab's name with the new document ("Unknown operation named
 * ReadmeExample"). A document of one operation runs that operation; with
 * several, the name GraphiQL chose stays, as the server must judge it.
 */
export function operationToRun(query: string, operationName: string | null | undefined): string | null | undefined {
  if (!operationName) return operationName;
  let operations: (string | undefined)[];
  try {
    operations = parse(query).definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value] : []));
  } catch {
    return operationName; // the server names the syntax error
  }
  if (operations.includes(operationName) || operations.length !== 1) return operationName;
  return operations[0] ?? null;
}
