import type { ApolloServerOptionsWithGateway } from "@apollo/server";
import { type DocumentNode, execute, type ExecutionResult, GraphQLError, type GraphQLSchema } from "graphql";
import { type CompiledQuery, compileQuery, isCompiledQuery } from "graphql-jit";

type GatewayInterface = ApolloServerOptionsWithGateway<Record<string, unknown>>["gateway"];

type Compiled = CompiledQuery | ExecutionResult;

/**
 * graphql-jit's errors as graphql-js's own: theirs leave `extensions`
 * undefined when the thrown error has none, where Apollo Server (and every
 * graphql-js consumer) reads `error.extensions.code`.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const normal = new GraphQLError(error.message, {
    ...(error.path ? { path: error.path } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
    ...(error.extensions ? { extensions: error.extensions } : {}),
  });
  // graphql-js derives locations from AST nodes, which graphql-jit has already turned into locations.
  if (error.locations) Object.defineProperty(normal, "locations", { value: error.locations, enumerable: true });
  return normal;
}

/**
 * A subgraph's operations executed by graphql-jit, as an Apollo Server
 * `GatewayInterface` (the server's documented way to bring its own executor):
 * Apollo Server still parses, validates (operation limits), runs every plugin
 * and formats errors; only execution changes. graphql-jit compiles each
 * operation once into plain JavaScript, which resolves a large list without
 * graphql-js's per-field bookkeeping (a promise and a path per value, the
 * field's type looked up per value): the views' answers are lists of
 * thousands of objects. An operation is compiled when it runs the second
 * time (the gateway's fetches repeat; a one-off runs on graphql-js), and
 * kept per parsed document:
 * Apollo Server's document store hands the same document to every request
 * with the same query text, and lets go of it (and so of its compiled form)
 * when it evicts the text.
 *
 * Resolvers, scalars, abstract types (`_entities`) and errors (with their
 * `originalError`, which `formatError` maps) behave as under graphql-js; an
 * operation graphql-jit cannot compile runs on graphql-js.
 */
export function jitExecutor(schema: GraphQLSchema): GatewayInterface {
  const compiled = new WeakMap<DocumentNode, Map<string, Compiled | "seen once">>();
  /** The compiled operation from its second run on; `undefined` the first time (a one-off, e.g. a mutation with literal arguments, is not worth compiling). */
  const compile = (document: DocumentNode, operationName: string | undefined): Compiled | undefined => {
    let byName = compiled.get(document);
    if (!byName) {
      byName = new Map();
      compiled.set(document, byName);
    }
    const key = operationName ?? "";
    const known = byName.get(key);
    if (known === undefined) {
      byName.set(key, "seen once");
      return undefined;
    }
    if (known !== "seen once") return known;
    const query = compileQuery(schema, document, operationName, { disablingCapturingStackErrors: true });
    byName.set(key, query);
    return query;
  };
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: "" });
      return () => {};
    },
    async load() {
      return {
        async executor(requestContext) {
          const operationName = requestContext.operationName ?? requestContext.request.operationName ?? undefined;
          const query = compile(requestContext.document, operationName);
          const variables = requestContext.request.variables ?? {};
          if (query && isCompiledQuery(query)) {
            const result = await query.query(undefined, requestContext.context, variables);
            if (!result.errors) return result;
            // No data: the variables were refused before anything ran. graphql-js refuses them in the
            // same words, with the variable's AST node, by which Apollo Server answers BAD_USER_INPUT.
            if (result.data !== undefined) return { ...result, errors: result.errors.map(asGraphQLError) };
          }
          return await execute({
            schema,
            document: requestContext.document,
            contextValue: requestContext.context,
            variableValues: variables,
            ...(operationName ? { operationName } : {}),
          });
        },
      };
    },
    async stop() {},
  };
}
