/**
 * Small python3 peers that behave like the socket tutorial's own server and
 * client (`recv(512)`, replies without "\n", one client), for interop tests.
 * Each is a program passed with `python3 -c`; none reads a file, and each
 * bounds its own waits with socket timeouts so a broken test cannot hang it.
 *
 * Their results go to stdout as JSON with ASCII escapes, so the output does
 * not depend on the locale python3 runs in.
 *
 * @module
 */

import { LineReader, WAIT_MS, within } from "./processes.ts";

/**
 * Like the tutorial's client.py: connects to 127.0.0.1:PORT (argv[1]), sends
 * each further argument as UTF-8 WITHOUT a newline, waits for one
 * `recv(512)` after each, then prints the decoded replies as one JSON list
 * and closes.
 */
export const TUTORIAL_CLIENT_PY = `
import json, socket, sys
port = int(sys.argv[1])
replies = []
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(("127.0.0.1", port))
for message in sys.argv[2:]:
    s.send(message.encode())
    recved = s.recv(512)
    if not recved:
        break
    replies.append(recved.decode())
s.close()
print(json.dumps(replies), flush=True)
`;

/**
 * Like the tutorial's server.py, on 127.0.0.1 and port 0: prints its port as
 * the first line, serves ONE client, answers each `recv(512)` with
 * "服务端接收到的信息为：{info}" and no newline, and exits when the client
 * closes, printing every chunk it received as one JSON list.
 */
export const TUTORIAL_SERVER_PY = `
import json, socket
listen_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listen_socket.bind(("127.0.0.1", 0))
listen_socket.listen(8)
listen_socket.settimeout(10)
print(listen_socket.getsockname()[1], flush=True)
data_socket, addr = listen_socket.accept()
data_socket.settimeout(10)
chunks = []
while True:
    recved = data_socket.recv(512)
    if not recved:
        break
    info = recved.decode()
    chunks.append(info)
    data_socket.send(f"服务端接收到的信息为：{info}".encode())
data_socket.close()
listen_socket.close()
print(json.dumps(chunks), flush=True)
`;

/**
 * A client with TCP_NODELAY that sends "好男孩" (no newline) in two sends that
 * split the first character after its second byte. It prints its own port
 * (so the test can find its lines in the server's log), sends the first two
 * bytes, then waits for a line on stdin before sending the rest, so the test
 * can hold it until the server has read the first piece on its own. Then it
 * reads until "\n" and prints the reply as a JSON string.
 */
export const SPLIT_CHARACTER_CLIENT_PY = `
import json, socket, sys
port = int(sys.argv[1])
whole = "好男孩".encode()
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
s.settimeout(10)
s.connect(("127.0.0.1", port))
print(s.getsockname()[1], flush=True)
s.sendall(whole[:2])
sys.stdin.readline()
s.sendall(whole[2:])
reply = b""
while not reply.endswith(b"\\n"):
    recved = s.recv(512)
    if not recved:
        break
    reply += recved
s.close()
print(json.dumps(reply.decode()), flush=True)
`;

/** A running python3 peer. */
export interface PythonPeer {
  /** The process. */
  child: Deno.ChildProcess;
  /** Its stdout, line by line. */
  stdout: LineReader;
  /** Its stderr. */
  stderr: LineReader;
  /** Writes a line to its stdin. */
  send(line: string): Promise<void>;
  /**
   * Closes its stdin and waits for it to exit, with a bound (kills it after).
   *
   * @returns Exit code and the whole of stdout and stderr.
   */
  finish(): Promise<{ code: number; stdout: string; stderr: string }>;
}

/**
 * Starts `python3 -c CODE ARGS` with piped stdin, stdout and stderr.
 *
 * @param code One of the programs above.
 * @param args Its arguments (`sys.argv[1:]`).
 * @returns The running peer; always call `finish()`.
 */
export function startPythonPeer(code: string, args: readonly string[]): PythonPeer {
  const child = new Deno.Command("python3", {
    args: ["-c", code, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { PYTHONIOENCODING: "utf-8" },
  }).spawn();
  const writer = child.stdin.getWriter();
  const stdout = new LineReader(child.stdout);
  const stderr = new LineReader(child.stderr);
  let finished: Promise<{ code: number; stdout: string; stderr: string }> | null = null;
  return {
    child,
    stdout,
    stderr,
    async send(line: string) {
      await writer.write(new TextEncoder().encode(line + "\n"));
    },
    finish() {
      finished ??= (async () => {
        try {
          await writer.close();
        } catch {
          // it exited already
        }
        try {
          const [status, out, err] = await Promise.all([
            within(child.status, WAIT_MS, "python3 to exit"),
            stdout.rest(),
            stderr.rest(),
          ]);
          return { code: status.code, stdout: out, stderr: err };
        } catch (error) {
          try {
            child.kill("SIGKILL");
          } catch {
            // already gone
          }
          await child.status;
          await Promise.allSettled([stdout.rest(), stderr.rest()]);
          throw error;
        }
      })();
      return finished;
    },
  };
}
