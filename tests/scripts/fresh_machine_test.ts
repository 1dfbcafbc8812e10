/**
 * The default path needs nothing installed: server.ts and client.ts start
 * from an empty Deno cache without fetching anything from npm (node-redis is
 * loaded only with `--redis`, puppeteer and fast-check only by tests).
 */

import assert from "node:assert/strict";
import { CLIENT_SCRIPT, SERVER_SCRIPT } from "../support/processes.ts";

for (const script of [SERVER_SCRIPT, CLIENT_SCRIPT]) {
  const name = script.split("/").at(-1);
  Deno.test(`${name} --version starts from an empty Deno cache without fetching npm packages`, async () => {
    const denoDir = await Deno.makeTempDir({ dir: "/tmp", prefix: "fresh-deno-dir-" });
    try {
      const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-net", script, "--version"],
        env: { DENO_DIR: denoDir, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const err = new TextDecoder().decode(stderr);
      assert.equal(code, 0, err);
      assert.match(new TextDecoder().decode(stdout), /\d+\.\d+\.\d+/);
      assert.doesNotMatch(err, /Download/, "nothing was downloaded");
      assert.deepEqual(npmPackagesIn(denoDir), [], "no npm packages in the cache");
    } finally {
      await Deno.remove(denoDir, { recursive: true });
    }
  });
}

/** What the cache's npm folder holds (Deno makes the folder itself in any case). */
function npmPackagesIn(denoDir: string): string[] {
  try {
    return [...Deno.readDirSync(`${denoDir}/npm`)].map((entry) => entry.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}
