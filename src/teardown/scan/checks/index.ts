/**
 * The residual scan's checks, in the order they run and report. The direct checks see sizes and states the
 * tagged inventory cannot; the inventory (`tagging`) is evaluated after them, so it reports only what they did
 * not. The Flink and EMR Serverless checks run when their client is given.
 */
import { ServiceCheck } from "../types";
import { eksCheck } from "./eks";
import { ecsCheck } from "./ecs";
import { instanceCheck, natGatewayCheck } from "./ec2";
import { elasticacheCheck } from "./elasticache";
import { loadBalancerCheck } from "./elbv2";
import { emrServerlessCheck } from "./emrServerless";
import { inventoryCheck } from "./inventory";
import { msfCheck } from "./msf";
import { mskCheck } from "./msk";
import { rdsCheck } from "./rds";
import { sagemakerCheck } from "./sagemaker";

export const SERVICE_CHECKS: readonly ServiceCheck[] = [
  eksCheck,
  ecsCheck,
  mskCheck,
  rdsCheck,
  elasticacheCheck,
  sagemakerCheck,
  natGatewayCheck,
  loadBalancerCheck,
  instanceCheck,
  inventoryCheck,
  msfCheck,
  emrServerlessCheck,
];
