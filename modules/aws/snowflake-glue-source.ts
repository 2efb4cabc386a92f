// Glue adapter of the Snowflake sync's table source (modules/snowflake/glue-source.ts): paginators
// in, GlueTable values out; a table or version that does not exist is undefined.
import {
  EntityNotFoundException,
  GetTableCommand,
  GetTableVersionCommand,
  type GlueClient,
  paginateGetDatabases,
  paginateGetTables,
} from "@aws-sdk/client-glue";
import type { GlueTableSource, TableRef } from "../snowflake/glue-source.ts";
import { GlueTable } from "../snowflake/glue-table.ts";

export class SdkGlueTableSource implements GlueTableSource {
  constructor(private readonly glue: GlueClient) {}

  async getTable(ref: TableRef): Promise<GlueTable | undefined> {
    try {
      const { Table } = await this.glue.send(
        new GetTableCommand({ DatabaseName: ref.database, Name: ref.name, CatalogId: ref.catalogId }),
      );
      return Table ? GlueTable.parse(Table) : undefined;
    } catch (error) {
      if (error instanceof EntityNotFoundException) return undefined;
      throw error;
    }
  }

  async getPreviousVersion(ref: TableRef, current: GlueTable): Promise<GlueTable | undefined> {
    const previousId = Number(current.VersionId) - 1;
    if (!Number.isInteger(previousId) || previousId < 0) return undefined;
    try {
      const { TableVersion } = await this.glue.send(
        new GetTableVersionCommand({
          DatabaseName: ref.database,
          TableName: ref.name,
          CatalogId: ref.catalogId,
          VersionId: String(previousId),
        }),
      );
      return TableVersion?.Table ? GlueTable.parse(TableVersion.Table) : undefined;
    } catch (error) {
      if (error instanceof EntityNotFoundException) return undefined;
      throw error;
    }
  }

  async *databases(catalogId?: string): AsyncIterable<string> {
    for await (const page of paginateGetDatabases({ client: this.glue }, { CatalogId: catalogId })) {
      for (const database of page.DatabaseList ?? []) if (database.Name) yield database.Name;
    }
  }

  async *tables(database: string, catalogId?: string): AsyncIterable<GlueTable> {
    for await (const page of paginateGetTables(
      { client: this.glue },
      { DatabaseName: database, CatalogId: catalogId },
    )) {
      for (const table of page.TableList ?? []) yield GlueTable.parse(table);
    }
  }
}
