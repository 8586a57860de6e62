/**
 * The one unit-of-work shape every module uses: `uow.run(async (stores) => …)` runs the work on one
 * transaction with every store in `S` bound to it; a throw rolls all of it back. A use case declares the
 * stores it needs (`UnitOfWork<Pick<Stores, 'registry' | 'audit'>>`); the adapter's set is a superset.
 */
export interface UnitOfWork<S> {
  run<T>(work: (stores: S) => Promise<T>): Promise<T>;
}
