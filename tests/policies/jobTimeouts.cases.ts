import { databricksJobTimeout } from "../../policies/rules/jobTimeouts";
import { DATA_ML_STACK, T, dataMlCompliant, res, stackDoc } from "../helpers/dataMlOpsFixtures";
import { check, mutate } from "../helpers/policyFixtures";

const job = (inputs = dataMlCompliant.job()) => stackDoc(DATA_ML_STACK, res(DATA_ML_STACK, T.job, "ofs-build", inputs));

describe("DA-74 Databricks jobs with explicit timeouts", () => {
  it("stays quiet on a job with a job and task timeout", async () => {
    expect((await check(databricksJobTimeout, job())).violations).toEqual([]);
  });

  it.each([[undefined], [0], [-5], [1.5]])("fires when timeoutSeconds is %p", async (value) => {
    const r = await check(databricksJobTimeout, job(mutate(dataMlCompliant.job(), "timeoutSeconds", value as never)));
    expect(r.violations).toEqual([
      expect.objectContaining({ policy: "da-74-databricks-job-timeout", enforcementLevel: "mandatory", message: expect.stringMatching(/timeoutSeconds is/) }),
    ]);
  });

  it("fires on a task timeout above the job's or not positive", async () => {
    const over = await check(databricksJobTimeout, job(mutate(dataMlCompliant.job(), "tasks.0.timeoutSeconds", 9000)));
    expect(over.violations.map((v) => v.message)).toEqual([expect.stringContaining('task "ofs_build": timeoutSeconds 9000 exceeds the job\'s 7200')]);
    const zero = await check(databricksJobTimeout, job(mutate(dataMlCompliant.job(), "tasks.0.timeoutSeconds", 0)));
    expect(zero.violations).toHaveLength(1);
  });
});
