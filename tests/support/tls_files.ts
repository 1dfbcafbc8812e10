/**
 * The test certificates of `tests/support/tls/` (made by `make_certs.sh`
 * there): a test CA, and a leaf certificate it signed for `localhost`,
 * `127.0.0.1` and `::1`, valid for a hundred years.
 *
 * @module
 */

const TLS_DIR = new URL("./tls/", import.meta.url).pathname;

/** The test CA's certificate (PEM): what a client trusts with `--ca`. */
export const CA_FILE = `${TLS_DIR}ca.pem`;
/** The server's certificate (PEM), for `--tls-cert`. */
export const CERT_FILE = `${TLS_DIR}server.pem`;
/** The server's private key (PEM), for `--tls-key`. */
export const KEY_FILE = `${TLS_DIR}server.key`;
/** The test CA's private key: a certificate that is not the server key's pair, for tests. */
export const CA_KEY_FILE = `${TLS_DIR}ca.key`;

/** The three files' contents. */
export const CA_PEM = Deno.readTextFileSync(CA_FILE);
/** The server's certificate. */
export const CERT_PEM = Deno.readTextFileSync(CERT_FILE);
/** The server's key. */
export const KEY_PEM = Deno.readTextFileSync(KEY_FILE);

/** Deno flags for a TLS server: the network, and reading the certificate and key only. */
export const TLS_SERVER_FLAGS: readonly string[] = [
  "--allow-net",
  `--allow-read=${CERT_FILE},${KEY_FILE}`,
];

/** server.ts options for TLS with the test certificate. */
export const TLS_SERVER_ARGS: readonly string[] = ["--tls-cert", CERT_FILE, "--tls-key", KEY_FILE];
