/**
 * Regenerates policies/data/taggable-types.json: every resource type of the installed @pulumi/aws whose inputs
 * include `tags`. DA-10 reads it to know which resources must carry the mandatory tags. A test fails when the
 * file is out of step with the installed provider: run `npm run generate:taggable` after upgrading it.
 */
import * as fs from "fs";
import * as path from "path";

export const TAGGABLE_FILE = path.join(__dirname, "..", "policies", "data", "taggable-types.json");

export function scanTaggableTypes(awsRoot = path.dirname(require.resolve("@pulumi/aws/package.json"))): string[] {
  const types: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && entry.name !== "types") walk(full);
      } else if (entry.name.endsWith(".js")) {
        const text = fs.readFileSync(full, "utf8");
        const m = /static __pulumiType = '([^']+)'/.exec(text);
        if (m && text.includes('resourceInputs["tags"] = args?.tags;')) types.push(m[1]);
      }
    }
  };
  walk(awsRoot);
  return types.sort();
}

if (require.main === module) {
  const types = scanTaggableTypes();
  fs.writeFileSync(TAGGABLE_FILE, `${JSON.stringify(types, null, 1)}\n`);
  console.log(`wrote ${types.length} taggable types to ${path.relative(process.cwd(), TAGGABLE_FILE)}`);
}
