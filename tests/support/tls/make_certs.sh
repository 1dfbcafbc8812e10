#!/bin/sh
# Makes the test CA and the server's leaf certificate that the TLS tests trust.
# Run it in this folder; the files are checked in, so the tests never run openssl to make them.
# Valid for 100 years: a test must not start failing one day because its certificate expired.
set -eu
days=36500
# The CA: a self-signed root marked CA:TRUE.
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days "$days" \
  -subj "/CN=tcp-toolkit test CA" -keyout ca.key -out ca.pem \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
# The leaf: CA:FALSE (rustls refuses a certificate marked CA:TRUE as an end entity, Deno issue
# 23487), for localhost, 127.0.0.1 and ::1.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -subj "/CN=localhost" -keyout server.key -out server.csr
cat > leaf.ext <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
EXT
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days "$days" \
  -extfile leaf.ext -out server.pem
rm -f server.csr leaf.ext ca.srl
