// The operation builders: every producer (realtime planner, batch diff, seeds, the mesh
// reconciler) builds its TargetOperations here, so fields, keys and fallbacks agree.
export * from "./common.ts";
export * from "./glue.ts";
export * from "./lakeformation.ts";
export * from "./ram.ts";
export * from "./reads.ts";
