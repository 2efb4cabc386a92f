// SDK-call tracing for the replicator and the batch worker, when they are deployed with it
// (deployment.lambda.traceSdkCalls sets TRACE_SDK_CALLS_VARIABLE). The Powertools tracer brings the
// X-Ray SDK (aws-xray-sdk-core and cls-hooked: about 90 KB, CommonJS, so esbuild cannot shake it),
// so the handlers import this module only when the variable says so: a function deployed without
// it never loads them, and its bundle holds them in a chunk of their own.
import { Tracer } from "@aws-lambda-powertools/tracer";
import type { ServiceClient } from "../modules/aws/clients.ts";

export interface SdkCallTracing {
  /** Makes each call of the client a subsegment (the client registry's instrument hook). */
  instrument(client: ServiceClient): void;
  /** `handle` with each invocation in its own subsegment (see traced). */
  traced<E extends { Records?: unknown[] }, R>(
    name: string,
    handle: (event: E) => Promise<R>,
  ): (event: E) => Promise<R>;
}

export function sdkCallTracing(serviceName: string): SdkCallTracing {
  const tracer = new Tracer({ serviceName });
  return {
    instrument: (client) => {
      tracer.captureAWSv3Client(client);
    },
    traced: (name, handle) => traced(tracer, name, handle),
  };
}

/**
 * Runs each invocation in its own X-Ray subsegment ("## name") under the facade segment Lambda's
 * active tracing opens, annotated with the cold start, the service and the batch size; the SDK
 * calls of the clients given to the tracer (captureAWSv3Client) nest under it, so a slow batch
 * shows which Glue, Lake Formation or DynamoDB calls it waited on. Outside Lambda the tracer is
 * disabled and this calls straight through.
 */
export function traced<E extends { Records?: unknown[] }, R>(
  tracer: Tracer,
  name: string,
  handle: (event: E) => Promise<R>,
): (event: E) => Promise<R> {
  return async (event) => {
    const segment = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
    if (!segment) return handle(event);
    const subsegment = segment.addNewSubsegment(`## ${name}`);
    tracer.setSegment(subsegment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    tracer.putAnnotation("records", event.Records?.length ?? 0);
    try {
      return await handle(event);
    } catch (error) {
      tracer.addErrorAsMetadata(error as Error);
      throw error;
    } finally {
      subsegment.close();
      tracer.setSegment(segment);
    }
  };
}
