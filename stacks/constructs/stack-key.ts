// The customer-managed KMS key that encrypts a stack's data: journal table, queues, topics, log
// groups, buckets, schedules and Lambda environments. One per stack, or the key the config names
// (deployment.kmsKeyArn), whose policy the operator then keeps in step (README, security).
//
// The key policy names who may use the key: the stack's function roles (registered as functions
// are built, so the policy is resolved lazily) and the AWS services that encrypt the stack's data
// for it, each held to this account. The account root statement is what lets IAM policies and the
// deploying principal manage the key; without it the key could not be administered or deleted.
// It names the administrative actions one by one (no kms:*): using the key is for the statements
// below only, so no IAM policy in the account can decrypt the stack's data by being widened.
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias/index.js";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key/index.js";
import { Lazy } from "cdktf";
import { Construct } from "constructs";

export interface StackKeyProps {
  alias: string;
  account: string;
  region: string;
  /** An existing key to use instead of creating one. */
  existingKeyArn?: string;
}

/** What a principal needs to read and write data encrypted under the key. */
export const KEY_USE_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"];

/** What the account (the deploying principal, key administrators) may do with the key: manage it. */
export const KEY_ADMIN_ACTIONS = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:CreateGrant",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListAliases",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListKeyRotations",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:RetireGrant",
  "kms:RevokeGrant",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
];

export class StackKey extends Construct {
  readonly arn: string;
  /** The created key; undefined when the config names an existing one. */
  readonly key?: KmsKey;
  private readonly roleArns: string[] = [];

  constructor(scope: Construct, id: string, props: StackKeyProps) {
    super(scope, id);
    if (props.existingKeyArn) {
      this.arn = props.existingKeyArn;
      return;
    }
    const { account, region } = props;
    this.key = new KmsKey(this, "key", {
      description: `lakesync data key of ${props.alias}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: Lazy.stringValue({
        produce: () =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "AccountAdministersKey",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${account}:root` },
                Action: KEY_ADMIN_ACTIONS,
                Resource: "*",
              },
              ...(this.roleArns.length > 0
                ? [
                    {
                      Sid: "StackRolesUseKey",
                      Effect: "Allow",
                      Principal: { AWS: [...this.roleArns] },
                      Action: [...KEY_USE_ACTIONS, "kms:DescribeKey"],
                      Resource: "*",
                    },
                  ]
                : []),
              {
                Sid: "LogsEncryptStackLogGroups",
                Effect: "Allow",
                Principal: { Service: `logs.${region}.amazonaws.com` },
                Action: [
                  "kms:Encrypt*",
                  "kms:Decrypt*",
                  "kms:ReEncrypt*",
                  "kms:GenerateDataKey*",
                  "kms:Describe*",
                ],
                Resource: "*",
                Condition: {
                  ArnLike: {
                    "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${account}:log-group:*`,
                  },
                },
              },
              {
                // EventBridge delivers to the encrypted capture queues, CloudWatch alarms publish
                // to the encrypted alert topic, Scheduler decrypts its schedules' targets.
                Sid: "ServicesDeliverToStackResources",
                Effect: "Allow",
                Principal: {
                  Service: ["events.amazonaws.com", "cloudwatch.amazonaws.com", "scheduler.amazonaws.com"],
                },
                Action: KEY_USE_ACTIONS,
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceAccount": account } },
              },
            ],
          }),
      }),
    });
    new KmsAlias(this, "alias", { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
    this.arn = this.key.arn;
  }

  /** Lets a role of this stack use the key (key policy; the role's own policy grants it too). */
  allowRole(roleArn: string): void {
    this.roleArns.push(roleArn);
  }
}
