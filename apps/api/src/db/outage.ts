import type { Logger } from "../logger";
import { isDatabaseUnavailable } from "./errors";

/**
 * A loop that keeps trying the database (the dispatcher) sees an outage as a run of failures: the first is logged,
 * the ones after it are not, and the first success after them is.
 */
export class DatabaseOutage {
  private since: number | null = null;

  constructor(
    private readonly logger: Logger,
    /** What stops while the database is away, for the log: "deliveries". */
    private readonly what: string,
  ) {}

  get active(): boolean {
    return this.since !== null;
  }

  /** Whether `error` says the database cannot be reached; the first such error of an outage is logged. */
  noticed(error: unknown): boolean {
    if (!isDatabaseUnavailable(error)) return false;
    if (this.since === null) {
      this.since = Date.now();
      this.logger.warn(
        { error: (error as Error).message },
        `the database cannot be reached: ${this.what} paused until it is back`,
      );
    }
    return true;
  }

  /** The database answered: ends the outage, if there was one. */
  over(): void {
    if (this.since === null) return;
    const seconds = Math.round((Date.now() - this.since) / 100) / 10;
    this.since = null;
    this.logger.info({ seconds }, `the database is back: ${this.what} resumed`);
  }
}
