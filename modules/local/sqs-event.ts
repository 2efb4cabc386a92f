// What Lambda's SQS event source mapping hands a handler, built from messages received on local
// AWS: the in-process harnesses (the bench's burst, the chaos sequences, the delivery tests) drive
// the capture handler with it the way the deployed mapping does.
import type { Message } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";

/** The event for a batch of received messages: the fields the capture handler reads. */
export function sqsEventOf(messages: readonly Message[]): SQSEvent {
  return {
    Records: messages.map((m) => ({
      messageId: m.MessageId,
      body: m.Body,
      receiptHandle: m.ReceiptHandle,
    })),
  } as unknown as SQSEvent;
}
