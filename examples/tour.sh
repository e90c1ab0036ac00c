#!/usr/bin/env bash
# A tour of the REST API with curl, against a server started with
#   cargo run --release -p kms-server
# from the same directory (it uses the development PKI in ./kms-data/pki).
#
# Needs curl, jq, openssl and base64. Settings:
#   KMS_URL  the server           (default https://localhost:8443)
#   KMS_PKI  the PKI directory    (default kms-data/pki)
#
# The README's tour is this script; crates/kms-server/tests/tour.rs runs it against a
# started server, so what the README shows keeps working.
set -euo pipefail

KMS_URL="${KMS_URL:-https://localhost:8443}"
KMS_PKI="${KMS_PKI:-kms-data/pki}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Every call authenticates with the admin client certificate.
kms() {
  curl -sS --fail-with-body \
    --cacert "$KMS_PKI/ca.pem" --cert "$KMS_PKI/admin.pem" --key "$KMS_PKI/admin.key" \
    -H 'Content-Type: application/json' "$@"
}
step() { printf '\n== %s\n' "$*"; }

step "1. Create an AES-256 key for encryption"
key=$(kms -X POST "$KMS_URL/v1/servicekey" \
  -d '{"name":"tour-aes","type":"oct","size":256,"operations":["encrypt","decrypt"]}' |
  jq -r .id)
echo "key id: $key"

step "2. Encrypt with a context (bound to the ciphertext)"
plaintext=$(printf 'attack at dawn' | base64)
ciphertext=$(kms -X POST "$KMS_URL/v1/servicekey/$key/encrypt" \
  -d "{\"plaintext\":\"$plaintext\",\"context\":\"tour\"}" | jq -r .ciphertext)
echo "ciphertext (compact JWE): ${ciphertext:0:60}..."

step "3. Decrypt with the same context"
kms -X POST "$KMS_URL/v1/servicekey/$key/decrypt" \
  -d "{\"ciphertext\":\"$ciphertext\",\"context\":\"tour\"}" | jq -r .plaintext | base64 -d
echo
# Another context fails, like a tampered ciphertext.
status=$(curl -sS -o /dev/null -w '%{http_code}' \
  --cacert "$KMS_PKI/ca.pem" --cert "$KMS_PKI/admin.pem" --key "$KMS_PKI/admin.key" \
  -H 'Content-Type: application/json' -X POST "$KMS_URL/v1/servicekey/$key/decrypt" \
  -d "{\"ciphertext\":\"$ciphertext\",\"context\":\"other\"}")
echo "decrypt with another context: HTTP $status"
[ "$status" = 400 ]

step "4. A data key: 256 bits in clear for local use, and sealed under the service key"
kms -X POST "$KMS_URL/v1/servicekey/$key/datakey" -d '{"name":"tour-dk","size":256}' \
  >"$work/datakey.json"
sealed=$(jq -r .key "$work/datakey.json")
# Keep only the sealed blob; ask the KMS for the clear key when needed.
kms -X POST "$KMS_URL/v1/servicekey/$key/datakey/decrypt" -d "{\"key\":\"$sealed\"}" |
  jq -r .plaintext >"$work/datakey.b64"
cmp <(jq -r .plaintext "$work/datakey.json") "$work/datakey.b64"
echo "the sealed data key decrypts to the same $(base64 -d "$work/datakey.b64" | wc -c) bytes"

step "5. Create an EC P-256 signing key"
ec=$(kms -X POST "$KMS_URL/v1/servicekey" \
  -d '{"name":"tour-ec","type":"EC","curve":"P-256","operations":["sign","verify"]}' |
  jq -r .id)
echo "key id: $ec"

step "6. Sign a message with ES256 (the KMS hashes it: isdigest false)"
printf 'release v1.0 checksum: 3f2a...' >"$work/message"
message=$(base64 <"$work/message" | tr -d '\n')
signature=$(kms -X POST "$KMS_URL/v1/servicekey/$ec/sign" \
  -d "{\"alg\":\"ES256\",\"message\":\"$message\",\"isdigest\":false}" | jq -r .signature)
echo "signature (base64 r||s): $signature"
kms -X POST "$KMS_URL/v1/servicekey/$ec/verify" \
  -d "{\"alg\":\"ES256\",\"message\":\"$message\",\"signature\":\"$signature\",\"isdigest\":false}"
echo

step "7. Verify the signature with openssl, from the public JWK"
kms "$KMS_URL/v1/servicekey/$ec?format=jwk" | jq '.keys[0]' >"$work/jwk.json"
b64url_decode() { # base64url without padding -> bytes
  local s
  s=$(printf '%s' "$1" | tr '_-' '/+')
  while [ $(( ${#s} % 4 )) -ne 0 ]; do s="$s="; done
  printf '%s' "$s" | base64 -d
}
hex() { od -An -v -tx1 | tr -d ' \n'; }
# SubjectPublicKeyInfo for P-256 = fixed DER prefix || 0x04 || x || y.
{
  printf '\x30\x59\x30\x13\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07\x03\x42\x00\x04'
  b64url_decode "$(jq -r .x "$work/jwk.json")"
  b64url_decode "$(jq -r .y "$work/jwk.json")"
} >"$work/pub.der"
openssl pkey -pubin -inform DER -in "$work/pub.der" -out "$work/pub.pem"
# The API's signature is r||s (JWS form); openssl wants DER SEQUENCE { r, s }.
rs=$(printf '%s' "$signature" | base64 -d | hex)
cat >"$work/sig.cnf" <<EOF
asn1=SEQUENCE:sig
[sig]
r=INTEGER:0x${rs:0:64}
s=INTEGER:0x${rs:64:64}
EOF
openssl asn1parse -genconf "$work/sig.cnf" -out "$work/sig.der" -noout
openssl dgst -sha256 -verify "$work/pub.pem" -signature "$work/sig.der" "$work/message"

step "Done"
