// Reads and sets a test account's data lake admins directly (setup and assertions of the
// protected-admins tests), as a user would with the console or the CLI.
import { GetDataLakeSettingsCommand, PutDataLakeSettingsCommand } from "@aws-sdk/client-lakeformation";
import { client, type TestLocation } from "./local-aws.ts";

export async function putAdmins(location: TestLocation, admins: string[]): Promise<void> {
  await client("lakeformation", location).send(
    new PutDataLakeSettingsCommand({
      DataLakeSettings: { DataLakeAdmins: admins.map((id) => ({ DataLakePrincipalIdentifier: id })) },
    }),
  );
}

/** The admins' principal ARNs, sorted. */
export async function adminsOf(location: TestLocation): Promise<string[]> {
  const { DataLakeSettings } = await client("lakeformation", location).send(
    new GetDataLakeSettingsCommand({}),
  );
  return (DataLakeSettings?.DataLakeAdmins ?? []).map((a) => a.DataLakePrincipalIdentifier!).sort();
}
