// Template pieces that exist only when a stage parameter asks for them, resolved by osls while it
// reads serverless.yml (${file(infra/aws/options.js):name}). Computed here rather than with
// CloudFormation Conditions: the parameters are known at package time, so the packaged template
// holds exactly what is deployed (and cfn-lint has no constant conditions to warn about).
const list = (value) =>
  String(value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const param = (resolveVariable, name) => resolveVariable(`param:${name}`);

/** Both subnetIds and securityGroupIds set put the functions in that VPC (a private database); {} = none. */
async function vpc({ resolveVariable }) {
  const subnetIds = list(await param(resolveVariable, 'subnetIds'));
  const securityGroupIds = list(await param(resolveVariable, 'securityGroupIds'));
  if (subnetIds.length === 0 && securityGroupIds.length === 0) return {};
  if (subnetIds.length === 0 || securityGroupIds.length === 0) {
    throw new Error('stage parameters subnetIds and securityGroupIds go together: set both (comma-separated) or neither');
  }
  return { SubnetIds: subnetIds, SecurityGroupIds: securityGroupIds };
}

/** The roles' managed policies: in a VPC, Lambda manages the functions' network interfaces through the role. */
module.exports.vpcManagedPolicies = async (context) =>
  Object.keys(await vpc(context)).length === 0
    ? []
    : // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string, not a template literal
      [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole' }];

/**
 * Properties added to each function: the VPC, and reserved concurrency only when the stage asks
 * for it (N > 0). (osls's own `vpc` and `reservedConcurrency` settings cannot be left out
 * by a stage parameter without a configuration warning.)
 */
module.exports.functionProperties = async (context) => {
  const { resolveVariable } = context;
  const network = await vpc(context);
  const reserved = Number(await param(resolveVariable, 'reservedConcurrency'));
  if (!Number.isInteger(reserved) || reserved < 0) throw new Error('stage parameter reservedConcurrency must be a whole number >= 0');
  return {
    ...(Object.keys(network).length > 0 ? { VpcConfig: network } : {}),
    ...(reserved > 0 ? { ReservedConcurrentExecutions: reserved } : {}),
  };
};

/** The alarm topic's subscriptions: an email address, when alarmEmail is set. */
module.exports.alarmSubscriptions = async ({ resolveVariable }) => {
  const email = String((await param(resolveVariable, 'alarmEmail')) ?? '').trim();
  return email ? [{ Protocol: 'email', Endpoint: email }] : [];
};

/**
 * The archive of the pipeline bus. MiniStack's CloudFormation has no AWS::Events::Archive, so on
 * the local stage (archiveInTemplate false) infra/local/deploy.ts creates it through the API.
 */
module.exports.archive = async ({ resolveVariable }) => {
  if (String(await param(resolveVariable, 'archiveInTemplate')) !== 'true') return {};
  return {
    Resources: {
      PipelineEventArchive: {
        Type: 'AWS::Events::Archive',
        Properties: {
          ArchiveName: await resolveVariable('self:custom.eventBusName'),
          Description: 'launches.changed events of the pipeline bus, for replay',
          SourceArn: { 'Fn::GetAtt': ['PipelineEventBus', 'Arn'] },
          RetentionDays: Number(await param(resolveVariable, 'archiveRetentionDays')),
        },
      },
    },
  };
};
