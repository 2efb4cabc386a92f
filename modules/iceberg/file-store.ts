// The port the Iceberg rewrite reads and writes through: whole files by URI. Iceberg metadata
// files are immutable and small (metadata JSON, manifest lists, manifests), so bytes in, bytes out.

export interface IcebergFileStore {
  /** The file's bytes, or undefined when there is no such file. */
  get(uri: string): Promise<Uint8Array | undefined>;
  put(uri: string, bytes: Uint8Array): Promise<void>;
  exists(uri: string): Promise<boolean>;
}
