#!/usr/bin/env python3
"""Independent verifier for OpenSSF model-signing v1.0 key-based signatures.

Written for Warden's interop tests because the reference implementation (PyPI package `model_signing`,
repository sigstore/model-transparency) cannot be installed here. It uses only the Python standard library
and `cryptography`, and follows, rule for rule, what the reference does when it verifies an
elliptic-curve-key signature. No reference code is copied; each rule names the reference file it comes
from (paths below `src/model_signing/` in sigstore/model-transparency, read from the public repository):

  _cli.py                        `verify key`: ignore-path resolution, hashing config, flags
  verifying.py                   Config.verify: the overall flow, ignore_unsigned_files, the diff report
  _signing/sign_sigstore_pb.py   Signature.read (bundle JSON fix-ups), media type check, pae, pae_compat
  _signing/sign_ec_key.py        key loading, supported curves, curve -> hash, key hint, ECDSA verify
  _signing/signing.py            Verifier.verify (payload type, _type) and dsse_payload_to_manifest
  manifest.py                    resource names -> manifest keys (File / Shard), manifest equality
  hashing.py                     hashing.Config: ignored paths, git paths, serializer choice
  _serialization/file.py         the files method
  _serialization/file_shard.py   the shards method (_endpoints, _get_shards)
  _serialization/serialization.py should_ignore, check_file_or_directory
  _filesystem.py                 walk_paths, check_path_within_model
  _hashing/io.py, _hashing/memory.py  file and shard hashers, digest (algorithm) names

Usage:
  python3 oms_verify.py --model-path PATH --signature SIG --public-key KEY.pub
                        [--ignore-paths P ...] [--ignore-unsigned-files] [--no-ignore-git-paths]
                        [--allow-symlinks] [--mode api|cli]

--mode api (default) hashes the local model with the serialization the signature records, as the
reference's `verifying.Config().use_elliptic_key_verifier(public_key=...).verify(model, sig)` does when no
hashing config is set (verifying.py `_guess_hashing_config`); the user's ignore paths and the signature
file are added exactly as `_cli.py` resolves them. --mode cli reproduces `model_signing verify key`
literally: the CLI always passes its own `hashing.Config()` (hashing.py: file serialization, sha256), so
the recorded method/hash_type/shard_size are not used for re-hashing (a shards signature therefore fails
there: the reference CLI cannot verify the shards method, only its Python API can).

Exit status 0 and a JSON object on stdout when the signature verifies; 1 and a JSON object with
"ok": false, "stage" and "reason" (also written to stderr) when it does not; 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import os
import pathlib
import sys
from typing import Any

from cryptography import exceptions
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

# _signing/sign_sigstore_pb.py: _BUNDLE_MEDIA_TYPE
BUNDLE_MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json"
# _signing/signing.py: _IN_TOTO_JSON_PAYLOAD_TYPE, _IN_TOTO_STATEMENT_TYPE, _PREDICATE_TYPE(_COMPAT)
IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json"
STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://model_signing/signature/v1.0"
PREDICATE_TYPE_COMPAT = "https://model_signing/Digests/v0.1"
# hashing.py Config.hash: git paths ignored at the model root unless --no-ignore-git-paths
GIT_PATHS = (".git", ".gitattributes", ".github", ".gitignore")
# _signing/sign_ec_key.py: _SUPPORTED_CURVES
SUPPORTED_CURVES = (ec.SECP256R1(), ec.SECP384R1(), ec.SECP521R1())
CHUNK = 1_048_576  # hashing.py: default chunk_size (does not change any digest)


class VerificationError(Exception):
    def __init__(self, stage: str, reason: str):
        super().__init__(reason)
        self.stage = stage
        self.reason = reason


# --------------------------------------------------------------------------------------------------
# Keys (_signing/sign_ec_key.py)
# --------------------------------------------------------------------------------------------------


def load_public_key(raw: bytes) -> ec.EllipticCurvePublicKey:
    """_load_public_key: a compressed point (33/49/67 bytes), else PEM, else DER; EC on a supported curve."""
    by_size = {1 + (c.key_size + 7) // 8: c for c in SUPPORTED_CURVES}
    curve = by_size.get(len(raw))
    if curve is not None:
        try:
            return ec.EllipticCurvePublicKey.from_encoded_point(curve, raw)
        except (ValueError, exceptions.UnsupportedAlgorithm) as e:
            raise VerificationError("key", f"bad compressed {curve.name} key: {e}") from e
    try:
        key = serialization.load_pem_public_key(raw)
    except ValueError:
        try:
            key = serialization.load_der_public_key(raw)
        except ValueError as e:
            raise VerificationError("key", "public key is not PEM, DER or a compressed EC point") from e
    # _check_supported_ec_key
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise VerificationError("key", "only elliptic curve public keys are supported")
    if key.curve.name not in {c.name for c in SUPPORTED_CURVES}:
        raise VerificationError("key", f"unsupported curve {key.curve.name}")
    return key


def curve_hash(key: ec.EllipticCurvePublicKey) -> hashes.HashAlgorithm:
    """get_ec_key_hash: P-256 -> SHA-256, P-384 -> SHA-384, P-521 -> SHA-512."""
    return {256: hashes.SHA256(), 384: hashes.SHA384(), 521: hashes.SHA512()}[key.curve.key_size]


def key_hint(key: ec.EllipticCurvePublicKey) -> str:
    """Verifier._verify_bundle: hex SHA-256 of the key re-serialized as SubjectPublicKeyInfo PEM."""
    pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(pem).hexdigest()


# --------------------------------------------------------------------------------------------------
# Bundle and DSSE (_signing/sign_sigstore_pb.py, _signing/sign_ec_key.py, _signing/signing.py)
# --------------------------------------------------------------------------------------------------


def pae(payload: bytes) -> bytes:
    """sign_sigstore_pb.pae: the payload type is the in-toto constant, not the envelope's field."""
    head = f"DSSEv1 {len(IN_TOTO_PAYLOAD_TYPE)} {IN_TOTO_PAYLOAD_TYPE} {len(payload)}"
    return head.encode("utf-8") + b" " + payload


def pae_compat(payload: bytes) -> bytes:
    """sign_sigstore_pb.pae_compat: the v0.2 bug (\"DSSEV1\", payload embedded as its Python bytes repr)."""
    return f"DSSEV1 {len(IN_TOTO_PAYLOAD_TYPE)} {IN_TOTO_PAYLOAD_TYPE} {len(payload)} {payload}".encode("utf-8")


def b64(value: Any, what: str) -> bytes:
    if not isinstance(value, str):
        raise VerificationError("bundle", f"{what} is not a base64 string")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as e:
        raise VerificationError("bundle", f"{what} is not base64: {e}") from e


def read_bundle(text: str) -> dict[str, Any]:
    """Signature.read (sign_sigstore_pb.py) then the shape the protobuf Bundle model needs."""
    try:
        bundle = json.loads(text)
    except json.JSONDecodeError as e:
        raise VerificationError("bundle", f"signature is not JSON: {e}") from e
    if not isinstance(bundle, dict):
        raise VerificationError("bundle", "signature is not a JSON object")
    material = bundle.get("verificationMaterial")
    if not isinstance(material, dict):
        raise VerificationError("bundle", "verificationMaterial is missing")
    # Signature.read: default tlogEntries, default hint None, drop the v1.0 rawBytes / keyDetails fields.
    material.setdefault("tlogEntries", [])
    public_key = material.get("publicKey")
    if not isinstance(public_key, dict):
        # sign_ec_key.Verifier reads verification_material.public_key.hint: a certificate bundle fails.
        raise VerificationError("bundle", "verificationMaterial.publicKey is missing (not a key-based bundle)")
    public_key.setdefault("hint", None)
    for k in ("rawBytes", "keyDetails"):
        public_key.pop(k, None)
    envelope = bundle.get("dsseEnvelope")
    if not isinstance(envelope, dict):
        raise VerificationError("bundle", "dsseEnvelope is missing")
    sigs = envelope.get("signatures")
    if not isinstance(sigs, list) or not sigs or not isinstance(sigs[0], dict):
        raise VerificationError("bundle", "dsseEnvelope.signatures is empty")
    if not isinstance(envelope.get("payloadType"), str):
        raise VerificationError("bundle", "dsseEnvelope.payloadType is missing")
    return bundle


def verify_envelope(bundle: dict[str, Any], key: ec.EllipticCurvePublicKey) -> tuple[dict[str, Any], str, bool]:
    """Steps 1-3: media type, hint, ECDSA over the PAE, payload type, statement _type."""
    # sign_sigstore_pb.Verifier._verify_signed_content: media type first.
    if bundle.get("mediaType") != BUNDLE_MEDIA_TYPE:
        raise VerificationError(
            "bundle", f"media type {bundle.get('mediaType')!r}, expected {BUNDLE_MEDIA_TYPE}"
        )
    # sign_ec_key.Verifier._verify_bundle: the hint, when present, must name the given key.
    hint = bundle["verificationMaterial"]["publicKey"]["hint"]
    hint_checked = False
    if hint:
        if hint != key_hint(key):
            raise VerificationError(
                "signature", "key mismatch: the signature's publicKey.hint does not match the given key"
            )
        hint_checked = True
    else:
        print("WARNING: signature has no publicKey.hint (older verification material format)", file=sys.stderr)
    envelope = bundle["dsseEnvelope"]
    payload = b64(envelope.get("payload"), "dsseEnvelope.payload")
    sig = b64(envelope["signatures"][0].get("sig"), "dsseEnvelope.signatures[0].sig")
    algorithm = ec.ECDSA(curve_hash(key))
    # Only signatures[0] is checked; on failure the pre-1.0 PAE is tried (pae_compat).
    try:
        key.verify(sig, pae(payload), algorithm)
        which = "v1"
    except exceptions.InvalidSignature:
        try:
            key.verify(sig, pae_compat(payload), algorithm)
            which = "compat"
        except exceptions.InvalidSignature as e:
            raise VerificationError(
                "signature", "the ECDSA signature does not verify over the DSSE PAE with the given key"
            ) from e
    # _signing/signing.py Verifier.verify: payload type, then the statement _type.
    if envelope["payloadType"] != IN_TOTO_PAYLOAD_TYPE:
        raise VerificationError("payload", f"payloadType {envelope['payloadType']!r}, expected {IN_TOTO_PAYLOAD_TYPE}")
    try:
        statement = json.loads(payload)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise VerificationError("payload", f"payload is not JSON: {e}") from e
    if not isinstance(statement, dict) or statement.get("_type") != STATEMENT_TYPE:
        got = statement.get("_type") if isinstance(statement, dict) else None
        raise VerificationError("payload", f"_type {got!r}, expected {STATEMENT_TYPE}")
    return statement, which, hint_checked


# --------------------------------------------------------------------------------------------------
# Manifest (manifest.py, _signing/signing.py dsse_payload_to_manifest)
# --------------------------------------------------------------------------------------------------

# A manifest is {key: (algorithm, digest bytes)}; keys are ("file", PurePosixPath) or
# ("shard", PurePosixPath, start, end). manifest.Manifest.__eq__ compares exactly this mapping
# (hashing.Digest equality includes the algorithm name); the model name is informative only.
Key = tuple
Manifest = dict


def key_name(key: Key) -> str:
    """str(File) / str(Shard) in manifest.py."""
    return str(key[1]) if key[0] == "file" else f"{key[1]}:{key[2]}:{key[3]}"


def new_item_key(method: str, name: str) -> Key:
    """_FileSerialization.new_item / _ShardSerialization.new_item."""
    if method == "files":
        return ("file", pathlib.PurePosixPath(name))
    parts = name.split(":")
    if len(parts) != 3:
        raise VerificationError("payload", f"invalid resource name: expected 3 components separated by ':', got {name}")
    try:
        return ("shard", pathlib.PurePosixPath(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError as e:
        raise VerificationError("payload", f"invalid shard offsets in {name}") from e


def statement_to_manifest(statement: dict[str, Any]) -> tuple[str, dict[str, Any], Manifest, str | None]:
    """dsse_payload_to_manifest: predicate type, one subject, serialization, resources, root digest."""
    try:
        predicate_type = statement["predicateType"]
        if predicate_type != PREDICATE_TYPE:
            if predicate_type == PREDICATE_TYPE_COMPAT:
                # dsse_payload_to_manifest_compat: every subject is a sha256 file; no root digest.
                items: Manifest = {}
                for subject in statement["subject"]:
                    items[("file", pathlib.PurePosixPath(subject["name"]))] = (
                        "sha256",
                        bytes.fromhex(subject["digest"]["sha256"]),
                    )
                args = {"method": "files", "hash_type": "sha256", "allow_symlinks": "false"}
                return "compat-undefined-not-present", args, items, None
            raise VerificationError("payload", f"predicate type {predicate_type!r}, expected {PREDICATE_TYPE}")
        subjects = statement["subject"]
        if len(subjects) != 1:
            raise VerificationError("payload", f"expected only one subject, got {len(subjects)}")
        model_name = subjects[0]["name"]
        expected_root = subjects[0]["digest"]["sha256"]
        predicate = statement["predicate"]
        args = predicate["serialization"]
        # manifest.SerializationType.from_args: method picks the class; _from_args reads these keys.
        method = args["method"]
        if method not in ("files", "shards"):
            raise VerificationError("payload", f"unknown serialization type {method!r}")
        # _from_args reads these unconditionally: a KeyError (a failed verification) when one is absent.
        _ = (args["hash_type"], args["allow_symlinks"], args["shard_size"] if method == "shards" else None)
        root = hashlib.sha256()
        items = {}
        for resource in predicate["resources"]:
            digest = bytes.fromhex(resource["digest"])
            root.update(digest)
            items[new_item_key(method, resource["name"])] = (resource["algorithm"], digest)
    except KeyError as e:
        raise VerificationError("payload", f"statement lacks field {e}") from e
    except (TypeError, ValueError, AttributeError) as e:
        raise VerificationError("payload", f"statement is malformed: {e}") from e
    if root.hexdigest() != expected_root:
        raise VerificationError(
            "root_digest",
            f"manifest is inconsistent: root digest is {expected_root}, the resources hash to {root.hexdigest()}",
        )
    return model_name, args, items, expected_root


# --------------------------------------------------------------------------------------------------
# Re-hashing the local model (hashing.py, _serialization/*, _filesystem.py, _hashing/*)
# --------------------------------------------------------------------------------------------------


def resolve_cli_ignore_paths(model_path: pathlib.Path, paths: list[pathlib.Path]) -> list[pathlib.Path]:
    """_cli.py _resolve_ignore_paths: relative to the cwd (or absolute), resolved, kept if inside the model."""
    model_root = model_path.resolve()
    cwd = pathlib.Path.cwd()
    out = []
    for p in paths:
        candidate = (p if p.is_absolute() else cwd / p).resolve()
        try:
            out.append(candidate.relative_to(model_root))
        except ValueError:
            continue
    return out


def content_hasher(hash_type: str):
    """hashing.Config._build_stream_hasher -> (constructor, digest_name) from _hashing/memory.py."""
    if hash_type == "sha256":
        return hashlib.sha256, "sha256"
    if hash_type == "blake2":
        return hashlib.blake2b, "blake2b"
    if hash_type == "blake3":
        raise VerificationError("serialization", "blake3 is not in the Python standard library; not supported here")
    raise VerificationError("serialization", f"unsupported hashing method {hash_type}")


def walk_paths(model_path: pathlib.Path):
    """_filesystem.walk_paths: the model itself, then model_path.glob('**/*') (which does not descend
    into symlinked directories but does list them)."""
    yield model_path
    if model_path.is_dir() and not model_path.is_symlink():
        for dirpath, dirnames, filenames in os.walk(model_path, followlinks=False):
            base = pathlib.Path(dirpath)
            for name in dirnames + filenames:
                yield base / name


def check_path_within_model(model_root: pathlib.Path, path: pathlib.Path, allow_symlinks: bool) -> None:
    """_filesystem.check_path_within_model."""
    try:
        relative = path.relative_to(model_root)
    except ValueError as e:
        raise VerificationError("hash", f"path {path} is outside model {model_root}") from e
    if allow_symlinks:
        return
    current = model_root
    if current.is_symlink():
        raise VerificationError("hash", f"cannot use {current}: it is a symlink")
    for part in relative.parts:
        current = current / part
        if current.is_symlink():
            raise VerificationError("hash", f"cannot use {current}: it is a symlink")
    try:
        path.resolve().relative_to(model_root.resolve())
    except ValueError as e:
        raise VerificationError("hash", f"path {path} resolves outside model {model_root}") from e


def check_file_or_directory(path: pathlib.Path, allow_symlinks: bool) -> None:
    """_serialization/serialization.check_file_or_directory."""
    if not allow_symlinks and path.is_symlink():
        raise VerificationError("hash", f"cannot use {path}: it is a symlink")
    if not (path.is_file() or path.is_dir()):
        raise VerificationError(
            "hash", f"cannot use {path} as file or directory (special file, missing, or no permission)"
        )


def should_ignore(path: pathlib.Path, ignore_paths: list[pathlib.Path]) -> bool:
    """_serialization/serialization.should_ignore: lexical is_relative_to against each ignored path."""
    return any(path.is_relative_to(p) for p in ignore_paths)


def hash_range(path: pathlib.Path, new_hash, start: int, end: int | None) -> bytes:
    """_hashing/io.SimpleFileHasher (end None: whole file) and ShardedFileHasher ([start, end))."""
    h = new_hash()
    with open(path, "rb") as f:
        if end is None:
            while chunk := f.read(CHUNK):
                h.update(chunk)
        else:
            f.seek(start)
            left = end - start
            while left > 0:
                chunk = f.read(min(CHUNK, left))
                if not chunk:
                    break
                left -= len(chunk)
                h.update(chunk)
    return h.digest()


def endpoints(step: int, end: int):
    """_serialization/file_shard._endpoints: step, 2*step, ..., always ending with end."""
    yield from range(step, end, step)
    yield end


def hash_model(
    model_path: pathlib.Path,
    *,
    method: str,
    hash_type: str,
    shard_size: Any,
    allow_symlinks: bool,
    ignored: list[pathlib.Path],
    ignore_git_paths: bool,
    files_to_hash: list[pathlib.Path] | None,
) -> Manifest:
    """hashing.Config.hash + file.Serializer.serialize / file_shard.Serializer.serialize."""
    new_hash, name = content_hasher(hash_type)
    # hashing.Config.hash: ignored paths are joined to the (unresolved) model path; git paths at its root.
    ignore_paths = []
    for p in ignored:
        full = model_path / p
        try:
            full.relative_to(model_path)
        except ValueError:
            continue
        ignore_paths.append(full)
    if ignore_git_paths:
        ignore_paths.extend(model_path / g for g in GIT_PATHS)

    if method == "shards":
        # io.ShardedFileHasher / file_shard._endpoints need an integer (range() raises on 8.0).
        if not isinstance(shard_size, int) or isinstance(shard_size, bool) or shard_size <= 0:
            raise VerificationError("serialization", f"shard_size must be a positive integer, got {shard_size!r}")
        algorithm = f"{name}-sharded-{shard_size}"  # ShardedFileHasher.digest_name
    else:
        algorithm = name  # SimpleFileHasher.digest_name

    paths = []
    for path in files_to_hash if files_to_hash is not None else walk_paths(model_path):
        if should_ignore(path, ignore_paths):
            continue
        if method == "files":  # file.Serializer checks containment; file_shard.Serializer does not
            check_path_within_model(model_path, path, allow_symlinks)
        check_file_or_directory(path, allow_symlinks)
        if path.is_file():
            paths.append(path)
    if method == "files" and not paths:
        raise VerificationError("hash", "model contains no regular files after applying exclusions")

    out: Manifest = {}
    for path in paths:
        rel = pathlib.PurePosixPath(path.relative_to(model_path).as_posix())
        if method == "files":
            # _filesystem.relative_path_parts: no absolute paths, no '..'
            if rel.is_absolute() or ".." in rel.parts:
                raise VerificationError("hash", f"path must be relative to the model root: {rel}")
            out[("file", rel)] = (algorithm, hash_range(path, new_hash, 0, None))
        else:
            size = path.stat().st_size
            start = 0
            if size > 0:  # file_shard._get_shards: an empty file has no shards
                for end in endpoints(shard_size, size):
                    out[("shard", rel, start, end)] = (algorithm, hash_range(path, new_hash, start, end))
                    start = end
    return out


def manifest_diff(actual: Manifest, expected: Manifest) -> dict[str, list]:
    """verifying.Config._get_manifest_diff: extra, missing and mismatched resources, sorted."""
    extra = sorted(actual.keys() - expected.keys())
    missing = sorted(expected.keys() - actual.keys())
    mismatched = [
        {
            "name": key_name(k),
            "expected": f"{expected[k][0]}:{expected[k][1].hex()}",
            "actual": f"{actual[k][0]}:{actual[k][1].hex()}",
        }
        for k in sorted(actual.keys() & expected.keys())
        if actual[k] != expected[k]
    ]
    return {
        "missing": [key_name(k) for k in missing],
        "extra": [key_name(k) for k in extra],
        "mismatched": mismatched,
    }


# --------------------------------------------------------------------------------------------------


def verify(args: argparse.Namespace) -> dict[str, Any]:
    model_path = pathlib.Path(args.model_path)
    signature_path = pathlib.Path(args.signature)
    try:
        key = load_public_key(pathlib.Path(args.public_key).read_bytes())
    except OSError as e:
        raise VerificationError("key", f"cannot read public key: {e}") from e
    try:
        text = signature_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise VerificationError("bundle", f"cannot read signature: {e}") from e

    bundle = read_bundle(text)
    statement, which_pae, hint_checked = verify_envelope(bundle, key)
    model_name, ser, expected, root = statement_to_manifest(statement)

    # _cli.py verify key: ignore paths (and the signature) resolved against the cwd, kept if in the model.
    ignored = resolve_cli_ignore_paths(model_path, [pathlib.Path(p) for p in args.ignore_paths] + [signature_path])
    # verifying.Config.verify: the recorded ignore_paths are added (hashing.Config.add_ignored_paths).
    if "ignore_paths" in ser:
        for p in ser["ignore_paths"]:
            candidate = pathlib.Path(p)
            try:
                (model_path / candidate).relative_to(model_path)
            except ValueError:
                continue
            ignored.append(candidate)

    if args.mode == "cli":
        method, hash_type, shard_size = "files", "sha256", None  # hashing.Config() defaults
    else:
        method, hash_type = ser["method"], ser["hash_type"]  # verifying.Config._guess_hashing_config
        shard_size = ser.get("shard_size")
        if method == "shards" and hash_type == "blake3":
            method = "files"  # hashing.Config.use_shard_serialization: blake3 bypasses sharding

    # verifying.Config.verify: with ignore_unsigned_files only the signed identifiers are hashed, as
    # model_path / str(key). For a shards signature that names "path:start:end", which is not a file,
    # so the reference fails; we do the same.
    files_to_hash = [model_path / key_name(k) for k in expected] if args.ignore_unsigned_files else None

    actual = hash_model(
        model_path,
        method=method,
        hash_type=hash_type,
        shard_size=shard_size,
        # hashing.Config.hash overrides the serializer's flag with Config._allow_symlinks (CLI flag).
        allow_symlinks=args.allow_symlinks,
        ignored=ignored,
        ignore_git_paths=args.ignore_git_paths,
        files_to_hash=files_to_hash,
    )
    if actual != expected:
        diff = manifest_diff(actual, expected)
        raise VerificationError("compare", "signature mismatch: " + json.dumps(diff, sort_keys=True))

    return {
        "ok": True,
        "mode": args.mode,
        "model_name": model_name,
        "method": ser["method"],
        "hash_type": ser["hash_type"],
        "shard_size": ser.get("shard_size"),
        "root_digest": root,
        "resources": sorted(key_name(k) for k in expected),
        "hint_checked": hint_checked,
        "pae": which_pae,
        "key_hint": key_hint(key),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Independent OpenSSF model-signing v1.0 key verifier")
    parser.add_argument("--model-path", required=True)
    parser.add_argument("--signature", required=True)
    parser.add_argument("--public-key", required=True)
    parser.add_argument("--ignore-paths", nargs="*", default=[])
    parser.add_argument("--ignore-unsigned-files", action="store_true")
    parser.add_argument("--ignore-git-paths", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--allow-symlinks", action="store_true")
    parser.add_argument("--mode", choices=("api", "cli"), default="api")
    args = parser.parse_args(argv)
    try:
        result = verify(args)
    except VerificationError as e:
        print(json.dumps({"ok": False, "stage": e.stage, "reason": e.reason}))
        print(f"Verification failed ({e.stage}): {e.reason}", file=sys.stderr)
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
