// The facts `mesh explain` evaluates, read live: the asked table (a resource link names its
// target), the target's effective LF tags, the grants of the owner's, the link's and the
// principal's catalogs, the owner's cross-account version, and the RAM invitations from the owner.
import { EntityNotFoundException, GetTableCommand } from "@aws-sdk/client-glue";
import {
  GetDataLakeSettingsCommand,
  GetResourceLFTagsCommand,
  paginateListPermissions,
} from "@aws-sdk/client-lakeformation";
import type { Json, PermissionValue } from "../catalog/model.ts";
import { permissionRecord } from "../catalog/normalise.ts";
import type { CatalogGrants, ExplainFacts, TableName } from "../mesh/explain.ts";
import type { MeshAccount } from "../mesh/spec.ts";
import type { Tags } from "../mesh/tags.ts";
import type { AwsClients } from "./clients.ts";
import { readInvitations } from "./mesh-reader.ts";

export interface ExplainQuestion {
  principal: string;
  principalAccount: string;
  asked: TableName;
}

/** Reaches an account (the config's role for it, or the caller's credentials). */
export type Locate = (account: string) => MeshAccount;

async function readTable(clients: AwsClients, where: MeshAccount, database: string, table: string) {
  try {
    const answer = await clients
      .get("glue", where)
      .send(new GetTableCommand({ DatabaseName: database, Name: table }));
    return answer.Table;
  } catch (error) {
    if (error instanceof EntityNotFoundException) return undefined;
    throw error;
  }
}

async function readGrants(clients: AwsClients, where: MeshAccount): Promise<CatalogGrants> {
  const grants = new Map<string, PermissionValue>();
  for await (const page of paginateListPermissions({ client: clients.get("lakeformation", where) }, {})) {
    for (const row of page.PrincipalResourcePermissions ?? []) {
      const record = permissionRecord(row as unknown as Json, where.account);
      grants.set(`${record.key}#${grants.size}`, record.value);
    }
  }
  return { account: where.account, grants: [...grants.values()] };
}

async function readTags(clients: AwsClients, where: MeshAccount, t: TableName): Promise<Tags> {
  const answer = await clients
    .get("lakeformation", where)
    .send(new GetResourceLFTagsCommand({ Resource: { Table: { DatabaseName: t.database, Name: t.table } } }));
  // Without ShowAssignedLFTags the table's tags include those inherited from its database.
  return Object.fromEntries(
    (answer.LFTagsOnTable ?? []).map((tag) => [String(tag.TagKey), tag.TagValues?.[0] ?? ""]),
  );
}

async function crossAccountVersion(clients: AwsClients, where: MeshAccount): Promise<number | undefined> {
  const answer = await clients.get("lakeformation", where).send(new GetDataLakeSettingsCommand({}));
  const version = answer.DataLakeSettings?.Parameters?.CROSS_ACCOUNT_VERSION;
  return version === undefined ? undefined : Number(version);
}

async function invitationsFrom(clients: AwsClients, where: MeshAccount, owner: string) {
  return (await readInvitations(clients, where))
    .filter((i) => i.sender === owner)
    .map((i) => ({ arn: i.arn, status: i.status }));
}

export async function readExplainFacts(
  clients: AwsClients,
  locate: Locate,
  question: ExplainQuestion,
): Promise<ExplainFacts> {
  const { asked, principal, principalAccount } = question;
  const askedWhere = locate(asked.account);
  const table = await readTable(clients, askedWhere, asked.database, asked.table);
  const link = table?.TargetTable;
  const target: TableName = link
    ? { account: String(link.CatalogId), database: String(link.DatabaseName), table: String(link.Name) }
    : asked;
  const ownerWhere = locate(target.account);
  const targetExists = link
    ? (await readTable(clients, ownerWhere, target.database, target.table)) !== undefined
    : table !== undefined;
  const owner = await readGrants(clients, ownerWhere);
  const facts: ExplainFacts = {
    principal,
    principalAccount,
    asked,
    askedExists: table !== undefined,
    isLink: link !== undefined,
    target: {
      ...target,
      exists: targetExists,
      tags: targetExists ? await readTags(clients, ownerWhere, target) : {},
    },
    owner: { ...owner, ...withVersion(await crossAccountVersion(clients, ownerWhere)) },
    invitations: [],
  };
  if (principalAccount !== target.account) {
    const home = locate(principalAccount);
    facts.principalCatalog = await readGrants(clients, home);
    facts.invitations = await invitationsFrom(clients, home, target.account);
  }
  if (link) {
    facts.linkCatalog =
      asked.account === principalAccount && facts.principalCatalog
        ? facts.principalCatalog
        : asked.account === target.account
          ? owner
          : await readGrants(clients, askedWhere);
  }
  return facts;
}

const withVersion = (version: number | undefined) =>
  version === undefined ? {} : { crossAccountVersion: version };
