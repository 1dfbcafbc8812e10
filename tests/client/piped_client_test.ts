/**
 * Tests for lib/client/piped_client.ts over a real loopback connection: the test
 * accepts the client's connection itself and plays the server, and gives the
 * client fake input, output and log streams. Covers `crlf`, `hex`,
 * `quietAfterInputMs`, and each way a session ends.
 *
 * Nothing sleeps to synchronise: every wait is for an event (bytes, EOF, the
 * client's result) and is bounded with `within()`. One test watches for a
 * while that something does NOT happen (the quiet timer while input is
 * open); that window only observes, it orders nothing.
 */

import assert from "node:assert/strict";
import net from "node:net";
import { closeQuietly, writeAll } from "../../lib/stream/connection_io.ts";
import { hexDump } from "../../lib/text/hex_dump.ts";
import { TEXTS, type Texts } from "../../lib/text/texts.ts";
import { type PipedOptions, type PipeEnd, runPipedClient } from "../../lib/client/piped_client.ts";
import { bytes, concatBytes } from "../support/bytes.ts";
import { WriteRecorder } from "../support/fake_writers.ts";
import { LOOPBACK } from "../support/ports.ts";
import { WAIT_MS, within } from "../support/processes.ts";
import { ScriptedReader } from "../support/scripted_reader.ts";

const decoder = new TextDecoder();

/** Starts runPipedClient() on the test's client socket; resolves with how it ended. */
type StartClient = (options: PipedOptions) => Promise<PipeEnd>;

/**
 * Connects a client socket to a listener of the test and runs `body` with a
 * way to start the client on it and the server's end. Afterwards closes
 * everything and waits for the client, so a failed assertion still leaves
 * nothing running.
 */
async function withConnection(
  body: (start: StartClient, server: Deno.TcpConn) => Promise<void>,
): Promise<void> {
  const listener = Deno.listen({ hostname: LOOPBACK, port: 0 });
  try {
    const [client, server] = await Promise.all([
      Deno.connect({ hostname: LOOPBACK, port: listener.addr.port }),
      listener.accept(),
    ]);
    const started: Promise<unknown>[] = [];
    const start: StartClient = (options) => {
      const ended = within(runPipedClient(client, options), WAIT_MS, "the piped client to end");
      started.push(ended.catch(() => {})); // the body awaits it; this only waits in finally
      return ended;
    };
    try {
      await body(start, server);
    } finally {
      closeQuietly(server);
      await Promise.all(started);
      closeQuietly(client);
    }
  } finally {
    listener.close();
  }
}

/** Reads until the client half-closes; returns every byte. */
async function readToEnd(conn: Deno.Conn): Promise<Uint8Array> {
  const read = async () => {
    const chunks: Uint8Array[] = [];
    const buffer = new Uint8Array(65536);
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) return concatBytes(chunks);
      chunks.push(buffer.slice(0, n));
    }
  };
  return await within(read(), WAIT_MS, "the end of the client's data");
}

// --- Forwarding ---

Deno.test("runPipedClient() sends the input unchanged and prints the server's bytes unchanged", async () => {
  const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
  await withConnection(async (start, server) => {
    const input = new ScriptedReader(["a\nb\r\n", everyByte, "好😀"], true);
    const output = new WriteRecorder();
    const ended = start({ input, output });
    const sent = await readToEnd(server);
    assert.deepEqual(sent, concatBytes([bytes("a\nb\r\n"), everyByte, bytes("好😀")]));
    await writeAll(server, everyByte);
    server.close();
    assert.equal(await ended, "closed");
    assert.deepEqual(output.bytes, everyByte);
  });
});

Deno.test("runPipedClient() keeps printing after the input ends, until the server closes", async () => {
  await withConnection(async (start, server) => {
    const input = new ScriptedReader(["question\n"], true);
    const output = new WriteRecorder();
    const ended = start({ input, output });
    assert.equal(decoder.decode(await readToEnd(server)), "question\n"); // the client sent FIN
    await writeAll(server, bytes("answer 1\n"));
    await output.waitFor("answer 1\n");
    await writeAll(server, bytes("answer 2\n"));
    server.close();
    assert.equal(await ended, "closed");
    assert.equal(output.text, "answer 1\nanswer 2\n");
  });
});

// --- crlf ---

Deno.test("runPipedClient() with crlf sends each bare LF as CRLF and leaves CRLF alone", async () => {
  await withConnection(async (start, server) => {
    const input = new ScriptedReader(["\nfirst\nsecond\r\n\n", "third\r\n", "x\ry\n\n"], true);
    const ended = start({ input, output: new WriteRecorder(), crlf: true });
    const sent = decoder.decode(await readToEnd(server));
    assert.equal(sent, "\r\nfirst\r\nsecond\r\n\r\nthird\r\nx\ry\r\n\r\n");
    server.close();
    assert.equal(await ended, "closed");
  });
});

Deno.test("runPipedClient() with crlf leaves a CRLF alone when CR and LF come in different reads", async () => {
  await withConnection(async (start, server) => {
    const reads = ["one\r", "\ntwo\r", "\n", "\n", "three\n", "\r", "\nfour\n", "\r", "\r\n"];
    const input = new ScriptedReader(reads, true);
    const ended = start({ input, output: new WriteRecorder(), crlf: true });
    const sent = decoder.decode(await readToEnd(server));
    assert.equal(sent, "one\r\ntwo\r\n\r\nthree\r\n\r\nfour\r\n\r\r\n");
    server.close();
    assert.equal(await ended, "closed");
  });
});

// --- hex ---

/** One dumped chunk: its header and the bytes its dump lines show. */
interface DumpedChunk {
  header: string;
  bytes: number[];
  /** The dump lines as written. */
  lines: string[];
}

/**
 * Splits the log into chunks: a header line, then dump lines, which must be
 * exactly what `hexDump()` makes of the bytes they show.
 */
function parseHexLog(log: string): DumpedChunk[] {
  const chunks: DumpedChunk[] = [];
  const lines = log.split("\n");
  assert.equal(lines.pop(), "", "the log ends with a newline");
  for (const line of lines) {
    const dump = /^[0-9a-f]{8} {2}(.{49}) \|.*\|$/.exec(line);
    if (dump === null) {
      chunks.push({ header: line, bytes: [], lines: [] });
      continue;
    }
    const chunk = chunks.at(-1);
    assert(chunk !== undefined, `dump line before any header: ${line}`);
    chunk.lines.push(line);
    for (const hex of dump[1]!.trim().split(/ +/)) chunk.bytes.push(parseInt(hex, 16));
  }
  for (const chunk of chunks) {
    assert(chunk.bytes.length > 0, `a header without a dump: ${chunk.header}`);
    assert.deepEqual(chunk.lines, hexDump(new Uint8Array(chunk.bytes)));
  }
  return chunks;
}

async function hexSession(texts: Texts | undefined) {
  let result = { log: "", output: "", ended: "" };
  await withConnection(async (start, server) => {
    const input = new ScriptedReader(["hi\n", "there\n"], true);
    const output = new WriteRecorder();
    const log = new WriteRecorder();
    const options: PipedOptions = { input, output, log, hex: true, crlf: true };
    if (texts !== undefined) options.texts = texts;
    const ended = start(options);
    assert.equal(decoder.decode(await readToEnd(server)), "hi\r\nthere\r\n");
    await writeAll(server, bytes("reply \x00\xff 好\n"));
    server.close();
    result = { ended: await ended, log: log.text, output: output.text };
  });
  return result;
}

Deno.test("runPipedClient() with hex dumps each chunk sent and received to the log", async () => {
  const { log, output, ended } = await hexSession(undefined);
  assert.equal(ended, "closed");
  assert.equal(output, "reply \x00\xff 好\n", "the data itself goes to output unchanged");
  const chunks = parseHexLog(log);
  const sent = chunks.filter((chunk) => chunk.header.startsWith("sent "));
  const received = chunks.filter((chunk) => chunk.header.startsWith("received "));
  assert.equal(sent.length + received.length, chunks.length, log);
  for (const chunk of chunks) {
    assert.equal(chunk.header, `${chunk.header.split(" ")[0]} ${chunk.bytes.length} bytes`);
  }
  // what is dumped is what crossed the wire: the input after crlf, the reply as sent
  assert.deepEqual(sent.map((chunk) => decoder.decode(new Uint8Array(chunk.bytes))), [
    "hi\r\n",
    "there\r\n",
  ]);
  assert.equal(
    decoder.decode(new Uint8Array(received.flatMap((chunk) => chunk.bytes))),
    "reply \x00\xff 好\n",
  );
  // every sent chunk is dumped before the reply to it arrives
  assert(chunks.findIndex((chunk) => chunk.header.startsWith("received")) >= sent.length);
});

Deno.test("runPipedClient() with hex and texts uses the language's headers", async () => {
  for (const texts of [TEXTS.en, TEXTS.zh]) {
    const { log } = await hexSession(texts);
    const chunks = parseHexLog(log);
    const headers = chunks.map((chunk) => chunk.header);
    assert.deepEqual(headers.slice(0, 2), [texts.hexSent(4), texts.hexSent(7)]);
    const received = chunks.slice(2);
    assert(received.length > 0);
    for (const chunk of received) assert.equal(chunk.header, texts.hexReceived(chunk.bytes.length));
  }
});

Deno.test("runPipedClient() without hex writes nothing to the log", async () => {
  await withConnection(async (start, server) => {
    const log = new WriteRecorder();
    const ended = start({
      input: new ScriptedReader(["x\n"], true),
      output: new WriteRecorder(),
      log,
    });
    await readToEnd(server);
    await writeAll(server, bytes("y\n"));
    server.close();
    assert.equal(await ended, "closed");
    assert.equal(log.text, "");
  });
});

// --- quietAfterInputMs ---

Deno.test("runPipedClient() with quietAfterInputMs ends with quiet once the input ended and the server is silent", async () => {
  await withConnection(async (start, server) => {
    const output = new WriteRecorder();
    const input = new ScriptedReader(["ping\n"], true);
    const ended = start({ input, output, quietAfterInputMs: 30 });
    assert.equal(decoder.decode(await readToEnd(server)), "ping\n");
    await writeAll(server, bytes("pong\n")); // and then nothing, without closing
    assert.equal(await ended, "quiet");
    assert.equal(output.text, "pong\n");
  });
});

Deno.test("runPipedClient() with quietAfterInputMs does not end while the input is still open", async () => {
  await withConnection(async (start, server) => {
    const quietMs = 20;
    const input = new ScriptedReader(["ping\n"]);
    const output = new WriteRecorder();
    let result: string | null = null;
    const ended = start({ input, output, quietAfterInputMs: quietMs }).then(
      (how) => result = how,
    );
    await writeAll(server, bytes("pong\n"));
    await output.waitFor("pong\n");
    // Watch for many quiet periods: the client must still be running.
    const watch = Promise.withResolvers<void>();
    const timer = setTimeout(watch.resolve, quietMs * 15);
    await Promise.race([watch.promise, ended]);
    clearTimeout(timer);
    assert.equal(result, null, "ended while the input was open");
    input.end();
    assert.equal(await ended, "quiet");
  });
});

Deno.test("runPipedClient() without quietAfterInputMs waits for the server to close", async () => {
  await withConnection(async (start, server) => {
    const output = new WriteRecorder();
    const ended = start({ input: new ScriptedReader([], true), output });
    await readToEnd(server); // the client's FIN: the input ended
    await writeAll(server, bytes("late\n"));
    await output.waitFor("late\n");
    server.close();
    assert.equal(await ended, "closed");
  });
});

// --- How it ends ---

/** Runs a session where the server sends `reply` at once and closes; returns how it ended. */
async function endingAfter(reply: string): Promise<string> {
  let how = "";
  await withConnection(async (start, server) => {
    const input = new ScriptedReader(); // still open: the server ends the session
    const output = new WriteRecorder();
    const ended = start({ input, output });
    await writeAll(server, bytes(reply));
    server.close();
    how = await ended;
    assert.equal(output.text, reply);
  });
  return how;
}

Deno.test("runPipedClient() ends with refused when the server's last line is a refusal", async () => {
  assert.equal(await endingAfter(TEXTS.en.tooManyClients(5) + "\n"), "refused");
  assert.equal(await endingAfter(TEXTS.zh.tooManyClients(5) + "\r\n"), "refused");
  assert.equal(await endingAfter(`hello\n${TEXTS.en.lineTooLong(1024)}\n`), "refused");
  assert.equal(await endingAfter(TEXTS.en.tooManyClients(5)), "refused");
});

Deno.test("runPipedClient() ends with closed when the server's last line is anything else", async () => {
  assert.equal(await endingAfter(""), "closed");
  assert.equal(await endingAfter("bye\n"), "closed");
  assert.equal(await endingAfter(`${TEXTS.en.tooManyClients(5)}\nbye\n`), "closed");
  assert.equal(await endingAfter(`Server received: ${TEXTS.en.tooManyClients(5)}\n`), "closed");
});

Deno.test("runPipedClient() ends with reset when the server resets the connection", async () => {
  // Deno's Conn.close() sends FIN before closing even with unread data, so the
  // client would see a clean close. node:net's resetAndDestroy() sets SO_LINGER
  // to 0 and closes: the kernel sends RST, and nothing else.
  const server = net.createServer((socket) => socket.once("data", () => socket.resetAndDestroy()));
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  try {
    const { port } = server.address() as net.AddressInfo;
    const client = await Deno.connect({ hostname: LOOPBACK, port });
    try {
      const input = new ScriptedReader(["abcdef"]); // stays open: the reset ends the session
      const ended = runPipedClient(client, { input, output: new WriteRecorder() });
      assert.equal(await within(ended, WAIT_MS, "the piped client to end"), "reset");
    } finally {
      closeQuietly(client);
    }
  } finally {
    await new Promise<void>((resolve, reject) =>
      server.close((error) => error === undefined ? resolve() : reject(error))
    );
  }
});

Deno.test("runPipedClient() ends with output-closed when its output cannot be written", async () => {
  await withConnection(async (start, server) => {
    const input = new ScriptedReader();
    const output = new WriteRecorder({
      failWith: new Deno.errors.BrokenPipe("Broken pipe (os error 32)"),
    });
    const ended = start({ input, output });
    await writeAll(server, bytes("data nobody reads\n"));
    assert.equal(await ended, "output-closed");
    assert.equal(output.calls, 1);
  });
});
