// Crash points for the in-process realtime path. A "process" (one capture handler, one poller, one
// replicator, wired once like a Lambda container) dies at a crash point: the call there throws
// Crash, and from then on every journal or target call of that process throws too, so nothing it
// had in flight lands after its death. The harness then throws the process away and starts a fresh
// one; what the dead one was handed is delivered again, as SQS, Lambda's stream polling and the
// poller's schedule do.
import type { JournalStore } from "../../modules/aws/journal-store.ts";
import type { Runner } from "../../modules/operations/runner.ts";

export class Crash extends Error {
  constructor(readonly point: CrashPoint) {
    super(`crash at ${point}`);
    this.name = "Crash";
  }
}

export type CrashPoint =
  /** The replicator applied an event's operations; it dies before recording the outcome. */
  | "applied-before-outcome"
  /** Capture journaled an event; it dies before the delivery is acknowledged (stream not yet read). */
  | "journaled-before-ack"
  /** The poller journaled what it read; it dies before saving its checkpoint. */
  | "journaled-before-checkpoint";

export class ProcessLife {
  dead: CrashPoint | undefined;

  constructor(
    private readonly probability: number,
    private readonly random: () => number,
  ) {}

  /** Throws Crash when the process is dead, or dies here with the configured probability. */
  maybeCrash(point: CrashPoint): void {
    this.assertAlive();
    if (this.probability > 0 && this.random() < this.probability) {
      this.dead = point;
      throw new Crash(point);
    }
  }

  assertAlive(): void {
    if (this.dead) throw new Crash(this.dead);
  }
}

/** Which function of the process holds the journal: each passes its own crash points. */
export type JournalUser = "capture" | "poller" | "replicator";

/**
 * The real journal store, with the crash points of a process around the calls that matter. Capture
 * journals through putEvents (its coalesced writer sends one SQS batch's events together) and
 * falls back to putEvent, so both are followed by "journaled-before-ack". The poller journals with
 * putEvents too, but its window after journaling is "journaled-before-checkpoint".
 */
export function crashableJournal(store: JournalStore, life: ProcessLife, user: JournalUser): JournalStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]) => {
        if (property === "setTargetState") life.maybeCrash("applied-before-outcome");
        if (property === "putCheckpoint") life.maybeCrash("journaled-before-checkpoint");
        life.assertAlive();
        const result = await method.apply(target, args);
        life.assertAlive();
        if (user === "capture" && (property === "putEvent" || property === "putEvents"))
          life.maybeCrash("journaled-before-ack");
        return result;
      };
    },
  });
}

/** The real operation runner; a dead process sends nothing more. */
export function crashableRunner(run: Runner, life: ProcessLife): Runner {
  return async (operation) => {
    life.assertAlive();
    return run(operation);
  };
}
