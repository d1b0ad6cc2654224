/** Writes docs/design-rules.md from policies/data/design-rules.json and the policy pack (src/policy/designRules.ts). */
import * as fs from "fs";
import * as path from "path";
import { policyPack } from "../policies/pack";
import { designRulesMarkdown } from "../src/policy/designRules";

const file = path.join(__dirname, "..", "docs", "design-rules.md");
fs.writeFileSync(file, designRulesMarkdown(policyPack.policies));
console.log(`wrote ${path.relative(process.cwd(), file)}`);
