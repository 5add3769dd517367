/**
 * Checks for the sandbox's own JSON driving API. Hand-written on purpose: they must not depend on whatever
 * validator or error handler the relay installs on the shared fastify instance.
 */

export class InputError extends Error {}

export type Obj = Record<string, unknown>;

export function object(body: unknown): Obj {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new InputError('body must be a JSON object');
  return body as Obj;
}

export function str(o: Obj, key: string, max = 2000): string {
  const v = o[key];
  if (typeof v !== 'string' || v.trim() === '') throw new InputError(`${key} is required (a non-empty string)`);
  if (v.length > max) throw new InputError(`${key} is longer than ${max} characters`);
  return v;
}

export function optStr(o: Obj, key: string, max = 2000): string | undefined {
  return o[key] === undefined ? undefined : str(o, key, max);
}

export function optBool(o: Obj, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new InputError(`${key} must be true or false`);
  return v;
}

export function optInt(o: Obj, key: string, min: number, max: number): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new InputError(`${key} must be a whole number from ${min} to ${max}`);
  }
  return v;
}

export function optList<T>(o: Obj, key: string, item: (v: unknown) => T | undefined, what: string): T[] | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw new InputError(`${key} must be a list of ${what}`);
  return v.map((x) => {
    const ok = item(x);
    if (ok === undefined) throw new InputError(`${key} must be a list of ${what}`);
    return ok;
  });
}

/** The error shape of the relay's own API (DESIGN "Staff API"). */
export function badRequest(message: string): { error: { code: string; message: string } } {
  return { error: { code: 'bad_request', message } };
}
