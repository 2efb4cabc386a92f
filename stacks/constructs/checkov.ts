// Checkov findings suppressed in code, next to the resource, each with its reason. They are written
// into the resource's "//" block of the synthesized Terraform JSON as "checkov:skip=<ID>:<reason>".
// checkov 3.3.30's terraform_json runner does not read skips itself (it scans every block with no
// skipped checks), so test/stacks/checkov.test.ts reads them from the same block and fails on any
// finding without one, and on any skip no finding needs.
import type { TerraformResource } from "cdktf";

const skipsOf = new WeakMap<TerraformResource, string[]>();

export const CHECKOV_SKIP_FIELD = "checkov";

export function suppressCheckov(resource: TerraformResource, checkId: string, reason: string): void {
  if (!/^CKV2?_[A-Z]+_\d+$/.test(checkId)) throw new Error(`not a checkov check id: ${checkId}`);
  if (reason.trim().length < 20) throw new Error(`${checkId}: a suppression needs a real reason`);
  const skips = [...(skipsOf.get(resource) ?? []), `checkov:skip=${checkId}:${reason}`];
  skipsOf.set(resource, skips);
  resource.addOverride(`//.${CHECKOV_SKIP_FIELD}`, skips);
}
