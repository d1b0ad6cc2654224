/** SageMaker real-time endpoints in an active state (they are deleted, not scaled, by a teardown). */
import { Finding, fromPairs, serviceCheck } from "../types";

const client = "@aws-sdk/client-sagemaker";
const ACTIVE = ["InService", "Creating", "Updating", "SystemUpdating", "RollingBack", "UpdateRollbackFailed"];

export const sagemakerCheck = serviceCheck({
  id: "sagemaker",
  description: "SageMaker real-time endpoints in an active state",
  commands: [
    { client, operation: "ListEndpoints", action: "sagemaker:ListEndpoints" },
    { client, operation: "ListTags", action: "sagemaker:ListTags" },
  ],
  async *scan({ sagemaker }, ctx): AsyncGenerator<Finding> {
    const { ListTagsCommand, paginateListEndpoints } = await import("@aws-sdk/client-sagemaker");
    for await (const page of paginateListEndpoints({ client: sagemaker }, {})) {
      for (const ep of page.Endpoints ?? []) {
        if (!ep.EndpointArn) continue;
        const tags = fromPairs((await sagemaker.send(new ListTagsCommand({ ResourceArn: ep.EndpointArn }))).Tags);
        if (!ctx.inScope(tags)) continue;
        const status = ep.EndpointStatus ?? "?";
        if (status === "Deleting") {
          yield { kind: "deleting", arn: ep.EndpointArn, state: status };
          continue;
        }
        const runningRemedy = "delete the endpoint (SageMaker endpoints are deleted, not scaled, at P17)";
        yield {
          kind: "resource",
          arn: ep.EndpointArn,
          name: ep.EndpointName ?? "",
          detail: `status ${status}`,
          running: ACTIVE.includes(status),
          runningRemedy,
          billsAtRest: false,
        };
      }
    }
  },
});
