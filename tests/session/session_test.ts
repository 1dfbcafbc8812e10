/**
 * The order of a session's writes, with a connection whose reads and writes
 * the test completes by hand: which write starts when is exact there, where
 * over real sockets it depends on buffer sizes.
 */

import assert from "node:assert/strict";
import { Logger } from "../../lib/log/logger.ts";
import { MessageLog } from "../../lib/log/message_log.ts";
import { TEXTS } from "../../lib/text/texts.ts";
import { ReplySession } from "../../lib/session/reply_session.ts";
import { ReplyTemplate } from "../../lib/session/reply_template.ts";
import { ServerStats } from "../../lib/session/server_stats.ts";
import type { SessionContext } from "../../lib/session/session.ts";
import { HandDrivenWriter } from "../support/fake_writers.ts";
import { ScriptedReader } from "../support/scripted_reader.ts";

const encoder = new TextEncoder();

/**
 * The parts of `Deno.TcpConn` a session uses, driven by the test: reads
 * return what the test passes to `receive()`, and writes stay pending until
 * the test completes them.
 */
class HandDrivenConn extends HandDrivenWriter {
  readonly remoteAddr: Deno.NetAddr = { transport: "tcp", hostname: "127.0.0.1", port: 6708 };
  readonly #input = new ScriptedReader();

  /** Returns what the test passed to `receive()`, waiting for it if need be. */
  read(buffer: Uint8Array): Promise<number | null> {
    return this.#input.read(buffer);
  }

  /** Gives the session's next read `text`, or the end of stream. */
  receive(text: string | null): void {
    if (text === null) this.#input.end();
    else this.#input.send(text);
  }

  closeWrite(): Promise<void> {
    return Promise.resolve();
  }

  /** Ends a pending read the way closing a real connection does. */
  close(): void {
    this.#input.close();
  }
}

/** A reply session (template "{msg}") on a hand-driven connection; resolves when it has ended. */
function startSession(conn: HandDrivenConn): { session: ReplySession; ended: Promise<void> } {
  const texts = TEXTS.en;
  const log = new Logger({ quiet: true, writeInfo: () => {}, writeError: () => {} });
  const ended = Promise.withResolvers<void>();
  const ctx: SessionContext = {
    log,
    stats: new ServerStats(),
    texts,
    messageLog: new MessageLog(log, texts),
    idleTimeoutMs: 0,
    onEnd: () => ended.resolve(),
  };
  const session = new ReplySession(ctx, conn as unknown as Deno.TcpConn, {
    template: new ReplyTemplate("{msg}"),
    maxLineBytes: 1024,
    strictLines: false,
  });
  void session.run();
  return { session, ended: ended.promise };
}

Deno.test("a line asked for while the read loop is writing goes out after that write", async () => {
  const conn = new HandDrivenConn();
  const { session, ended } = startSession(conn);
  const replyWrite = conn.nextWrite();
  conn.receive("first\n");
  const reply = await replyWrite;
  assert.equal(reply.text, "first\n");

  // The read loop waits for its write; the shutdown line must wait for it too,
  // or a reply cut short by a full socket buffer would have the line inside it.
  const goodbyeWrite = conn.nextWrite();
  const stopping = session.stop();
  assert.equal(conn.writes.length, 1);

  reply.complete();
  const goodbye = await goodbyeWrite;
  assert.equal(goodbye.text, `${TEXTS.en.shuttingDown}\n`);
  goodbye.complete();
  await stopping;
  await ended;
  assert.deepEqual(conn.writes.map((write) => write.text), ["first\n", goodbye.text]);
});

Deno.test("the read loop's next reply waits for a write that was queued before it", async () => {
  const conn = new HandDrivenConn();
  const { session, ended } = startSession(conn);
  const inside = session as unknown as {
    write(bytes: Uint8Array): Promise<void>;
    received(chunk: Uint8Array): unknown;
  };
  const firstWrite = conn.nextWrite();
  conn.receive("one\n");
  const first = await firstWrite;

  // A write from outside the loop (as the idle flush makes) queues behind the loop's write...
  const outside = inside.write(encoder.encode("outside\n"));
  const outsideWrite = conn.nextWrite();
  first.complete();
  const second = await outsideWrite;
  assert.equal(second.text, "outside\n");

  // ...and the loop's reply to a line read meanwhile queues behind that one. The loop
  // starts (or queues) the reply's write in the same step as received().
  const handled = Promise.withResolvers<void>();
  const received = inside.received.bind(session);
  inside.received = (chunk) => {
    const reply = received(chunk);
    handled.resolve();
    return reply;
  };
  conn.receive("two\n");
  await handled.promise;
  assert.equal(conn.writes.length, 2);

  const thirdWrite = conn.nextWrite();
  second.complete();
  await outside;
  const third = await thirdWrite;
  assert.equal(third.text, "two\n");
  third.complete();

  conn.receive(null);
  await ended;
  assert.deepEqual(conn.writes.map((write) => write.text), ["one\n", "outside\n", "two\n"]);
});
