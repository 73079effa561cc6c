import { GraphQLError } from "graphql";

/**
 * Input that fails validation. The caller learns which argument or input field
 * is wrong and why; nothing about the server's internals.
 */
export class BadUserInputError extends GraphQLError {
  constructor(field: string, reason: string) {
    super(`Invalid value for "${field}": ${reason}`, {
      extensions: { code: "BAD_USER_INPUT", field, reason },
    });
  }
}

/** The caller is not allowed to see or change what it asked for. */
export class ForbiddenError extends GraphQLError {
  constructor(message = "Not authorised to access this field") {
    super(message, { extensions: { code: "FORBIDDEN" } });
  }
}

/** A referenced record does not exist (mutations; queries return null instead). */
export class NotFoundError extends GraphQLError {
  constructor(what: string, id: string) {
    super(`${what} "${id}" was not found`, {
      extensions: { code: "NOT_FOUND", entity: what, id },
    });
  }
}
