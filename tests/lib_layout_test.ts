/**
 * Keeps lib/'s architecture as lib/README.md draws it: each folder imports only
 * folders below it in {@linkcode FOLDER_ORDER}, and no files import each other
 * in a circle (in the spirit of denoland/std's
 * `_tools/check_circular_package_dependencies.ts`). Only real import lines count,
 * not the examples in doc comments.
 */

import assert from "node:assert/strict";

/** lib/'s folders, lowest first: a folder may import its own files and those of folders before it. */
export const FOLDER_ORDER = [
  "settings",
  "text",
  "stream",
  "log",
  "session",
  "chat",
  "redis",
  "web",
  "server",
  "client",
  "cli",
];
const LIB = new URL("../lib/", import.meta.url);
/** The first string of an `import` or `export` line (multi-line ones too) when it is a relative path. */
const IMPORT = /^(?:import|export)\b[^;"]*"(\.{1,2}\/[^"]+)"/gm;

/** Every file under lib/ (by its path from lib/) and the lib/ files it imports. */
async function importsUnderLib(dir = LIB): Promise<Map<string, string[]>> {
  const imports = new Map<string, string[]>();
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) (await importsUnderLib(url)).forEach((v, k) => imports.set(k, v));
    else if (/\.(ts|js)$/.test(entry.name)) {
      const text = await Deno.readTextFile(url);
      const targets = [...text.matchAll(IMPORT)].map((m) =>
        new URL(m[1]!, url).href.slice(LIB.href.length)
      );
      imports.set(url.href.slice(LIB.href.length), targets);
    }
  }
  return imports;
}

Deno.test("lib/: every folder imports only itself and the folders below it", async () => {
  const wrong: string[] = [];
  for (const [file, targets] of await importsUnderLib()) {
    const rank = FOLDER_ORDER.indexOf(file.split("/")[0]!);
    assert(rank >= 0, `lib/${file} is in no folder of FOLDER_ORDER`);
    for (const target of targets) {
      if (FOLDER_ORDER.indexOf(target.split("/")[0]!) > rank) wrong.push(`${file} -> ${target}`);
    }
  }
  assert.deepEqual(wrong, [], "imports of a folder above");
});

Deno.test("lib/: no files import each other in a circle", async () => {
  const imports = await importsUnderLib();
  const done = new Set<string>();
  const visit = (file: string, path: string[]): void => {
    if (path.includes(file)) {
      assert.fail(`circle: ${[...path.slice(path.indexOf(file)), file].join(" -> ")}`);
    }
    if (done.has(file)) return;
    for (const target of imports.get(file) ?? []) visit(target, [...path, file]);
    done.add(file);
  };
  for (const file of imports.keys()) visit(file, []);
});
