// Reads local AWS's per-API call counter (scripts/localaws/calls.py): how many calls lakesync made,
// per service, operation and account. Tests use it to prove an event was applied once; benchmarks
// to count the calls a command costs. Only the embedded local AWS serves this endpoint.

export interface CallCount {
  /** SigV4 signing name: glue, lakeformation, dynamodb, s3, sqs, sts, ... */
  service: string;
  /** API operation, e.g. CreateDatabase, BatchCreatePartition, PutItem. */
  operation: string;
  account: string;
  count: number;
  /** Calls answered with HTTP 4xx/5xx (including injected faults). */
  errors: number;
  /** CPU seconds local AWS's serving threads spent on these calls (what they cost the server). */
  cpuSeconds: number;
}

export class LocalCallCounts {
  constructor(private readonly endpoint: string) {}

  /** Every counted call, optionally only one account's. */
  async list(account?: string): Promise<CallCount[]> {
    const response = await fetch(this.url("/_lakesync/calls", account));
    if (!response.ok)
      throw new Error(`local AWS call counter: HTTP ${response.status} from ${this.endpoint}`);
    return ((await response.json()) as { calls: CallCount[] }).calls;
  }

  /** Calls of one operation in one account (0 when none were made). */
  async count(service: string, operation: string, account: string): Promise<number> {
    const calls = await this.list(account);
    return calls.find((c) => c.service === service && c.operation === operation)?.count ?? 0;
  }

  /** Totals per "service:Operation" for one account, e.g. {"glue:CreateTable": 3}. */
  async byOperation(account: string): Promise<Record<string, number>> {
    const totals: Record<string, number> = {};
    for (const call of await this.list(account)) totals[`${call.service}:${call.operation}`] = call.count;
    return totals;
  }

  /** Forgets the counts (of one account, or all). */
  async reset(account?: string): Promise<void> {
    const response = await fetch(this.url("/_lakesync/calls/reset", account), { method: "POST" });
    if (!response.ok)
      throw new Error(`local AWS call counter: HTTP ${response.status} from ${this.endpoint}`);
  }

  private url(path: string, account: string | undefined): string {
    const url = new URL(path, this.endpoint);
    if (account) url.searchParams.set("account", account);
    return url.toString();
  }
}
