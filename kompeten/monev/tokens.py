"""Respondent links. A token is HMAC(secret key, invitation id and salt): the database holds
only its SHA-256, so a copy of the tables opens no questionnaire, while the sender can
repeat the same link in every reminder. A new salt (revoke, resend) ends the old link."""

import hashlib
import hmac
import secrets

from django.conf import settings

SALT_BYTES = 16


def new_salt() -> str:
    return secrets.token_hex(SALT_BYTES)


def token_for(*, invitation_id: int, salt: str) -> str:
    key = hashlib.sha256(f"kompeten.monev:{settings.SECRET_KEY}".encode()).digest()
    digest = hmac.new(key, f"{invitation_id}:{salt}".encode(), hashlib.sha256).hexdigest()
    # The id lets the lookup find the row; the HMAC part is the secret.
    return f"{invitation_id}-{digest[:43]}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(token_hash(token), stored_hash)


def invitation_id(token: str) -> int | None:
    head, _sep, tail = token.partition("-")
    if not head.isdigit() or len(tail) != 43 or len(head) > 12:
        return None
    return int(head)
