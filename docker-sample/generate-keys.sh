#!/bin/sh
# Creates the RS256 key pair sidecal signs JWTs with; esn-sabre gets the public half.
set -e
cd "$(dirname "$0")/conf"
[ -f jwt_privatekey ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out jwt_privatekey
openssl rsa -in jwt_privatekey -pubout -out jwt_publickey
chmod 644 jwt_privatekey jwt_publickey
echo "keys in $(pwd)"
