// Why a table cannot be rewritten (yet): the use case reports the table `skipped` with this
// reason instead of writing a tree that would still need the source bucket.
export class UnsupportedIcebergTable extends Error {
  override readonly name = "UnsupportedIcebergTable";
}

/** A file the table's metadata names is not in the store. */
export class MissingIcebergFile extends Error {
  override readonly name = "MissingIcebergFile";
  constructor(readonly uri: string) {
    super(`${uri} is named by the table's metadata but does not exist`);
  }
}
