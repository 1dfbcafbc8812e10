/**
 * The languages of every user-facing text: English, and the tutorial's
 * Chinese. Each catalogue of texts is a `Record<Lang, ...>`.
 *
 * @module
 */

/** A language of the user-facing texts. */
export type Lang = "en" | "zh";

/**
 * The languages `--lang` accepts, in the order the help lists them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LANGS } from "./lang.ts";
 * assert.deepEqual(LANGS, ["en", "zh"]);
 * ```
 */
export const LANGS: readonly Lang[] = ["en", "zh"];
