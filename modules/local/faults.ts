// Configures local AWS's fault injection (scripts/localaws/faults.py and capture_faults.py): API
// calls that are throttled, fail with 5xx, are refused for lack of permissions, lose their
// connection before or after being applied, or apply only part of a batch; CloudTrail deliveries
// that are dropped, duplicated, delayed or reordered. Rules live in a named scope so parallel tests on one server keep theirs apart.

export type ApiFaultKind =
  | "throttle"
  | "5xx"
  | "reset"
  | "timeout"
  | "partial-batch-failure"
  | "access-denied";
export type CaptureFaultKind = "drop" | "duplicate" | "delay" | "reorder";

export interface FaultRule {
  kind: ApiFaultKind | CaptureFaultKind;
  /** SigV4 service name(s): glue, lakeformation, dynamodb, ... (absent: any). */
  service?: string | string[];
  /** API operation(s), or for capture kinds the recorded eventName(s). */
  operation?: string | string[];
  /** The account the call acts in; for sts AssumeRole, the role's account. */
  account?: string | string[];
  /** Capture kinds only: which delivery path (absent: both). */
  path?: "eventbridge" | "lookup";
  /** Fire on these matching calls (1-based). */
  nth?: number[];
  /** Fire with this probability, drawn from the scope's seeded generator. */
  probability?: number;
  /**
   * Fire on calls beyond this rate (a token bucket of `burst` tokens, default the rate, refilled
   * continuously), as AWS throttles past a request-rate quota. Replaces nth and probability.
   */
  ratePerSecond?: number;
  burst?: number;
  maxFaults?: number;
  /** timeout and reset: how long the caller is held before the connection is closed. */
  delayMs?: number;
  /** delay: how long a delivery is held. */
  delaySeconds?: number;
  /** partial-batch-failure: share of the entries that fail (at least one). */
  entries?: number;
}

export interface FaultReport {
  injected: Partial<Record<FaultRule["kind"], number>>;
  rules: Array<{ kind: string; seen: number; fired: number }>;
}

export class LocalFaults {
  constructor(private readonly endpoint: string) {}

  /** Replaces the scope's rules. */
  async set(scope: string, rules: FaultRule[], seed = 0): Promise<void> {
    const response = await fetch(new URL("/_lakesync/faults", this.endpoint), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ scope, seed, rules }),
    });
    if (!response.ok) throw new Error(`local AWS faults: ${await response.text()}`);
  }

  /** What the scope injected so far (undefined when it has no rules). */
  async report(scope: string): Promise<FaultReport | undefined> {
    const response = await fetch(new URL("/_lakesync/faults", this.endpoint));
    if (!response.ok) throw new Error(`local AWS faults: HTTP ${response.status}`);
    return ((await response.json()) as { scopes: Record<string, FaultReport> }).scopes[scope];
  }

  /** Faults the scope injected, all kinds together. */
  async injected(scope: string): Promise<number> {
    const report = await this.report(scope);
    return Object.values(report?.injected ?? {}).reduce((sum, n) => sum + (n ?? 0), 0);
  }

  async clear(scope: string): Promise<void> {
    const url = new URL("/_lakesync/faults", this.endpoint);
    url.searchParams.set("scope", scope);
    const response = await fetch(url, { method: "DELETE" });
    if (!response.ok) throw new Error(`local AWS faults: HTTP ${response.status}`);
  }
}
