/**
 * A small model of a terminal screen, enough to tell what a user of the
 * interactive client sees: text, carriage return, line feed, line wrap at the
 * right edge (with the pending wrap real terminals have), double-width CJK
 * characters, and the cursor and erase sequences `node:readline` sends
 * (`CSI n A/B/C/D/G/H`, `CSI n J`, `CSI n K`), and the style (SGR, `CSI ... m`)
 * each character was printed with. Other escape sequences are skipped. Tests compare its rows instead of raw bytes, so a stale row, a
 * doubled prompt or a message overwritten by a redraw shows up as a wrong row.
 *
 * @module
 */

const ESC = "\x1b"; // starts an escape sequence
const CSI_FINAL = /[@-~]/; // the byte that ends a CSI sequence

/**
 * Tells whether a character takes two columns.
 * NOTE: only the East Asian Wide and Fullwidth blocks a test can meet (CJK,
 * Hangul, fullwidth punctuation, common emoji), not the whole Unicode table.
 */
function isWide(codePoint: number): boolean {
  return (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf && codePoint !== 0x303f) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1f64f) ||
    (codePoint >= 0x1f900 && codePoint <= 0x1f9ff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd);
}

/** The screen of a terminal `cols` wide and `rows` high, fed with what a program writes. */
export class TerminalScreen {
  /** Width in columns. */
  readonly cols: number;
  /** Height in rows. */
  readonly rows: number;
  /** Cursor row, from 0. */
  row = 0;
  /** Cursor column, from 0. */
  col = 0;
  /** Rows that scrolled off the top, oldest first, without trailing spaces. */
  readonly scrolledOff: string[] = [];
  /**
   * The style characters are printed with now: the SGR parameters since the
   * last reset, joined with ";" ("2", "32", "1;31"); "" for none.
   */
  pen = "";
  // One string per cell; "" is the right half of a wide character.
  readonly #cells: string[][];
  // The pen each cell was printed with; "" for none (and for erased cells).
  readonly #styles: string[][];
  #wrapPending = false;
  #unfinished = ""; // an escape sequence cut between two writes

  /**
   * @param cols Width.
   * @param rows Height.
   */
  constructor(cols: number, rows: number) {
    this.cols = cols;
    this.rows = rows;
    this.#cells = Array.from({ length: rows }, () => this.#blankRow());
    this.#styles = Array.from({ length: rows }, () => this.#plainRow());
  }

  /**
   * A row as runs of text of one style: `[["[alice]", "32"], [" hi", ""]]`.
   * Blanks at the end of the row that have no style are left out.
   *
   * @param row The row, from 0.
   * @returns The runs, left to right.
   */
  runs(row: number): [text: string, style: string][] {
    const cells = this.#cells[row]!;
    const styles = this.#styles[row]!;
    let end = cells.length;
    while (end > 0 && (cells[end - 1] === " " || cells[end - 1] === "") && styles[end - 1] === "") {
      end--;
    }
    const runs: [string, string][] = [];
    for (let col = 0; col < end; col++) {
      const last = runs.at(-1);
      if (last !== undefined && last[1] === styles[col]) last[0] += cells[col];
      else runs.push([cells[col]!, styles[col]!]);
    }
    return runs;
  }
  /**
   * The rows from the top to the last one with text or the cursor, each
   * without trailing spaces.
   */
  lines(): string[] {
    const text = this.#cells.map((cells) => cells.join("").trimEnd());
    let last = this.row;
    for (let i = text.length - 1; i > last; i--) {
      if (text[i] !== "") {
        last = i;
        break;
      }
    }
    return text.slice(0, last + 1);
  }

  /** The rows as one string, for error messages. */
  toString(): string {
    return this.lines().map((line, i) => (i === this.row ? "> |" : "  |") + line).join("\n");
  }

  /**
   * Applies output of the program.
   *
   * @param text Decoded output; may end inside an escape sequence.
   */
  write(text: string): void {
    const input = this.#unfinished + text;
    this.#unfinished = "";
    let i = 0;
    while (i < input.length) {
      const char = input[i]!;
      if (char === ESC) {
        const used = this.#escape(input, i);
        if (used === 0) {
          this.#unfinished = input.slice(i);
          return;
        }
        i += used;
        continue;
      }
      const codePoint = input.codePointAt(i)!;
      i += codePoint > 0xffff ? 2 : 1;
      if (codePoint >= 0x20) this.#print(String.fromCodePoint(codePoint), codePoint);
      else if (char === "\r") this.#moveTo(this.row, 0);
      else if (char === "\n") this.#lineFeed();
      else if (char === "\b") this.#moveTo(this.row, this.col - 1);
    }
  }

  // Handles the escape sequence at `start`; returns its length, 0 if it is cut off.
  #escape(input: string, start: number): number {
    const kind = input[start + 1];
    if (kind === undefined) return 0;
    if (kind === "]") { // OSC, ends with BEL or ESC \
      const bel = input.indexOf("\x07", start);
      const st = input.indexOf(ESC + "\\", start + 2);
      const ends = [bel === -1 ? -1 : bel + 1, st === -1 ? -1 : st + 2].filter((n) => n > 0);
      return ends.length === 0 ? 0 : Math.min(...ends) - start;
    }
    if (kind !== "[") return 2; // a two-byte sequence such as ESC 7
    let end = start + 2;
    while (end < input.length && !CSI_FINAL.test(input[end]!)) end++;
    if (end >= input.length) return 0;
    const params = input.slice(start + 2, end);
    if (!params.startsWith("?")) this.#csi(input[end]!, params);
    return end + 1 - start;
  }

  #csi(final: string, params: string): void {
    const values = params.split(";").map((p) => (p === "" ? NaN : Number(p)));
    const first = values[0] ?? NaN;
    const n = Number.isNaN(first) ? 1 : first; // count or position, default 1
    const mode = Number.isNaN(first) ? 0 : first; // erase mode, default 0
    switch (final) {
      case "A":
        return this.#moveTo(this.row - n, this.col);
      case "B":
        return this.#moveTo(this.row + n, this.col);
      case "C":
        return this.#moveTo(this.row, this.col + n);
      case "D":
        return this.#moveTo(this.row, this.col - n);
      case "G":
        return this.#moveTo(this.row, n - 1);
      case "H":
      case "f": {
        const col = values[1];
        return this.#moveTo(n - 1, col === undefined || Number.isNaN(col) ? 0 : col - 1);
      }
      case "J":
        return this.#eraseScreen(mode);
      case "K":
        return this.#eraseLine(this.row, mode);
      case "m":
        return this.#setPen(params);
    }
  }

  #print(char: string, codePoint: number): void {
    const width = isWide(codePoint) ? 2 : 1;
    if (this.#wrapPending || (width === 2 && this.col === this.cols - 1)) {
      this.col = 0;
      this.#lineFeed();
    }
    const cells = this.#cells[this.row]!;
    const styles = this.#styles[this.row]!;
    cells[this.col] = char;
    styles[this.col] = this.pen;
    if (width === 2) {
      cells[this.col + 1] = "";
      styles[this.col + 1] = this.pen;
    }
    this.col += width;
    if (this.col >= this.cols) {
      this.col = this.cols - 1;
      this.#wrapPending = true;
    }
  }

  #lineFeed(): void {
    this.#wrapPending = false;
    if (this.row < this.rows - 1) {
      this.row++;
      return;
    }
    this.scrolledOff.push(this.#cells.shift()!.join("").trimEnd());
    this.#cells.push(this.#blankRow());
    this.#styles.shift();
    this.#styles.push(this.#plainRow());
  }

  #moveTo(row: number, col: number): void {
    this.#wrapPending = false;
    this.row = Math.min(Math.max(row, 0), this.rows - 1);
    this.col = Math.min(Math.max(col, 0), this.cols - 1);
  }

  #eraseScreen(mode: number): void {
    this.#eraseLine(this.row, mode);
    for (let row = 0; row < this.rows; row++) {
      if ((mode === 0 && row > this.row) || (mode === 1 && row < this.row) || mode >= 2) {
        this.#cells[row] = this.#blankRow();
        this.#styles[row] = this.#plainRow();
      }
    }
  }

  #eraseLine(row: number, mode: number): void {
    const cells = this.#cells[row]!;
    const styles = this.#styles[row]!;
    const from = mode === 0 ? this.col : 0;
    const to = mode === 1 ? this.col + 1 : this.cols;
    // Erasing the right half of a wide character erases all of it.
    if (from > 0 && cells[from] === "") {
      cells[from - 1] = " ";
      styles[from - 1] = "";
    }
    for (let col = from; col < to; col++) {
      cells[col] = " ";
      styles[col] = ""; // NOTE: real terminals fill with the background colour; we set none
    }
  }

  // SGR: "0" or nothing resets; other parameters add to the pen.
  #setPen(params: string): void {
    for (const param of params.split(";")) {
      if (param === "" || Number(param) === 0) this.pen = "";
      else this.pen = this.pen === "" ? param : `${this.pen};${param}`;
    }
  }

  #blankRow(): string[] {
    return Array.from({ length: this.cols }, () => " ");
  }

  #plainRow(): string[] {
    return Array.from({ length: this.cols }, () => "");
  }
}
