/** Entry point of the CrossGuard pack: `pulumi preview --policy-pack policies`. Only constructs the pack. */
import { PolicyPack } from "@pulumi/policy";
import { POLICY_PACK_NAME, policies } from "./pack";

new PolicyPack(POLICY_PACK_NAME, { enforcementLevel: "mandatory", policies });
