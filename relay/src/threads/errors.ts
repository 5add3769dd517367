/** A refusal the REST layer turns into `{ error: { code, message } }` with this status. */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly owner?: { id: string; name: string },
    /** Per-row problems (a rejected CSV import). */
    readonly errors?: { line: number; message: string }[],
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new DomainError(404, 'not-found', `${what} not found`);
