"""Handing the remote signer's passphrase to a background job without storing it.

A job's arguments are stored (a BackgroundJob row, or the Celery broker), so the passphrase
must not be one of them. seal_passphrase() encrypts it with a fresh random key, keeps only
the ciphertext in the cache (REDIS_URL; it expires after `ttl` seconds) and returns a token
holding the cache entry's id and the key; the job gets the token and calls
open_passphrase(token). Neither the job row (key, no ciphertext) nor the cache (ciphertext,
no key) holds the passphrase, and once the entry expires or forget_passphrase() is called
the token is worthless. Across processes (the `run_jobs` worker, Celery) this needs a
shared cache: with the per-process memory cache only in-process ("eager") jobs can open it.
"""

from __future__ import annotations

import secrets

from cryptography.fernet import Fernet, InvalidToken
from django.core.cache import cache
from django.utils.translation import gettext as _

from kompeten.signing.pdf import SigningError

_PREFIX = "signing-vault:"


def seal_passphrase(passphrase: str, *, ttl: int = 900) -> str:
    """A token for open_passphrase(), valid for ttl seconds."""
    entry = secrets.token_urlsafe(16)
    key = Fernet.generate_key()
    cache.set(_PREFIX + entry, Fernet(key).encrypt(passphrase.encode()), timeout=ttl)
    return f"{entry}.{key.decode()}"


def open_passphrase(token: str) -> str:
    """The sealed passphrase; SigningError when the token is unknown, expired or forged."""
    entry, _dot, key = token.partition(".")
    ciphertext = cache.get(_PREFIX + entry) if entry else None
    if ciphertext is None:
        raise SigningError(_("Sesi tanda tangan telah berakhir: masukkan passphrase lagi."))
    try:
        return Fernet(key.encode()).decrypt(ciphertext).decode()
    except (InvalidToken, ValueError):
        raise SigningError(_("Sesi tanda tangan tidak sah.")) from None


def forget_passphrase(token: str) -> None:
    """Drop the ciphertext now (when the job is done), rather than at expiry."""
    entry = token.partition(".")[0]
    if entry:
        cache.delete(_PREFIX + entry)
