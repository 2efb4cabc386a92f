// What the batch core needs from the outside world, injected so the core stays free of the SDK.
// modules/aws/backup-store.ts implements BackupStorage on S3 (one bucket).

export interface BackupStorage {
  readonly bucket: string;
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
  /** The object's bytes, or undefined when there is no such key. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Every key under a prefix. */
  list(prefix: string): AsyncIterable<string>;
  /** The "sub-folders" directly under a prefix (S3 common prefixes with delimiter "/"). */
  folders(prefix: string): Promise<string[]>;
  /** Deletes every object under a prefix. */
  deleteAll(prefix: string): Promise<number>;
}

/** Progress of a long step, for the CLI's progress bar and the handlers' logs. */
export type BatchProgress =
  | { phase: "read"; side: "source" | "target" | "backup"; records: number }
  | { phase: "write-part"; part: string; records: number; totalRecords: number }
  | { phase: "apply"; target: string; done: number; total: number };

export type ProgressListener = (progress: BatchProgress) => void;
