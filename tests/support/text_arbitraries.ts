/**
 * fast-check generators of text for the tests of code that must show
 * control and direction characters rather than pass them to a terminal or a
 * page.
 *
 * @module
 */

import fc from "fast-check";

/**
 * One character, mostly from where control and direction characters are
 * (C0, DEL, C1, U+2000 to U+2070), with a few ordinary ones (U+061C, a CJK
 * ideograph, an emoji outside the BMP) so both kinds meet in one string.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { controlHeavyChar } from "./text_arbitraries.ts";
 * fc.assert(fc.property(controlHeavyChar, (char) => [...char].length === 1));
 * ```
 */
export const controlHeavyChar: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 0, max: 0xa0 }),
  fc.integer({ min: 0x2000, max: 0x2070 }),
  fc.constantFrom(0x061c, 0x4e00, 0x1f600),
).map((code) => String.fromCodePoint(code));
