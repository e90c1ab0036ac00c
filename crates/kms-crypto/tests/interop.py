"""The Python `cryptography` side of tests/interop.rs.

Reads a JSON list of tasks on stdin and writes a JSON list of results, one per task, on
stdout. Every byte string travels as hex. One process serves a whole batch, so the cost
of starting Python and importing `cryptography` is paid once per batch.
"""

import json
import sys

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, keywrap, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

HASHES = {
    "SHA1": hashes.SHA1,
    "SHA256": hashes.SHA256,
    "SHA384": hashes.SHA384,
    "SHA512": hashes.SHA512,
}
CURVES = {"P-256": ec.SECP256R1, "P-384": ec.SECP384R1, "P-521": ec.SECP521R1}
DER = serialization.Encoding.DER
PEM = serialization.Encoding.PEM
SPKI = serialization.PublicFormat.SubjectPublicKeyInfo
PKCS1_PUBLIC = serialization.PublicFormat.PKCS1
PKCS8 = serialization.PrivateFormat.PKCS8
TRADITIONAL = serialization.PrivateFormat.TraditionalOpenSSL
NO_PASSWORD = serialization.NoEncryption()


def unhex(text):
    return bytes.fromhex(text)


def algorithm(name):
    """("RS" | "PS" | "ES", hash) for a JOSE name such as "PS384"."""
    return name[:2], HASHES["SHA" + name[2:]]()


def rsa_padding(kind, hash_):
    if kind == "PS":
        # The salt is as long as the hash, and verification insists on it.
        return padding.PSS(mgf=padding.MGF1(hash_), salt_length=hash_.digest_size)
    return padding.PKCS1v15()


def oaep(hash_name, label):
    hash_ = HASHES[hash_name]()
    return padding.OAEP(mgf=padding.MGF1(hash_), algorithm=hash_, label=unhex(label) or None)


def spki(public_key):
    return public_key.public_bytes(DER, SPKI).hex()


def secret(private_key):
    """The RSA private exponent or the EC scalar, as minimal big-endian hex."""
    numbers = private_key.private_numbers()
    value = numbers.d if isinstance(private_key, rsa.RSAPrivateKey) else numbers.private_value
    return value.to_bytes((value.bit_length() + 7) // 8, "big").hex()


def load_private(task):
    data = unhex(task["data"])
    if task["pem"]:
        return serialization.load_pem_private_key(data, password=None)
    return serialization.load_der_private_key(data, password=None)


def load_public(task):
    data = unhex(task["data"])
    if task["pem"]:
        return serialization.load_pem_public_key(data)
    return serialization.load_der_public_key(data)


def scalar_len(key):
    return (key.curve.key_size + 7) // 8


def generate(task):
    name = task["key"]
    if name.startswith("RSA-"):
        key = rsa.generate_private_key(public_exponent=65537, key_size=int(name[4:]))
    else:
        key = ec.generate_private_key(CURVES[name]())
    public = key.public_key()
    out = {
        "pkcs8_der": key.private_bytes(DER, PKCS8, NO_PASSWORD).hex(),
        "pkcs8_pem": key.private_bytes(PEM, PKCS8, NO_PASSWORD).hex(),
        # PKCS#1 for RSA, SEC 1 for EC.
        "traditional_der": key.private_bytes(DER, TRADITIONAL, NO_PASSWORD).hex(),
        "traditional_pem": key.private_bytes(PEM, TRADITIONAL, NO_PASSWORD).hex(),
        "spki_der": spki(public),
        "spki_pem": public.public_bytes(PEM, SPKI).hex(),
        "secret": secret(key),
    }
    if isinstance(key, rsa.RSAPrivateKey):
        out["pkcs1_public_der"] = public.public_bytes(DER, PKCS1_PUBLIC).hex()
        out["pkcs1_public_pem"] = public.public_bytes(PEM, PKCS1_PUBLIC).hex()
    return out


def sign(task):
    key = serialization.load_der_private_key(unhex(task["key"]), password=None)
    kind, hash_ = algorithm(task["alg"])
    message = unhex(task["msg"])
    if kind == "ES":
        der = key.sign(message, ec.ECDSA(hash_))
        if task["format"] == "raw":
            r, s = utils.decode_dss_signature(der)
            n = scalar_len(key)
            return {"sig": (r.to_bytes(n, "big") + s.to_bytes(n, "big")).hex()}
        return {"sig": der.hex()}
    return {"sig": key.sign(message, rsa_padding(kind, hash_), hash_).hex()}


def verify(task):
    key = serialization.load_der_public_key(unhex(task["key"]))
    kind, hash_ = algorithm(task["alg"])
    message, signature = unhex(task["msg"]), unhex(task["sig"])
    try:
        if kind == "ES":
            if task["format"] == "raw":
                n = scalar_len(key)
                if len(signature) != 2 * n:
                    return {"ok": False}
                r = int.from_bytes(signature[:n], "big")
                s = int.from_bytes(signature[n:], "big")
                signature = utils.encode_dss_signature(r, s)
            key.verify(signature, message, ec.ECDSA(hash_))
        else:
            key.verify(signature, message, rsa_padding(kind, hash_), hash_)
    except InvalidSignature:
        return {"ok": False}
    return {"ok": True}


def run(task):
    op = task["op"]
    if op == "generate":
        return generate(task)
    if op == "load_private":
        key = load_private(task)
        return {"spki": spki(key.public_key()), "secret": secret(key)}
    if op == "load_public":
        return {"spki": spki(load_public(task))}
    if op == "sign":
        return sign(task)
    if op == "verify":
        return verify(task)
    if op == "oaep_encrypt":
        key = serialization.load_der_public_key(unhex(task["key"]))
        return {"ct": key.encrypt(unhex(task["pt"]), oaep(task["hash"], task["label"])).hex()}
    if op == "oaep_decrypt":
        key = serialization.load_der_private_key(unhex(task["key"]), password=None)
        return {"pt": key.decrypt(unhex(task["ct"]), oaep(task["hash"], task["label"])).hex()}
    if op == "gcm_seal":
        aead = AESGCM(unhex(task["key"]))
        return {"ct": aead.encrypt(unhex(task["iv"]), unhex(task["pt"]), unhex(task["aad"])).hex()}
    if op == "gcm_open":
        aead = AESGCM(unhex(task["key"]))
        try:
            pt = aead.decrypt(unhex(task["iv"]), unhex(task["ct"]), unhex(task["aad"]))
        except InvalidTag:
            return {"pt": None}
        return {"pt": pt.hex()}
    if op == "wrap":
        wrap = keywrap.aes_key_wrap_with_padding if task["pad"] else keywrap.aes_key_wrap
        return {"wrapped": wrap(unhex(task["kek"]), unhex(task["data"])).hex()}
    if op == "unwrap":
        unwrap = keywrap.aes_key_unwrap_with_padding if task["pad"] else keywrap.aes_key_unwrap
        return {"data": unwrap(unhex(task["kek"]), unhex(task["wrapped"])).hex()}
    raise ValueError(f"unknown op {op}")


def main():
    json.dump([run(task) for task in json.load(sys.stdin)], sys.stdout)


if __name__ == "__main__":
    main()
