// Plans the rewrite of a table's metadata tree into the target bucket: walks it from a metadata
// file down (previous metadata files, manifest lists, manifests), and for each file derives its
// rewritten key from its source content. A rewritten copy that already exists is reused as is:
// it was written, children first, by an earlier run, so nothing below it is read again. That
// makes a re-run write nothing and a later commit rewrite only its new metadata file, manifest
// list and manifests. Reads go through the store; nothing is written here.
import pLimit from "p-limit";
import { readAvroContainer, writeAvroContainer } from "./avro-container.ts";
import { MissingIcebergFile, UnsupportedIcebergTable } from "./errors.ts";
import type { IcebergFileStore } from "./file-store.ts";
import { manifestPaths, rewriteManifest, rewriteManifestList } from "./manifests.ts";
import { type BucketMapping, PathMapper } from "./paths.ts";
import {
  metadataFileBytes,
  metadataFileText,
  metadataReferences,
  parseTableMetadata,
  rewriteTableMetadata,
} from "./table-metadata.ts";

export type RewrittenFileKind = "metadata" | "manifest-list" | "manifest";

export interface PlannedWrite {
  kind: RewrittenFileKind;
  sourceUri: string;
  uri: string;
  bytes: Uint8Array;
}

export interface RewritePlan {
  /** The rewritten metadata file the target table should point at. */
  metadataLocation: string;
  /** Files to write, children before the files that name them. */
  writes: PlannedWrite[];
  /** Rewritten files that already exist in the target and are named as they are. */
  reused: string[];
  /** Target paths of the data and delete files named by the manifests rewritten in this plan. */
  dataFiles: string[];
}

export type PlanOutcome = { plan: RewritePlan } | { skipped: string };

export interface PlanInput {
  /** The source table's current `metadata_location`. */
  metadataLocation: string;
  /** Source bucket -> target bucket, as in the mapping rules. */
  buckets: BucketMapping;
  store: IcebergFileStore;
  /** Store reads in flight at once (a table can have thousands of manifests); default 16. */
  readConcurrency?: number;
}

class TreePlanner {
  private readonly mapper: PathMapper;
  private readonly done = new Map<string, Promise<string>>();
  readonly writes: PlannedWrite[] = [];
  readonly reused: string[] = [];
  readonly dataFiles = new Set<string>();
  private readonly reads: ReturnType<typeof pLimit>;

  constructor(
    buckets: BucketMapping,
    private readonly store: IcebergFileStore,
    readConcurrency: number,
  ) {
    this.mapper = new PathMapper(buckets);
    this.reads = pLimit(readConcurrency);
  }

  /** The target URI of the rewritten copy of a source file, planning its write when it is new. */
  rewritten(sourceUri: string, kind: RewrittenFileKind): Promise<string> {
    let target = this.done.get(sourceUri);
    if (!target) {
      target = this.plan(sourceUri, kind);
      this.done.set(sourceUri, target);
    }
    return target;
  }

  private async plan(sourceUri: string, kind: RewrittenFileKind): Promise<string> {
    if (!this.mapper.moves(sourceUri)) {
      throw new UnsupportedIcebergTable(`${sourceUri} is in a bucket the bucket mapping does not move`);
    }
    const source = await this.reads(() => this.store.get(sourceUri));
    if (!source) throw new MissingIcebergFile(sourceUri);
    const uri = this.mapper.rewrittenUri(sourceUri, source);
    if (await this.reads(() => this.store.exists(uri))) {
      this.reused.push(uri);
      return uri;
    }
    const bytes =
      kind === "metadata"
        ? await this.metadata(sourceUri, source)
        : kind === "manifest-list"
          ? await this.manifestList(sourceUri, source)
          : await this.manifest(sourceUri, source);
    this.writes.push({ kind, sourceUri, uri, bytes });
    return uri;
  }

  private async metadata(sourceUri: string, source: Uint8Array): Promise<Uint8Array> {
    const document = parseTableMetadata(metadataFileText(sourceUri, source), sourceUri);
    const references = metadataReferences(document);
    const rewritten = new Map<string, string>();
    const files = [
      ...references.manifestLists.map((uri) => ({ uri, kind: "manifest-list" as const })),
      ...references.manifests.map((uri) => ({ uri, kind: "manifest" as const })),
    ];
    await Promise.all(
      files.map(async ({ uri, kind }) => rewritten.set(uri, await this.rewritten(uri, kind))),
    );
    // Previous metadata files are rewritten too, so an older version still reads from the target.
    // They may name snapshots whose files were expired since: such an entry is only mapped.
    for (const uri of references.previousMetadata) {
      try {
        rewritten.set(uri, await this.rewritten(uri, "metadata"));
      } catch (error) {
        if (!(error instanceof MissingIcebergFile)) throw error;
      }
    }
    const json = rewriteTableMetadata(document, {
      map: (uri) => this.mapper.map(uri),
      rewritten: (uri) => rewritten.get(uri),
    });
    // The rewritten file keeps the source file's name, so it is compressed alike.
    return metadataFileBytes(sourceUri, json);
  }

  private async manifestList(sourceUri: string, source: Uint8Array): Promise<Uint8Array> {
    const container = await readAvroContainer(source, sourceUri);
    const rewritten = new Map<string, string>();
    await Promise.all(
      manifestPaths(container, sourceUri).map(async (uri) =>
        rewritten.set(uri, await this.rewritten(uri, "manifest")),
      ),
    );
    return writeAvroContainer(rewriteManifestList(container, sourceUri, (uri) => rewritten.get(uri)!));
  }

  private async manifest(sourceUri: string, source: Uint8Array): Promise<Uint8Array> {
    const container = await readAvroContainer(source, sourceUri);
    const { container: rewritten, files } = rewriteManifest(container, sourceUri, (uri) =>
      this.mapper.map(uri),
    );
    for (const file of files) this.dataFiles.add(file);
    return writeAvroContainer(rewritten);
  }
}

/** What rewriting a table's metadata tree into the target bucket would write. */
export async function planTableRewrite(input: PlanInput): Promise<PlanOutcome> {
  const planner = new TreePlanner(input.buckets, input.store, input.readConcurrency ?? 16);
  try {
    const metadataLocation = await planner.rewritten(input.metadataLocation, "metadata");
    return {
      plan: {
        metadataLocation,
        writes: planner.writes,
        reused: planner.reused,
        dataFiles: [...planner.dataFiles].sort(),
      },
    };
  } catch (error) {
    if (error instanceof UnsupportedIcebergTable || error instanceof MissingIcebergFile) {
      return { skipped: error.message };
    }
    throw error;
  }
}
