/**
 * Colours that make a chat server's lines easier to read in the interactive
 * client: in a line that starts with `[nick] ` or `[nick -> other] `, the
 * bracketed part gets a colour of its own, the same for the same nickname
 * every time; in a `/me` line (`* nick text`) the `* nick` part gets that
 * colour too; a line that starts with `*** ` (a line the server wrote
 * itself) is dim.
 *
 * The style is chosen from the start of a line only, and only the client's
 * own SGR sequences (`ESC [ ... m`) are added: the server's text is still
 * shown by `prompt_view.ts` with every control made visible, so a server can
 * neither colour the terminal nor do anything else to it. `prompt_view.ts`
 * resets the colour at the end of the styled part, at the end of the line,
 * and before it draws the prompt.
 *
 * @module
 */

import { ACTION_PREFIX, NOTICE_PREFIX } from "../text/texts.ts";

/** How the start of a line is shown. */
export interface LineStyle {
  /** The SGR sequence that turns the style on, such as `"\x1b[32m"`. */
  readonly sgr: string;
  /**
   * How many UTF-16 code units of the line get it, counted from its start;
   * null for the whole line.
   */
  readonly length: number | null;
}

/**
 * Decides how a line starts from its first characters: all of the line the
 * current piece of server text holds, without the line end. Returns null for
 * a line shown as it is.
 */
export type LineStyler = (start: string) => LineStyle | null;

/** Turns every style off: the terminal's default colours. */
export const SGR_RESET = "\x1b[0m";

/** Dim, for a server notice. */
export const SGR_DIM = "\x1b[2m";

/**
 * The 256-colour palette indices of the nickname colours: twelve hues of
 * the 6x6x6 cube that read on dark and on light backgrounds (greens,
 * cyans, blues, violets, magentas, gold, orange). None is red, which reads
 * as an error; never the default colour the prompt and the text have, nor
 * black, white or grey. The page has the same hues in the same order
 * (`--n0` to `--n11` in lib/web/chat.css), so a name looks alike in both.
 */
export const NICK_PALETTE: readonly number[] = [34, 37, 38, 32, 63, 98, 133, 163, 136, 172, 70, 67];

/** The nickname colours: {@linkcode NICK_PALETTE} as SGR sequences (`ESC [ 38;5;N m`). */
export const NICK_COLORS: readonly string[] = NICK_PALETTE.map((index) => `\x1b[38;5;${index}m`);

/**
 * Longest nickname coloured, in characters: more than chat mode allows (24),
 * in case another server allows longer ones.
 */
const MAX_NICK_CHARS = 32;

/**
 * `[nick] ` or `[nick -> other] `: names without spaces, brackets, control
 * or format characters (`\p{C}`), so a nick can hold nothing that acts.
 */
const NICK_PREFIX = new RegExp(
  `^\\[([^\\s\\[\\]\\p{C}]{1,${MAX_NICK_CHARS}})(?: -> [^\\s\\[\\]\\p{C}]{1,${MAX_NICK_CHARS}})?\\] `,
  "u",
);

/**
 * `* nick ` of a `/me` line: a name as above, which holds no `*`, so a
 * notice (`*** `) never matches.
 */
const ACTION_START = new RegExp(
  `^\\* ([^\\s\\[\\]*\\p{C}]{1,${MAX_NICK_CHARS}}) `,
  "u",
);

/**
 * The styles of a chat server's lines: the bracketed nickname(s) in the
 * colour of the first nickname, `* nick` of an action in the nickname's
 * colour, a notice dim, anything else as it is.
 *
 * @param start The first characters of a line (see {@linkcode LineStyler}).
 * @returns The style, or null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chatLineStyle, nickColor, SGR_DIM } from "./line_style.ts";
 * assert.deepEqual(chatLineStyle("[alice] hi"), { sgr: nickColor("alice"), length: 7 });
 * assert.deepEqual(chatLineStyle("*** bob joined"), { sgr: SGR_DIM, length: null });
 * assert.deepEqual(chatLineStyle("* bob waves"), { sgr: nickColor("bob"), length: 5 });
 * assert.equal(chatLineStyle("plain text"), null);
 * ```
 */
export function chatLineStyle(start: string): LineStyle | null {
  if (start.startsWith(NOTICE_PREFIX)) return { sgr: SGR_DIM, length: null };
  if (start.startsWith(ACTION_PREFIX)) {
    const action = ACTION_START.exec(start);
    // The star and the name, not the space after them.
    return action === null ? null : { sgr: nickColor(action[1]!), length: action[0].length - 1 };
  }
  if (!start.startsWith("[")) return null; // most lines: no pattern match at all
  const match = NICK_PREFIX.exec(start);
  if (match === null) return null;
  // The brackets and what is inside, not the space after them.
  return { sgr: nickColor(match[1]!), length: match[0].length - 1 };
}

/**
 * The colour of a nickname: one of {@linkcode NICK_COLORS}, chosen by a
 * hash of the name, so a name has the same colour in every line and every
 * session. Names that differ only in case (which chat mode takes as the same
 * name) have the same colour.
 *
 * @param nick A nickname.
 * @returns Its SGR sequence.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nickColor } from "./line_style.ts";
 * assert.equal(nickColor("alice"), nickColor("Alice"));
 * ```
 */
export function nickColor(nick: string): string {
  // FNV-1a over the UTF-16 code units: short, stable, and spreads similar names.
  let hash = 0x811c9dc5;
  const key = nick.toLowerCase();
  for (let i = 0; i < key.length; i++) {
    hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  }
  return NICK_COLORS[(hash >>> 0) % NICK_COLORS.length]!;
}
