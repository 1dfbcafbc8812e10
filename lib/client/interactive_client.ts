/**
 * The client on a terminal: the tutorial's `>>> ` prompt, with a line editor
 * of our own (cursor keys, history, Emacs keys, CJK and wide characters).
 * Each line typed is sent with "\n" (or "\r\n" with `--crlf`), empty lines
 * too; whatever the server sends is shown as soon as it arrives, above the
 * prompt, which is then drawn again with what the user was typing.
 *
 * Why not `node:readline`: under Deno its cost grows with the square of a
 * line's length (a 8,000-character paste took 28 s), its Ctrl+Z freezes the
 * client, and its writes can still be pending when the process exits. Here a
 * paste is one read and one append, Ctrl+Z suspends like any program (see
 * `terminal_mode.ts`), and everything written is waited for before exit.
 *
 * The pieces: `key_decoder.ts` turns key bytes into actions, `line_editor.ts`
 * applies them to the line, `prompt_view.ts` turns the line and the server's
 * text into what to write, `ordered_writer.ts` writes it in order, and
 * `terminal_mode.ts` holds raw mode and the signals.
 *
 * @module
 */

import {
  type ByteReader,
  type ByteWriter,
  closeQuietly,
  writeAll,
} from "../stream/connection_io.ts";
import { waitAtMost } from "../stream/deadline.ts";
import type { Conn } from "../stream/connection_io.ts";
import { hexDump } from "../text/hex_dump.ts";
import { KeyDecoder } from "./key_decoder.ts";
import { LineEditor } from "./line_editor.ts";
import { chatLineStyle } from "./line_style.ts";
import type { Texts } from "../text/texts.ts";
import { describeError, isPeerGone } from "../stream/net_errors.ts";
import { OrderedWriter } from "./ordered_writer.ts";
import { PromptView } from "./prompt_view.ts";
import { isRefusalNotice, LastLine } from "./refusal_notice.ts";
import { type EndSignal, type RawModeInput, RawTerminal } from "./terminal_mode.ts";
import { Utf8StreamDecoder } from "../text/utf8.ts";

/** The tutorial's prompt. */
export const PROMPT = ">>> ";
/** Typing this quits, as in the tutorial. */
export const EXIT_COMMAND = "exit";

/**
 * How an interactive session ended: the user quit, the server closed (or
 * refused us, see `refusal_notice.ts`), the connection broke, or a signal
 * ended the client.
 */
export type InteractiveEnd =
  | "quit"
  | "closed"
  | "refused"
  | "reset"
  | "SIGTERM"
  | "SIGHUP"
  | "SIGQUIT";

/** A terminal to read keys from: `Deno.stdin`. */
export interface KeyboardInput extends ByteReader, RawModeInput {}

/** Options for {@linkcode runInteractiveClient}. */
export interface InteractiveOptions {
  /** The first line shown, such as "Connected to 127.0.0.1:50000". */
  greeting: string;
  /**
   * End each line sent with "\r\n" instead of "\n" (`--crlf`).
   *
   * @default {false}
   */
  crlf?: boolean;
  /**
   * Show the bytes sent and received in hex and text instead of as text (`--hex`).
   *
   * @default {false}
   */
  hex?: boolean;
  /**
   * Colour a chat server's lines on the display: each `[nick]` in a colour of
   * its own (and `* nick` of a `/me`), `*** ` notices dim (see `line_style.ts`). Only for a display that
   * is a terminal, and only when colours are allowed (`NO_COLOR` not set).
   *
   * @default {false}
   */
  color?: boolean;
  /**
   * The terminal where the prompt and the server's text are shown.
   *
   * @default {Deno.stdout}
   */
  display?: ByteWriter;
  /**
   * Where the server's bytes go unchanged when stdout is not the display (it
   * is a file, as in `client.ts > log`); null to only show them.
   *
   * @default {null}
   */
  dataOutput?: ByteWriter | null;
  /**
   * The keyboard.
   *
   * @default {Deno.stdin}
   */
  input?: KeyboardInput;
  /**
   * Width of the display, and again after each resize.
   *
   * @default {() => Deno.consoleSize().columns}
   */
  columns?: () => number;
}

/** Longest wait for the display to take our last lines when the session ends. */
const FINAL_FLUSH_MS = 2000;
/** Width used when the terminal does not say. */
const DEFAULT_COLUMNS = 80;

const encoder = new TextEncoder();

/**
 * Runs the prompt until the user quits (`exit`, Ctrl+D on an empty line,
 * Ctrl+C), the server closes the connection, or SIGTERM or SIGHUP arrives.
 * The terminal is put back as it was on every one of these.
 *
 * Quitting leaves the prompt row as typed and says goodbye below it. When the
 * server ends the session, its notice comes below the line being typed, which
 * stays on screen; an empty prompt makes way for the notice.
 *
 * @param conn The connection.
 * @param texts Texts in the user's language.
 * @param options See {@linkcode InteractiveOptions}.
 * @returns How it ended; the caller picks the exit code.
 *
 * @example
 * ```ts ignore
 * import { runInteractiveClient } from "./interactive_client.ts";
 * import { TEXTS } from "../text/texts.ts";
 * const conn = await Deno.connect({ port: 50000 });
 * await runInteractiveClient(conn, TEXTS.en, { greeting: "Connected" });
 * ```
 */
export function runInteractiveClient(
  conn: Conn,
  texts: Texts,
  options: InteractiveOptions,
): Promise<InteractiveEnd> {
  return new InteractiveSession(conn, texts, options).run();
}

/** One session at the prompt: the keyboard, the connection and the screen. */
class InteractiveSession {
  readonly #conn: Conn;
  readonly #texts: Texts;
  readonly #options: InteractiveOptions;
  readonly #input: KeyboardInput;
  readonly #display: OrderedWriter;
  readonly #dataOutput: OrderedWriter | null;
  readonly #columns: () => number;
  readonly #keys = new KeyDecoder();
  readonly #editor = new LineEditor();
  readonly #view: PromptView;
  readonly #terminal: RawTerminal;
  readonly #serverText = new Utf8StreamDecoder();
  readonly #lastLine = new LastLine();
  readonly #done = Promise.withResolvers<InteractiveEnd>();
  /** Lines being sent, in order; a line waits for the one before it. */
  #sending: Promise<void> = Promise.resolve();
  #ended = false;

  constructor(conn: Conn, texts: Texts, options: InteractiveOptions) {
    this.#conn = conn;
    this.#texts = texts;
    this.#options = options;
    this.#input = options.input ?? Deno.stdin;
    this.#display = new OrderedWriter(options.display ?? Deno.stdout);
    const dataOutput = options.dataOutput ?? null;
    this.#dataOutput = dataOutput === null ? null : new OrderedWriter(dataOutput);
    this.#columns = options.columns ?? terminalColumns;
    const styled = options.color ?? false;
    this.#view = new PromptView({
      prompt: PROMPT,
      columns: this.#columns(),
      ...(styled ? { lineStyler: chatLineStyle } : {}),
    });
    this.#terminal = new RawTerminal(this.#input, {
      resized: () => this.#resized(),
      suspending: () => this.#suspending(),
      continued: () => this.#redraw(),
      signalled: (signal) => this.#signalled(signal),
    });
  }

  run(): Promise<InteractiveEnd> {
    this.#display.write(this.#options.greeting + "\r\n");
    try {
      this.#terminal.hold();
    } catch (error) {
      this.#terminal.release();
      throw error;
    }
    this.#display.write(this.#view.draw(this.#editor));
    void this.#readKeys();
    void this.#readServer();
    return this.#done.promise;
  }

  async #readKeys(): Promise<void> {
    const buffer = new Uint8Array(65536);
    for (;;) {
      let n: number | null;
      try {
        n = await this.#input.read(buffer);
      } catch {
        n = null;
      }
      if (this.#ended) return;
      // The terminal is gone: as if it had hung up.
      if (n === null) return this.#finish("SIGHUP", null);
      try {
        for (const action of this.#keys.decode(buffer.subarray(0, n))) {
          this.#act(action);
          if (this.#ended) return;
        }
      } catch (error) {
        // A bug must not leave the terminal in raw mode: end as cleanly as an error can.
        return this.#finish("reset", this.#texts.unexpected(describeError(error)));
      }
    }
  }

  #act(action: ReturnType<KeyDecoder["decode"]>[number]): void {
    const result = this.#editor.apply(action);
    const view = this.#view;
    switch (result.kind) {
      case "none":
        return;
      case "appended":
        return void this.#display.write(view.append(result.text, this.#editor));
      case "changed":
        return void this.#display.write(view.redraw(this.#editor));
      case "clearScreen":
        return void this.#display.write(view.clearScreen(this.#editor));
      case "submit":
        if (result.line === EXIT_COMMAND) return this.#finish("quit", this.#texts.goodbye);
        this.#display.write(view.commit() + view.draw(this.#editor));
        return this.#send(result.line);
      case "eof":
      case "interrupt":
        return this.#finish("quit", this.#texts.goodbye);
      case "suspend": // Ctrl+Z as a byte (the terminal normally makes it a signal)
        return void this.#terminal.suspend();
    }
  }

  /** Sends a typed line, after the lines before it. */
  #send(line: string): void {
    const bytes = encoder.encode(line + (this.#options.crlf ? "\r\n" : "\n"));
    if (this.#options.hex) this.#show(hexText(this.#texts.hexSent(bytes.length), bytes));
    this.#sending = this.#sending
      .then(() => writeAll(this.#conn, bytes))
      .catch((error) => this.#connectionBroke(error));
  }

  async #readServer(): Promise<void> {
    const buffer = new Uint8Array(65536);
    try {
      for (;;) {
        const n = await this.#conn.read(buffer);
        if (n === null) break;
        await this.#received(buffer.subarray(0, n));
        if (this.#ended) return;
      }
      if (!this.#options.hex && this.#dataOutput === null) this.#show(this.#serverText.end());
      const refused = isRefusalNotice(this.#lastLine.text);
      this.#finish(refused ? "refused" : "closed", this.#texts.serverClosed);
    } catch (error) {
      this.#connectionBroke(error);
    }
  }

  /** Shows (or, with stdout redirected, writes) one read; resolves once it is out. */
  async #received(bytes: Uint8Array): Promise<void> {
    this.#lastLine.push(bytes);
    if (this.#dataOutput !== null) await this.#dataOutput.write(bytes);
    if (this.#options.hex) this.#show(hexText(this.#texts.hexReceived(bytes.length), bytes));
    else if (this.#dataOutput === null) this.#show(this.#serverText.decode(bytes));
    // Read no faster than the terminal shows: a slow terminal slows the server, as with nc.
    await this.#display.flushed();
  }

  /** Prints server text above the prompt. */
  #show(text: string): void {
    this.#display.write(this.#view.printAbove(text, this.#ended ? null : this.#editor));
  }

  #connectionBroke(error: unknown): void {
    if (this.#ended) return; // we closed it ourselves
    const texts = this.#texts;
    this.#finish(
      "reset",
      isPeerGone(error) ? texts.connectionReset : texts.connectionLost(describeError(error)),
    );
  }

  /** Ctrl+Z, before the stop: leave the line on screen and move below it for the shell. */
  async #suspending(): Promise<void> {
    this.#display.write(this.#view.commit());
    await this.#display.flushed();
  }

  /** Draws the prompt again where the cursor is (after a stop, or a resize). */
  #redraw(): void {
    if (!this.#ended) this.#display.write(this.#view.redraw(this.#editor));
  }

  #resized(): void {
    this.#view.setColumns(this.#columns(), this.#editor);
    this.#redraw();
  }

  #signalled(signal: EndSignal): void {
    // Ctrl+C quits, as typing exit does.
    if (signal === "SIGINT") this.#finish("quit", this.#texts.goodbye);
    else this.#finish(signal, null);
  }

  /**
   * Ends the session once: the last notice, then waits for the screen, puts
   * the terminal back and closes the connection.
   */
  #finish(how: InteractiveEnd, notice: string | null): void {
    if (this.#ended) return;
    this.#ended = true;
    // What the user typed stays on screen; an empty prompt gives way to the notice.
    const keep = how === "quit" || this.#editor.text !== "";
    let out = keep ? this.#view.commit() : this.#view.erase();
    if (notice !== null) out += notice + "\r\n";
    this.#display.write(out);
    void this.#close(how);
  }

  async #close(how: InteractiveEnd): Promise<void> {
    const outputs = [this.#display.flushed(), this.#dataOutput?.flushed()];
    await waitAtMost(Promise.all(outputs), FINAL_FLUSH_MS);
    this.#terminal.release();
    closeQuietly(this.#conn);
    this.#done.resolve(how);
  }
}

/** A hex dump with its header, as lines of text. */
function hexText(header: string, bytes: Uint8Array): string {
  return [header, ...hexDump(bytes)].join("\n") + "\n";
}

function terminalColumns(): number {
  try {
    return Deno.consoleSize().columns || DEFAULT_COLUMNS;
  } catch {
    return DEFAULT_COLUMNS;
  }
}
