/**
 * A relay that makes a test's client connect from another loopback address
 * (127.0.0.2): for `/ban`, which needs the banned client and the operator at
 * different addresses. Deno cannot choose a connection's source address, so
 * a small Python program does it (the tests that use it need python3).
 *
 * @module
 */

import { type PipedProcess, startPipedProcess } from "./processes.ts";

/** The relay: for each connection to its port, one from `SOURCE` to the target, bytes both ways. */
const RELAY_PY = `
import os, socket, sys, threading
target, source = int(sys.argv[1]), sys.argv[2]
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(16)
print(listener.getsockname()[1], flush=True)
def pipe(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            b.sendall(data)
    except OSError:
        pass
    try:
        b.shutdown(socket.SHUT_WR)
    except OSError:
        pass
def relay(client):
    server = socket.create_connection(("127.0.0.1", target), source_address=(source, 0))
    threading.Thread(target=pipe, args=(client, server), daemon=True).start()
    pipe(server, client)
def stop_at_eof():
    sys.stdin.read()
    os._exit(0)
threading.Thread(target=stop_at_eof, daemon=True).start()
while True:
    client, _ = listener.accept()
    threading.Thread(target=relay, args=(client,), daemon=True).start()
`;

/** The other address the relay's connections come from. */
export const OTHER_ADDRESS = "127.0.0.2";

/** A running relay. */
export interface OtherAddressProxy {
  /** Connect here to reach the target from {@linkcode OTHER_ADDRESS}. */
  port: number;
  /** Stops the relay and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts a relay to `127.0.0.1:targetPort` whose connections come from
 * {@linkcode OTHER_ADDRESS}.
 *
 * @param targetPort The server's port.
 * @returns The relay; call `stop()` in every test.
 */
export async function startOtherAddressProxy(targetPort: number): Promise<OtherAddressProxy> {
  const process: PipedProcess = startPipedProcess(
    "python3",
    ["-c", RELAY_PY, String(targetPort), OTHER_ADDRESS],
  );
  const line = await process.stdout.nextLine();
  const port = Number(line);
  if (!Number.isInteger(port) || port <= 0) {
    const result = await process.finish();
    throw new Error(`the relay did not start: ${result.stderr}`);
  }
  return {
    port,
    async stop() {
      await process.finish();
    },
  };
}
