// LF tags in the mesh: the assignments the tag rules ask for over the live tables (globs, so
// tables a crawler adds later are tagged on the next run), a table's effective tags (a table
// tag overrides its database's tag of the same key, as Lake Formation inherits them), and
// whether a tag expression selects a resource.
import { recordKeys, type TagAssignmentValue } from "../catalog/model.ts";
import { globToRegExp } from "../mapping/mapping.ts";
import { dataTablesOf, type LiveCatalog } from "./live.ts";
import type { TagRule } from "./spec.ts";

export type Tags = Record<string, string>;

/** recordKeys.tagAssignment -> the assignment the rules ask for over the live catalog (later rules win per key). */
export function desiredAssignments(
  rules: readonly TagRule[],
  live: LiveCatalog,
): Map<string, TagAssignmentValue> {
  const wanted = new Map<string, { Resource: TagAssignmentValue["Resource"]; tags: Tags }>();
  const put = (key: string, Resource: TagAssignmentValue["Resource"], tags: Tags) => {
    const entry = wanted.get(key) ?? { Resource, tags: {} };
    entry.tags = { ...entry.tags, ...tags };
    wanted.set(key, entry);
  };
  const databases = [...live.databases.keys()].sort();
  for (const rule of rules) {
    const databasePattern = globToRegExp(rule.databases);
    for (const database of databases.filter((d) => databasePattern.test(d))) {
      if (rule.tables === undefined) {
        put(recordKeys.tagAssignment(database), { Database: { Name: database } }, rule.tags);
        continue;
      }
      const pattern = globToRegExp(rule.tables);
      for (const table of dataTablesOf(live, database).filter((t) => pattern.test(t))) {
        if (!rule.columns) {
          put(
            recordKeys.tagAssignment(database, table),
            { Table: { DatabaseName: database, Name: table } },
            rule.tags,
          );
          continue;
        }
        for (const column of rule.columns) {
          const Resource = {
            TableWithColumns: { DatabaseName: database, Name: table, ColumnNames: [column] },
          };
          put(recordKeys.tagAssignment(database, table, column), Resource, rule.tags);
        }
      }
    }
  }
  return new Map([...wanted].map(([key, { Resource, tags }]) => [key, { Resource, LFTags: tagPairs(tags) }]));
}

/** Key -> value as the sorted LFTags list of an assignment. */
export function tagPairs(tags: Tags): TagAssignmentValue["LFTags"] {
  return Object.keys(tags)
    .sort()
    .map((TagKey) => ({ TagKey, TagValues: [tags[TagKey] as string] }));
}

export function tagsOf(assignment: TagAssignmentValue | undefined): Tags {
  return Object.fromEntries((assignment?.LFTags ?? []).map((t) => [t.TagKey, t.TagValues[0] ?? ""]));
}

/** A table's effective tags: its database's, overridden by its own. */
export function effectiveTableTags(
  assignments: ReadonlyMap<string, TagAssignmentValue>,
  database: string,
  table: string,
): Tags {
  return {
    ...tagsOf(assignments.get(recordKeys.tagAssignment(database))),
    ...tagsOf(assignments.get(recordKeys.tagAssignment(database, table))),
  };
}

/** Whether every key of the expression has one of its values among the tags. */
export function expressionMatches(expression: Record<string, readonly string[]>, tags: Tags): boolean {
  return Object.entries(expression).every(([key, values]) => {
    const value = tags[key];
    return value !== undefined && values.includes(value);
  });
}

/**
 * The assignments in place once the plan is applied: the rules' assignments, and for resources
 * the rules do not name, what is live (undeclared keys are never touched).
 */
export function assignmentsAfterApply(
  desired: ReadonlyMap<string, TagAssignmentValue>,
  live: ReadonlyMap<string, TagAssignmentValue>,
): Map<string, TagAssignmentValue> {
  const after = new Map(live);
  for (const [key, value] of desired) {
    const merged = { ...tagsOf(live.get(key)), ...tagsOf(value) };
    after.set(key, { Resource: value.Resource, LFTags: tagPairs(merged) });
  }
  return after;
}

/** The central databases the mesh governs: the producers' declared ones and those a rule's glob matches. */
export function governedDatabases(
  rules: readonly TagRule[],
  declared: readonly string[],
  live: LiveCatalog,
): string[] {
  const patterns = rules.map((rule) => globToRegExp(rule.databases));
  const matched = [...live.databases.keys()].filter((d) => patterns.some((p) => p.test(d)));
  return [...new Set([...declared, ...matched])].sort();
}
