/**
 * The code map in `lib/README.md` stays true: every source file under `lib/`
 * has its row in a table there, and every file the map names, in a row or in
 * the walks through the code, exists. A file is named as a code span holding
 * its path relative to `lib/` (`chat/outbox.ts`); its row starts with that
 * span (`| \`chat/outbox.ts\` | its job |`).
 *
 * @module
 */

import assert from "node:assert/strict";

const LIB = new URL("../lib/", import.meta.url);
const README = new URL("README.md", LIB);

/** The kinds of file the map lists: the code, and the page's script and style. */
const SOURCE = /\.(ts|js|css)$/;

/** A code span that names a file under lib/: `folder/file.ext`, no `..`, no spaces. */
const NAMED_FILE = /`((?:[\w-]+\/)+[\w.-]+\.(?:ts|js|css))`/g;

/** Paths of the source files under `dir`, relative to lib/, with "/" between folders. */
async function sourceFiles(dir: URL, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = prefix + entry.name;
    if (entry.isDirectory) {
      found.push(...await sourceFiles(new URL(entry.name + "/", dir), path + "/"));
    } else if (SOURCE.test(entry.name)) {
      found.push(path);
    }
  }
  return found.sort();
}

/** A table row whose first cell is one such code span. */
const FILE_ROW = /^\|\s*`((?:[\w-]+\/)+[\w.-]+\.(?:ts|js|css))`\s*\|/gm;

/** The lib/ paths a markdown text names in code spans. */
function namedFiles(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(NAMED_FILE)].map((match) => match[1]!));
}

/** The lib/ paths that have a table row of their own. */
function filesWithRows(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(FILE_ROW)].map((match) => match[1]!));
}

async function exists(path: URL): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

Deno.test("namedFiles() finds lib/ paths in code spans and nothing else", () => {
  const named = namedFiles(
    "| `chat/outbox.ts` | x |\n`web/chat.css`, `Outbox.push()`, `../tests/a_test.ts`, " +
      "`settings/`, `a b/c.ts`, chat/room.ts",
  );
  assert.deepEqual([...named], ["chat/outbox.ts", "web/chat.css"]);
});

Deno.test("filesWithRows() finds the files that start a table row, not those named elsewhere", () => {
  const rows = filesWithRows(
    "| file | job |\n| `chat/outbox.ts` | the queue |\n|`web/chat.js`|x|\n" +
      "| `chat/chat_room.ts`, `chat/chat_roster.ts` | two |\n1. `stream/line_intake.ts` | y\n" +
      "| the `text/utf8.ts` file | z |",
  );
  assert.deepEqual([...rows], ["chat/outbox.ts", "web/chat.js"]);
});

Deno.test("lib/README.md has a row for every source file under lib/", async () => {
  const rows = filesWithRows(await Deno.readTextFile(README));
  const missing = (await sourceFiles(LIB)).filter((path) => !rows.has(path));
  assert.deepEqual(missing, [], `lib/README.md has no row for: ${missing.join(", ")}`);
});

Deno.test("every file lib/README.md names exists under lib/", async () => {
  const named = namedFiles(await Deno.readTextFile(README));
  const missing: string[] = [];
  for (const path of named) {
    if (!await exists(new URL(path, LIB))) missing.push(path);
  }
  assert.deepEqual(
    missing,
    [],
    `lib/README.md names files that do not exist: ${missing.join(", ")}`,
  );
});
