/** One page of a listing, shared by every module that lists things (registry, audit, identity). */
export interface Page<T> {
  items: T[];
  /** Pass back as `after` for the next page; null on the last page. */
  next: string | null;
}
