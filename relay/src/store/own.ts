/**
 * Tables keyed by id (CallUUIDs, phone numbers, staff-supplied route params) are plain objects, so an id such
 * as "__proto__", "constructor" or "toString" must never reach Object.prototype or its built-ins. Tables
 * have no prototype, and every read and write goes through these helpers, which see own properties only
 * (so a table that lost its null prototype, say through a copy, is still safe).
 */

export type Table<T> = Record<string, T>;

/** A fresh table with no prototype. */
export function table<T>(): Table<T> {
  return Object.create(null) as Table<T>;
}

/** The same table, without a prototype (tables read from JSON get Object.prototype). */
export function detach(t: object): void {
  Object.setPrototypeOf(t, null);
}

/** The record stored under `id`, never one inherited. */
export function own<T>(t: Readonly<Table<T>>, id: string): T | undefined {
  return Object.hasOwn(t, id) ? t[id] : undefined;
}

/** Store `value` under `id` as an own property, even for "__proto__". */
export function setOwn<T>(t: Table<T>, id: string, value: NoInfer<T>): void {
  Object.defineProperty(t, id, { value, writable: true, enumerable: true, configurable: true });
}
