// A pure stand-in for the accounts the mesh planner reads: live catalogs per account, and the
// planner's operations applied to them as Lake Formation and Glue would (so a unit test can plan,
// apply and plan again). Resources arrive in the reader's normal form, as the planner builds them.
import { recordKeys } from "../../modules/catalog/model.ts";
import { adminIds } from "../../modules/mapping/settings.ts";
import { emptyCatalog, type LiveCatalog } from "../../modules/mesh/live.ts";
import { commandInput, mergeDirectives } from "../../modules/operations/directives.ts";
import type { TargetOperation } from "../../modules/operations/operation.ts";

// biome-ignore lint/suspicious/noExplicitAny: SDK-shaped JSON, read loosely like the service does.
type Input = Record<string, any>;

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

export function catalogWith(
  account: string,
  tables: Record<string, string[]> = {},
  settings: Input = {},
): LiveCatalog {
  const live = emptyCatalog(account);
  live.settings = settings;
  for (const [database, names] of Object.entries(tables)) {
    live.databases.set(database, { Name: database });
    for (const name of names)
      live.tables.set(recordKeys.table(database, name), {
        DatabaseName: database,
        TableInput: { Name: name },
      });
  }
  return live;
}

function assignmentKey(resource: Input): string {
  if (resource.Database) return recordKeys.tagAssignment(resource.Database.Name);
  if (resource.Table) return recordKeys.tagAssignment(resource.Table.DatabaseName, resource.Table.Name);
  const t = resource.TableWithColumns;
  return recordKeys.tagAssignment(t.DatabaseName, t.Name, t.ColumnNames[0]);
}

/** Applies the operations to the accounts' live catalogs, as AWS would. */
export function applyOperations(
  live: Map<string, LiveCatalog>,
  operations: readonly TargetOperation[],
): void {
  for (const op of operations) {
    const catalog = live.get(op.target.account) ?? emptyCatalog(op.target.account);
    live.set(op.target.account, catalog);
    applyOne(
      catalog,
      op.operation,
      commandInput(op.input) as Input,
      mergeDirectives(op.input).keepAdmins ?? [],
    );
  }
}

function applyOne(live: LiveCatalog, operation: string, input: Input, keepAdmins: string[]): void {
  switch (operation) {
    case "PutDataLakeSettings": {
      const kept = adminIds(live.settings).filter((a) => keepAdmins.includes(a));
      const admins = sorted([...adminIds(input.DataLakeSettings), ...kept]);
      live.settings = {
        ...input.DataLakeSettings,
        DataLakeAdmins: admins.map((id) => ({ DataLakePrincipalIdentifier: id })),
      };
      return;
    }
    case "CreateLFTag":
      live.lfTags[input.TagKey] = sorted([...(live.lfTags[input.TagKey] ?? []), ...input.TagValues]);
      return;
    case "UpdateLFTag": {
      const removed = new Set<string>(input.TagValuesToDelete ?? []);
      live.lfTags[input.TagKey] = sorted([
        ...(live.lfTags[input.TagKey] ?? []),
        ...(input.TagValuesToAdd ?? []),
      ]).filter((v) => !removed.has(v));
      return;
    }
    case "DeleteLFTag":
      delete live.lfTags[input.TagKey];
      return;
    case "AddLFTagsToResource":
    case "RemoveLFTagsFromResource": {
      const key = assignmentKey(input.Resource);
      const current = live.tagAssignments.get(key)?.LFTags ?? [];
      const keys = new Set(input.LFTags.map((t: Input) => t.TagKey));
      const kept = current.filter((t) => !keys.has(t.TagKey));
      const LFTags = (operation === "AddLFTagsToResource" ? [...kept, ...input.LFTags] : kept).sort((a, b) =>
        a.TagKey < b.TagKey ? -1 : 1,
      );
      if (LFTags.length === 0) live.tagAssignments.delete(key);
      else live.tagAssignments.set(key, { Resource: input.Resource, LFTags });
      return;
    }
    case "GrantPermissions":
    case "RevokePermissions": {
      const principal = input.Principal.DataLakePrincipalIdentifier;
      const key = recordKeys.permission(principal, input.Resource);
      const have = live.permissions.get(key) ?? {
        Principal: input.Principal,
        Resource: input.Resource,
        Permissions: [],
        PermissionsWithGrantOption: [],
      };
      const withGrant: string[] = input.PermissionsWithGrantOption ?? [];
      if (operation === "GrantPermissions") {
        have.Permissions = sorted([...have.Permissions, ...input.Permissions, ...withGrant]);
        have.PermissionsWithGrantOption = sorted([...have.PermissionsWithGrantOption, ...withGrant]);
      } else {
        have.Permissions = have.Permissions.filter((p) => !input.Permissions.includes(p));
        have.PermissionsWithGrantOption = have.PermissionsWithGrantOption.filter(
          (p) => !withGrant.includes(p) && !input.Permissions.includes(p),
        );
      }
      if (have.Permissions.length === 0) live.permissions.delete(key);
      else live.permissions.set(key, have);
      return;
    }
    case "CreateDatabase":
      live.databases.set(input.DatabaseInput.Name, input.DatabaseInput);
      return;
    case "DeleteDatabase":
      live.databases.delete(input.Name);
      return;
    case "CreateTable":
    case "UpdateTable":
      live.tables.set(recordKeys.table(input.DatabaseName, input.TableInput.Name), {
        DatabaseName: input.DatabaseName,
        TableInput: input.TableInput,
      });
      return;
    case "DeleteTable":
      live.tables.delete(recordKeys.table(input.DatabaseName, input.Name));
      return;
    case "AcceptResourceShareInvitation":
      for (const invitation of live.invitations) {
        if (invitation.arn === input.resourceShareInvitationArn) invitation.status = "ACCEPTED";
      }
      return;
    default:
      throw new Error(`the mesh planner does not emit ${operation}`);
  }
}
