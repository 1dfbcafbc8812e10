/**
 * Tests for lib/text/shell_words.ts: plain words stay as they are, and a real
 * `sh` splits what shellWords() writes back into exactly the words given.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { shellWord, shellWords } from "../../lib/text/shell_words.ts";

/** What `sh` makes of `printf '%s\0' COMMAND_LINE`: the words it split, in order. */
async function shSplits(commandLine: string): Promise<string[]> {
  const { code, stdout } = await new Deno.Command("sh", {
    args: ["-c", `printf '%s\\0' ${commandLine}`],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).output();
  assert.equal(code, 0, commandLine);
  return new TextDecoder().decode(stdout).split("\0").slice(0, -1);
}

Deno.test("shellWord() leaves plain words as they are", () => {
  for (
    const word of ["server.ts", "--port", "8080", "--reply=x", "127.0.0.1", "::1"]
  ) {
    assert.equal(shellWord(word), word);
  }
  assert.equal(shellWord("小明"), "小明");
  assert.equal(shellWord("redis://:pw@host:6379/0"), "redis://:pw@host:6379/0");
});

Deno.test("shellWord() quotes what a shell would split, expand or take as syntax", () => {
  for (
    const word of ["", "a b", "it's", "$HOME", "*", "~", "a;b", "{msg}", "=ls", "a\nb", '"', "\\"]
  ) {
    assert.ok(shellWord(word).startsWith("'"), `${JSON.stringify(word)}: ${shellWord(word)}`);
  }
  assert.equal(shellWord("it's {msg}"), "'it'\\''s {msg}'");
});

Deno.test("sh splits shellWords() back into exactly the words given", async () => {
  assert.deepEqual(
    await shSplits(shellWords(["--reply", "it's {msg} $HOME `x` *", "", "好 男孩", "a\tb\nc"])),
    ["--reply", "it's {msg} $HOME `x` *", "", "好 男孩", "a\tb\nc"],
  );
  // Any words without NUL, which no argument can hold.
  const word = fc.string({ unit: "binary", maxLength: 12 }).filter((w) =>
    !w.includes("\0") && w.isWellFormed()
  );
  await fc.assert(
    fc.asyncProperty(fc.array(word, { minLength: 1, maxLength: 5 }), async (words) => {
      assert.deepEqual(await shSplits(shellWords(words)), words);
    }),
    { numRuns: 60 },
  );
});
