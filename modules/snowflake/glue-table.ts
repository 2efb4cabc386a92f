// The slice of a Glue `Table` (GetTable's shape) that DDL generation reads. Validated with zod so
// the CLI can take a JSON file and the handler an SDK response through the same door.
import * as z from "zod";

export const GlueColumn = z.looseObject({
  Name: z.string(),
  Type: z.string().optional(),
  Comment: z.string().optional(),
});
export type GlueColumn = z.infer<typeof GlueColumn>;

export const GlueTable = z.looseObject({
  Name: z.string(),
  DatabaseName: z.string().optional(),
  TableType: z.string().optional(),
  Description: z.string().optional(),
  /** Increases with every UpdateTable; the previous definition is version - 1. */
  VersionId: z.string().optional(),
  Parameters: z.record(z.string(), z.string()).optional(),
  PartitionKeys: z.array(GlueColumn).optional(),
  StorageDescriptor: z
    .looseObject({
      Columns: z.array(GlueColumn).optional(),
      Location: z.string().optional(),
      InputFormat: z.string().optional(),
      OutputFormat: z.string().optional(),
      SerdeInfo: z
        .looseObject({
          SerializationLibrary: z.string().optional(),
          Parameters: z.record(z.string(), z.string()).optional(),
        })
        .optional(),
    })
    .optional(),
});
export type GlueTable = z.infer<typeof GlueTable>;
