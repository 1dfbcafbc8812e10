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

import { type PipedProcess, startPipedProcess } from "./processes.ts";

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
 * Passed to {@linkcode TUTORIAL_SERVER_PY}, makes it drop the "\n" that ends
 * each chunk before answering and recording it, so each reply has no newline
 * at all, as when the tutorial's server answers the tutorial's client.
 */
export const STRIP_NEWLINE = "--strip-newline";

/**
 * Like the tutorial's server.py, on 127.0.0.1 and port 0: prints its port as
 * the first line, serves ONE client, answers each `recv(512)` with
 * "服务端接收到的信息为：{info}" and no newline, and exits when the client
 * closes, printing every chunk it received as one JSON list. With the
 * argument {@linkcode STRIP_NEWLINE}, `info` is the chunk without its
 * trailing "\n".
 */
export const TUTORIAL_SERVER_PY = `
import json, socket, sys
strip_newline = "${STRIP_NEWLINE}" in sys.argv[1:]
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
    if strip_newline:
        info = info.rstrip("\\n")
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

/**
 * Starts `python3 -c CODE ARGS` with piped stdin, stdout and stderr, writing
 * and reading UTF-8 whatever the locale.
 *
 * @param code One of the programs above.
 * @param args Its arguments (`sys.argv[1:]`).
 * @returns The running peer; always call `finish()`.
 */
export function startPythonPeer(code: string, args: readonly string[]): PipedProcess {
  return startPipedProcess("python3", ["-c", code, ...args], { PYTHONIOENCODING: "utf-8" });
}
