// EventBridge "AWS API Call via CloudTrail" envelopes for Glue table writes -> the table events the
// sync acts on. CloudTrail records requestParameters in camelCase (`tableInput.name`).
import * as z from "zod";

const TableInput = z.looseObject({ name: z.string().optional(), Name: z.string().optional() });

const GlueCallEnvelope = z.looseObject({
  id: z.string().optional(),
  source: z.string(),
  "detail-type": z.string(),
  detail: z.looseObject({
    eventName: z.string(),
    eventID: z.string().optional(),
    eventTime: z.string().optional(),
    errorCode: z.string().optional(),
    recipientAccountId: z.string().optional(),
    requestParameters: z
      .looseObject({
        catalogId: z.string().optional(),
        databaseName: z.string().optional(),
        name: z.string().optional(),
        tableInput: TableInput.optional(),
        /** BatchDeleteTable */
        tablesToDelete: z.array(z.string()).optional(),
      })
      .nullish(),
    /** BatchDeleteTable answers 200 with the tables it could not delete in `errors`. */
    responseElements: z
      .looseObject({
        errors: z
          .array(z.looseObject({ tableName: z.string().optional(), TableName: z.string().optional() }))
          .nullish(),
      })
      .nullish(),
  }),
});

export type GlueTableEventKind = "created" | "updated" | "deleted";

export interface GlueTableEvent {
  kind: GlueTableEventKind;
  eventId: string;
  database: string;
  table: string;
  /** Only when the caller named a catalog; otherwise the caller's own account's catalog. */
  catalogId?: string;
}

/** One CloudTrail call can name several tables (BatchDeleteTable): one event per table. */
export type DecodedEvent = { ok: true; events: GlueTableEvent[] } | { ok: false; ignored: string };

const KINDS: Record<string, GlueTableEventKind> = {
  CreateTable: "created",
  UpdateTable: "updated",
  DeleteTable: "deleted",
  BatchDeleteTable: "deleted",
};

export function decodeGlueTableEvent(envelope: unknown): DecodedEvent {
  const parsed = GlueCallEnvelope.safeParse(envelope);
  if (!parsed.success) return { ok: false, ignored: "not an EventBridge CloudTrail envelope" };
  const { detail } = parsed.data;
  if (parsed.data.source !== "aws.glue") return { ok: false, ignored: `source ${parsed.data.source}` };
  const kind = KINDS[detail.eventName];
  if (!kind) return { ok: false, ignored: `event ${detail.eventName} does not change a table definition` };
  if (detail.errorCode)
    return { ok: false, ignored: `the ${detail.eventName} call failed (${detail.errorCode})` };
  const parameters = detail.requestParameters ?? {};
  const failed = new Set(
    (detail.responseElements?.errors ?? []).map((e) => e.tableName ?? e.TableName).filter(Boolean),
  );
  const tables =
    detail.eventName === "BatchDeleteTable"
      ? (parameters.tablesToDelete ?? []).filter((name) => !failed.has(name))
      : [kind === "deleted" ? parameters.name : (parameters.tableInput?.name ?? parameters.tableInput?.Name)];
  const named = tables.filter((table): table is string => Boolean(table));
  if (parameters.databaseName && named.length === 0 && failed.size > 0) {
    return { ok: false, ignored: `the ${detail.eventName} call deleted no table (every entry failed)` };
  }
  if (!parameters.databaseName || named.length === 0) {
    return { ok: false, ignored: `${detail.eventName} without a database and table name` };
  }
  const eventId = detail.eventID ?? parsed.data.id ?? "unknown";
  return {
    ok: true,
    events: named.map((table) => ({
      kind,
      eventId,
      database: parameters.databaseName!,
      table,
      ...(parameters.catalogId ? { catalogId: parameters.catalogId } : {}),
    })),
  };
}

/** The EventBridge rule pattern that feeds the sync: successful Glue table writes only. */
export const SNOWFLAKE_SYNC_EVENT_PATTERN = {
  source: ["aws.glue"],
  "detail-type": ["AWS API Call via CloudTrail"],
  detail: {
    eventSource: ["glue.amazonaws.com"],
    eventName: ["CreateTable", "UpdateTable", "DeleteTable", "BatchDeleteTable"],
    errorCode: [{ exists: false }],
  },
} as const;
