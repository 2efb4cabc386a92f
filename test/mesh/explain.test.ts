// `mesh explain`'s pure evaluation: which grant, link or setting gives DESCRIBE and SELECT on a
// table, and exactly what is missing when one does not.
import { describe, expect, it } from "vitest";
import type { PermissionValue } from "../../modules/catalog/model.ts";
import { type ExplainFacts, explainAccess, explanationLines } from "../../modules/mesh/explain.ts";

const CENTRAL = "111111111111";
const CONSUMER = "333333333333";
const analyst = `arn:aws:iam::${CONSUMER}:role/analysts`;
const local = `arn:aws:iam::${CENTRAL}:role/engineers`;

const grant = (
  principal: string,
  Resource: Record<string, unknown>,
  permissions: string[],
  withGrant: string[] = [],
): PermissionValue => ({
  Principal: { DataLakePrincipalIdentifier: principal },
  Resource,
  Permissions: permissions,
  PermissionsWithGrantOption: withGrant,
});

const tagPolicy = {
  LFTagPolicy: { ResourceType: "TABLE", Expression: [{ TagKey: "domain", TagValues: ["sales"] }] },
};
const target = { Table: { CatalogId: CENTRAL, DatabaseName: "sales", Name: "orders" } };
const link = { Table: { DatabaseName: "shared", Name: "orders" } };

/** The consumer's analyst asking for shared.orders, a link to central's sales.orders, all in place. */
function facts(change: (f: ExplainFacts) => void = () => {}): ExplainFacts {
  const f: ExplainFacts = {
    principal: analyst,
    principalAccount: CONSUMER,
    asked: { account: CONSUMER, database: "shared", table: "orders" },
    askedExists: true,
    isLink: true,
    target: { account: CENTRAL, database: "sales", table: "orders", exists: true, tags: { domain: "sales" } },
    owner: {
      account: CENTRAL,
      crossAccountVersion: 4,
      grants: [grant(CONSUMER, tagPolicy, ["DESCRIBE", "SELECT"], ["DESCRIBE", "SELECT"])],
    },
    principalCatalog: {
      account: CONSUMER,
      grants: [grant(analyst, link, ["DESCRIBE"]), grant(analyst, target, ["DESCRIBE", "SELECT"])],
    },
    invitations: [{ arn: "arn:aws:ram:us-east-1:111111111111:resource-share/s", status: "ACCEPTED" }],
  };
  f.linkCatalog = f.principalCatalog;
  change(f);
  return f;
}

describe("explainAccess", () => {
  it("allows a consumer principal through the link, the account's tag-policy grant and the re-grant", () => {
    const explanation = explainAccess(facts());
    expect(explanation).toMatchObject({ allowed: true, target: `${CENTRAL}:sales.orders` });
    expect(explanation.select.via).toEqual([
      `link: DESCRIBE to ${analyst} in ${CONSUMER}: named grant on the table`,
      `DESCRIBE, SELECT (grant option DESCRIBE, SELECT) to ${CONSUMER} in ${CENTRAL}: LF-Tag policy domain=sales`,
      `DESCRIBE, SELECT to ${analyst} in ${CONSUMER}: named grant on the table`,
    ]);
    expect(explanationLines(explanation).at(-1)).toBe("access allowed");
  });

  it("names the consumer's missing re-grant on the target", () => {
    const explanation = explainAccess(
      facts((f) => {
        f.principalCatalog = {
          account: CONSUMER,
          grants: [grant(analyst, link, ["DESCRIBE"]), grant(analyst, target, ["DESCRIBE"])],
        };
        f.linkCatalog = f.principalCatalog;
      }),
    );
    expect(explanation.describe.allowed).toBe(true);
    expect(explanation.select).toMatchObject({
      allowed: false,
      missing: [
        `SELECT on ${CENTRAL}:sales.orders (CatalogId ${CENTRAL}) granted to ${analyst} in ${CONSUMER}`,
      ],
    });
  });

  it("names the missing grant option, the missing link DESCRIBE and a pending RAM invitation", () => {
    const explanation = explainAccess(
      facts((f) => {
        f.owner.grants = [grant(CONSUMER, tagPolicy, ["DESCRIBE", "SELECT"], ["DESCRIBE"])];
        f.principalCatalog = { account: CONSUMER, grants: [grant(analyst, target, ["DESCRIBE", "SELECT"])] };
        f.linkCatalog = f.principalCatalog;
        f.invitations = [{ arn: "arn:share", status: "PENDING" }];
      }),
    );
    expect(explanation.select.missing).toEqual([
      `DESCRIBE on the resource link ${CONSUMER}:shared.orders granted to ${analyst} in ${CONSUMER}`,
      `grant option on SELECT in ${CENTRAL}'s grant to account ${CONSUMER} (without it the account's grants to its principals have no effect)`,
      `acceptance in ${CONSUMER} of the RAM invitation from ${CENTRAL} (arn:share)`,
    ]);
  });

  it("names the account grant a table's tags do not satisfy", () => {
    const explanation = explainAccess(facts((f) => (f.target.tags = { domain: "hr" })));
    expect(explanation.select.missing).toEqual([
      `SELECT on ${CENTRAL}:sales.orders granted to account ${CONSUMER} in ${CENTRAL} (a named grant, a table wildcard, or an LF-Tag policy its tags satisfy: domain=hr)`,
    ]);
  });

  it("a direct grant to a principal of another account needs cross-account version 3 or later", () => {
    const direct = (version: number) =>
      explainAccess(
        facts((f) => {
          f.owner = {
            account: CENTRAL,
            crossAccountVersion: version,
            grants: [grant(analyst, tagPolicy, ["ALL"])],
          };
          f.principalCatalog = { account: CONSUMER, grants: [grant(analyst, link, ["DESCRIBE"])] };
          f.linkCatalog = f.principalCatalog;
        }),
      );
    expect(direct(4).allowed).toBe(true);
    expect(direct(4).select.via).toContainEqual(expect.stringContaining("(cross-account principal grant)"));
    const pendingDirect = explainAccess(
      facts((f) => {
        f.owner = { account: CENTRAL, crossAccountVersion: 4, grants: [grant(analyst, tagPolicy, ["ALL"])] };
        f.invitations = [{ arn: "arn:invitation", status: "PENDING" }];
      }),
    );
    expect(pendingDirect.select.missing).toEqual([
      `acceptance in ${CONSUMER} of the RAM invitation from ${CENTRAL} (arn:invitation)`,
    ]);
    expect(direct(2).select.missing[0]).toBe(
      `cross-account version 3 or later in ${CENTRAL} (it is 2): its grant to ${analyst} has no effect before`,
    );
  });

  it("in the owner's own account: a table wildcard or IAMAllowedPrincipals grant allows, nothing denies", () => {
    const own = (grants: PermissionValue[]) =>
      explainAccess({
        principal: local,
        principalAccount: CENTRAL,
        asked: { account: CENTRAL, database: "sales", table: "orders" },
        askedExists: true,
        isLink: false,
        target: { account: CENTRAL, database: "sales", table: "orders", exists: true, tags: {} },
        owner: { account: CENTRAL, grants },
        invitations: [],
      });
    expect(
      own([grant(local, { Table: { DatabaseName: "sales", TableWildcard: {} } }, ["DESCRIBE", "SELECT"])])
        .allowed,
    ).toBe(true);
    expect(
      own([grant("IAM_ALLOWED_PRINCIPALS", { Table: { DatabaseName: "sales", Name: "orders" } }, ["ALL"])])
        .allowed,
    ).toBe(true);
    expect(own([]).select.missing).toEqual([
      `SELECT on ${CENTRAL}:sales.orders granted to ${local} in ${CENTRAL} (a named grant, a table wildcard, or an LF-Tag policy its tags satisfy: no LF tags)`,
    ]);
  });

  it("says when the table or the link's target does not exist", () => {
    expect(explainAccess(facts((f) => (f.askedExists = false))).select.missing).toEqual([
      `table ${CONSUMER}:shared.orders does not exist`,
    ]);
    expect(explainAccess(facts((f) => (f.target.exists = false))).select.missing).toEqual([
      `the link's target table ${CENTRAL}:sales.orders does not exist`,
    ]);
  });
});
