// Makes a role a Lake Formation data lake admin WITHOUT removing anyone: the
// aws_lakeformation_data_lake_settings resource owns the whole settings object, so it is fed the
// current settings (data source) with the role added. The seed replaced the admin list instead.
import { DataAwsLakeformationDataLakeSettings } from "@cdktf/provider-aws/lib/data-aws-lakeformation-data-lake-settings/index.js";
import { LakeformationDataLakeSettings } from "@cdktf/provider-aws/lib/lakeformation-data-lake-settings/index.js";
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";

export class DataLakeAdmin extends Construct {
  constructor(scope: Construct, id: string, props: { adminArn: string }) {
    super(scope, id);
    const current = new DataAwsLakeformationDataLakeSettings(this, "current", {});
    new LakeformationDataLakeSettings(this, "settings", {
      admins: Token.asList(Fn.distinct(Fn.concat([current.admins, [props.adminArn]]))),
      readOnlyAdmins: current.readOnlyAdmins,
      trustedResourceOwners: current.trustedResourceOwners,
      parameters: Token.asStringMap(current.parameters),
      createDatabaseDefaultPermissions: Token.asAny(current.createDatabaseDefaultPermissions),
      createTableDefaultPermissions: Token.asAny(current.createTableDefaultPermissions),
      allowExternalDataFiltering: current.allowExternalDataFiltering,
      externalDataFilteringAllowList: current.externalDataFilteringAllowList,
      authorizedSessionTagValueList: current.authorizedSessionTagValueList,
      allowFullTableExternalDataAccess: current.allowFullTableExternalDataAccess,
    });
  }
}
