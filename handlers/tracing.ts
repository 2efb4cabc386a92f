// The replicator's and the batch worker's tracing, chosen at their first event: a module of its
// own, apart from shared.ts, so that only these two handlers carry the lazy tracer chunk.
import type { ClientOptions } from "../modules/aws/clients.ts";

/**
 * How a handler traces: with SDK-call tracing (deployment.lambda.traceSdkCalls), the options that
 * make each call of its clients a subsegment and a wrapper giving each invocation its own; without
 * it, no client options and the handler as it is.
 */
export interface HandlerTracing {
  clientOptions: Pick<ClientOptions, "instrument">;
  traced<E extends { Records?: unknown[] }, R>(
    name: string,
    handle: (event: E) => Promise<R>,
  ): (event: E) => Promise<R>;
}

/** The handler's tracing; the tracer and its X-Ray SDK load (sdk-call-tracing.ts) only when on. */
export async function handlerTracing(traceSdkCalls: boolean, serviceName: string): Promise<HandlerTracing> {
  if (!traceSdkCalls) return { clientOptions: {}, traced: (_name, handle) => handle };
  const tracing = (await import("./sdk-call-tracing.ts")).sdkCallTracing(serviceName);
  return { clientOptions: { instrument: tracing.instrument }, traced: tracing.traced };
}
