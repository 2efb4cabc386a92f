import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsClients } from "./clients.ts";

/** The clients callerAccount needs, for the entry point's registry (modules/aws/clients.ts). */
export const callerAccountClients = { sts: STSClient };

/** The account the ambient credentials act in (STS GetCallerIdentity; needs the sts client registered). */
export async function callerAccount(clients: AwsClients, region: string): Promise<string | undefined> {
  return (await clients.get("sts", { region }).send(new GetCallerIdentityCommand({}))).Account;
}
