import { uuidv7 } from 'uuidv7';

/** A new time-sortable unique id (UUIDv7), made by the application rather than the database. */
export function newId(): string {
  return uuidv7();
}
