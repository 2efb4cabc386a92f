// SNS alerts of the Snowflake sync: one message per event that failed on its last delivery.
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";

/** The clients snsAlertPublisher needs, for the entry point's registry (modules/aws/clients.ts). */
export const snowflakeAlertClients = { sns: SNSClient };

export interface SyncAlert {
  eventId: string;
  table: string;
  error: string;
}

export interface AlertPublisher {
  publish(alert: SyncAlert): Promise<void>;
}

export function snsAlertPublisher(sns: SNSClient, topicArn: string): AlertPublisher {
  return {
    async publish(alert) {
      await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: `lakesync: Snowflake sync failed for ${alert.table}`.slice(0, 100),
          Message: JSON.stringify(alert),
        }),
      );
    },
  };
}
