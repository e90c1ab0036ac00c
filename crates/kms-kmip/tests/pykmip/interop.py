"""PyKMIP (ProxyKmipClient) against the KMS over mTLS, for KMIP 1.0 to 1.4.

Usage: interop.py CONFIG_FILE [VERSION ...]

CONFIG_FILE is a PyKMIP client configuration with a [client] section (host, port,
certfile, keyfile, ca_certs, ssl_version); VERSIONs (1.0 ... 1.4) default to all. Every step asserts its result; the exit
status is the number of failed steps (0: all passed). Run by tests/pykmip.rs.
"""

import sys
import traceback
import uuid

from kmip import enums
from kmip.pie import client as pie_client
from kmip.pie import objects

VERSIONS = [
    enums.KMIPVersion.KMIP_1_0,
    enums.KMIPVersion.KMIP_1_1,
    enums.KMIPVersion.KMIP_1_2,
    enums.KMIPVersion.KMIP_1_3,
    enums.KMIPVersion.KMIP_1_4,
]

# Encrypt, Decrypt, Sign and Signature Verify came with KMIP 1.2.
CRYPTO_SINCE = enums.KMIPVersion.KMIP_1_2

failures = []


def step(version, name, fn):
    """Runs one step; a raised exception or failed assertion is a failure."""
    label = "KMIP {}: {}".format(version.value, name)
    try:
        result = fn()
    except Exception:  # noqa: BLE001 - any error is a failed step
        failures.append(label)
        print("FAIL " + label)
        traceback.print_exc(limit=3, file=sys.stdout)
        return None
    print("ok   " + label)
    return result


def run(config_file, version):
    # Unique names: a destroyed object keeps its attributes, so a rerun against the
    # same server must not find the previous run's key by name.
    tag = "pykmip-{}-{}".format(str(version.value).replace(".", "-"), uuid.uuid4().hex[:8])
    client = pie_client.ProxyKmipClient(
        config="client", config_file=config_file, kmip_version=version
    )
    with client:
        # Create (AES-256).
        def create():
            uid = client.create(
                enums.CryptographicAlgorithm.AES,
                256,
                name=tag + "-aes",
                cryptographic_usage_mask=[
                    enums.CryptographicUsageMask.ENCRYPT,
                    enums.CryptographicUsageMask.DECRYPT,
                ],
            )
            assert isinstance(uid, str) and uid, uid
            return uid

        aes = step(version, "create AES-256", create)

        # Create Key Pair (RSA-2048).
        def create_pair():
            public, private = client.create_key_pair(
                enums.CryptographicAlgorithm.RSA,
                2048,
                public_name=tag + "-rsa-public",
                public_usage_mask=[enums.CryptographicUsageMask.VERIFY],
                private_name=tag + "-rsa-private",
                private_usage_mask=[enums.CryptographicUsageMask.SIGN],
            )
            assert public and private and public != private, (public, private)
            return public, private

        pair = step(version, "create key pair RSA-2048", create_pair)

        # Register (Secret Data).
        def register():
            secret = objects.SecretData(
                b"pykmip interop secret",
                enums.SecretDataType.PASSWORD,
                masks=[enums.CryptographicUsageMask.DERIVE_KEY],
                name=tag + "-secret",
            )
            uid = client.register(secret)
            assert isinstance(uid, str) and uid, uid
            return uid

        secret = step(version, "register secret data", register)

        # Locate by name.
        def locate():
            from kmip.core.factories import attributes as attribute_factory

            factory = attribute_factory.AttributeFactory()
            found = client.locate(
                attributes=[
                    factory.create_attribute(enums.AttributeType.NAME, tag + "-aes")
                ]
            )
            assert found == [aes], found

        if aes:
            step(version, "locate by name", locate)

        # Get.
        def get_key():
            key = client.get(aes)
            assert isinstance(key, objects.SymmetricKey), type(key)
            assert key.cryptographic_algorithm == enums.CryptographicAlgorithm.AES
            assert key.cryptographic_length == 256, key.cryptographic_length
            assert len(key.value) == 32, len(key.value)

        def get_secret():
            value = client.get(secret)
            assert isinstance(value, objects.SecretData), type(value)
            assert value.value == b"pykmip interop secret", value.value

        if aes:
            step(version, "get AES key", get_key)
        if secret:
            step(version, "get secret data", get_secret)

        # Get Attributes.
        def get_attributes():
            uid, attrs = client.get_attributes(
                aes, ["Cryptographic Algorithm", "Cryptographic Length", "State"]
            )
            assert uid == aes, uid
            by_name = {a.attribute_name.value: a.attribute_value.value for a in attrs}
            assert by_name.get("Cryptographic Algorithm") == (
                enums.CryptographicAlgorithm.AES
            ), by_name
            assert by_name.get("Cryptographic Length") == 256, by_name
            assert by_name.get("State") == enums.State.PRE_ACTIVE, by_name

        if aes:
            step(version, "get attributes", get_attributes)

        # Activate.
        def activate(uid):
            def run_activate():
                client.activate(uid)
                _, attrs = client.get_attributes(uid, ["State"])
                states = [a.attribute_value.value for a in attrs]
                assert states == [enums.State.ACTIVE], states

            return run_activate

        if aes:
            step(version, "activate AES key", activate(aes))
        if pair:
            step(version, "activate RSA private key", activate(pair[1]))
            step(version, "activate RSA public key", activate(pair[0]))

        if version >= CRYPTO_SINCE:
            # Encrypt / Decrypt (AES-CBC, PKCS#5, server-generated IV).
            def encrypt_decrypt():
                params = {
                    "cryptographic_algorithm": enums.CryptographicAlgorithm.AES,
                    "block_cipher_mode": enums.BlockCipherMode.CBC,
                    "padding_method": enums.PaddingMethod.PKCS5,
                    "random_iv": True,
                }
                plaintext = b"interop plaintext, 33 bytes long!"
                ciphertext, iv = client.encrypt(
                    plaintext, uid=aes, cryptographic_parameters=params
                )
                assert iv is not None and len(iv) == 16, iv
                assert len(ciphertext) == 48, len(ciphertext)
                params.pop("random_iv")
                decrypted = client.decrypt(
                    ciphertext,
                    uid=aes,
                    cryptographic_parameters=params,
                    iv_counter_nonce=iv,
                )
                assert decrypted == plaintext, decrypted

            if aes:
                step(version, "encrypt/decrypt AES-CBC", encrypt_decrypt)

            # Sign / Signature Verify (RSA PKCS#1 v1.5 with SHA-256).
            def sign_verify():
                params = {
                    "cryptographic_algorithm": enums.CryptographicAlgorithm.RSA,
                    "hashing_algorithm": enums.HashingAlgorithm.SHA_256,
                    "padding_method": enums.PaddingMethod.PKCS1v15,
                }
                message = b"interop message to sign"
                signature = client.sign(
                    message, uid=pair[1], cryptographic_parameters=params
                )
                assert len(signature) == 256, len(signature)
                valid = client.signature_verify(
                    message, signature, uid=pair[0], cryptographic_parameters=params
                )
                assert valid == enums.ValidityIndicator.VALID, valid
                invalid = client.signature_verify(
                    message + b"!",
                    signature,
                    uid=pair[0],
                    cryptographic_parameters=params,
                )
                assert invalid == enums.ValidityIndicator.INVALID, invalid

            if pair:
                step(version, "sign/verify RSA PKCS#1 v1.5 SHA-256", sign_verify)

        # Revoke, then Destroy (an active key must be revoked first).
        def revoke(uid):
            def run_revoke():
                client.revoke(
                    enums.RevocationReasonCode.CESSATION_OF_OPERATION,
                    uid,
                    revocation_message="interop done",
                )
                _, attrs = client.get_attributes(uid, ["State"])
                states = [a.attribute_value.value for a in attrs]
                assert states == [enums.State.DEACTIVATED], states

            return run_revoke

        def destroy(uid):
            def run_destroy():
                client.destroy(uid)
                try:
                    client.get(uid)
                except Exception:  # noqa: BLE001 - the Get must fail
                    return
                raise AssertionError("Get after Destroy succeeded")

            return run_destroy

        for name, uid in [
            ("AES key", aes),
            ("RSA private key", pair[1] if pair else None),
            ("RSA public key", pair[0] if pair else None),
        ]:
            if uid:
                step(version, "revoke " + name, revoke(uid))
                step(version, "destroy " + name, destroy(uid))
        if secret:
            step(version, "destroy secret data", destroy(secret))


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    wanted = sys.argv[2:]
    versions = [v for v in VERSIONS if not wanted or str(v.value) in wanted]
    if not versions:
        print(__doc__)
        return 2
    for version in versions:
        try:
            run(sys.argv[1], version)
        except Exception:  # noqa: BLE001 - connection-level failure
            failures.append("KMIP {}: connection".format(version.value))
            print("FAIL KMIP {}: connection".format(version.value))
            traceback.print_exc(limit=5, file=sys.stdout)
    print("{} failure(s)".format(len(failures)))
    for f in failures:
        print("  " + f)
    return min(len(failures), 100)


if __name__ == "__main__":
    sys.exit(main())
