import type { Logger } from '../../platform/logger.js';
import type { Session } from './runtime.port.js';

/**
 * A loaded session, reference-counted: the routing table holds one reference while the version is live,
 * each request one while it runs. The session is released when the last reference goes, so a version
 * taken out of service finishes the requests already running on it.
 */
export class SessionLease {
  private refs = 1;

  constructor(
    readonly session: Session,
    private readonly logger: Logger,
    private readonly label: Record<string, unknown>,
    /** Called once, when the last reference goes (the unload metric). */
    private readonly onClosed: () => void = () => {},
  ) {}

  /** Takes a reference; false when the session is already released (never, while the table holds it). */
  acquire(): boolean {
    if (this.refs <= 0) return false;
    this.refs++;
    return true;
  }

  release(): void {
    this.refs--;
    if (this.refs !== 0) return;
    this.onClosed();
    this.session.release().then(
      () => this.logger.debug(this.label, 'model session released'),
      (err: unknown) => this.logger.warn({ ...this.label, err }, 'could not release a model session'),
    );
  }

  /** References held now (the table's included). */
  get held(): number {
    return this.refs;
  }
}
